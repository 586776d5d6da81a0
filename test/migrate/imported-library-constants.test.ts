import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 47, server47. A project constant holding a status library's 403 (`export const DENIED =
// StatusCodes.FORBIDDEN`, `HttpStatus.FORBIDDEN` of Nest, also through a module that hands the package's table on)
// read in another file (`res.status(DENIED)`, `ctx.status = DENIED`, `reply.code(DENIED)`, a Nest filter's
// `response.status(DENIED)`) was a "Dynamic status" there and a `declaration` at the definition: the link read
// only literal numbers. Now the use is rewritten as for `export const DENIED = 403`, and the definition named.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-library-constants-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const PACKAGE = JSON.stringify({
  name: 'p',
  dependencies: {
    express: '^4',
    koa: '^2',
    fastify: '^4',
    '@nestjs/common': '^10',
    'http-status-codes': '^2',
    'http-status': '^1',
    axios: '^1',
  },
});

const DEFINITIONS: [string, Record<string, string>][] = [
  [
    'StatusCodes.FORBIDDEN',
    {
      'src/codes.ts':
        "import { StatusCodes } from 'http-status-codes';\nexport const DENIED = StatusCodes.FORBIDDEN;\n",
    },
  ],
  [
    "Nest's HttpStatus.FORBIDDEN",
    {
      'src/codes.ts':
        "import { HttpStatus } from '@nestjs/common';\nexport const DENIED = HttpStatus.FORBIDDEN;\n",
    },
  ],
  [
    "http-status's httpStatus.FORBIDDEN",
    {
      'src/codes.ts': "import httpStatus from 'http-status';\nexport const DENIED = httpStatus.FORBIDDEN;\n",
    },
  ],
  [
    "axios' HttpStatusCode.Forbidden",
    {
      'src/codes.ts':
        "import { HttpStatusCode } from 'axios';\nexport const DENIED = HttpStatusCode.Forbidden;\n",
    },
  ],
  [
    'a re-exported HttpStatus',
    {
      'src/statuses.ts': "export { HttpStatus } from '@nestjs/common';\n",
      'src/codes.ts':
        "import { HttpStatus } from './statuses';\nexport const DENIED = HttpStatus.FORBIDDEN;\n",
    },
  ],
];

const SERVERS: [string, string][] = [
  [
    'express',
    'import express from "express";\nconst app = express();\napp.get("/a", (req, res) => res.status(DENIED).end());\n',
  ],
  [
    'koa',
    'import Koa from "koa";\nconst app = new Koa();\napp.use(async (ctx) => { ctx.status = DENIED; });\n',
  ],
  [
    'fastify',
    'import Fastify from "fastify";\nconst app = Fastify();\napp.get("/a", async (req, reply) => reply.code(DENIED).send());\n',
  ],
  [
    'a Nest exception filter',
    "import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';\n@Catch(HttpException)\nexport class F implements ExceptionFilter {\n  catch(e: HttpException, host: ArgumentsHost) {\n    host.switchToHttp().getResponse().status(DENIED).json({});\n  }\n}\n",
  ],
];

describe('an imported constant holding a status library 403', () => {
  const cases = DEFINITIONS.flatMap(([definition, files]) =>
    SERVERS.map(([server, text]) => [`${definition} / ${server}`, files, text] as const),
  );
  it.each(cases)('%s: the use is rewritten, the definition named', async (_name, files, server) => {
    const cwd = project({
      'package.json': PACKAGE,
      ...files,
      'src/server.ts': `import { DENIED } from "./codes";\n${server}`,
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.filter((s) => s.action === 'would-rewrite').map((s) => s.file)).toEqual([
      'src/server.ts',
    ]);
    const manual = report.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => s.file)).toEqual(['src/codes.ts']);
    expect(manual[0]?.reason).toMatch(/^'DENIED' still holds 403: this run writes 401 in place of it/);
  });

  it('a library member that is no 403 stays what it is (a 404 is left alone)', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.ts':
        "import { StatusCodes } from 'http-status-codes';\nexport const GONE = StatusCodes.NOT_FOUND;\n",
      'src/server.ts': `import { GONE } from "./codes";\n${SERVERS[0][1].replace('DENIED', 'GONE')}`,
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites).toEqual([]);
  });
});
