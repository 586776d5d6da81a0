import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// An error class that fixes 403 answers 403 at every `new`, whichever way its module exports it and under
// whichever local name the importer binds it: each throw is a site (manual, naming the class), never silent.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-error-exports-'));
  temps.push(cwd);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

const CLASS = (name: string, field: string) =>
  `class ${name} extends Error {\n  constructor(message) {\n    super(message);\n    this.${field} = 403;\n  }\n}\n`;

describe('403 error classes across files', () => {
  it('CommonJS: module.exports = { X }, module.exports = X, this.code = 403, any local name', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^4.0.0' } }),
      'errors/forbidden.js': `${CLASS('ForbiddenError', 'code')}module.exports = { ForbiddenError };\n`,
      'errors/denied.js': `${CLASS('DeniedError', 'statusCode')}module.exports = DeniedError;\n`,
      'errors/index.js': `${CLASS('NoCertError', 'status')}module.exports = NoCertError;\n`,
      'controllers/a.js': [
        "const { ForbiddenError } = require('../errors/forbidden');",
        "const Denied = require('../errors/denied');",
        "const NoCert = require('../errors');",
        'exports.a = () => { throw new ForbiddenError(); };',
        'exports.b = () => { throw new Denied(); };',
        'exports.c = () => { throw new NoCert(); };',
        '',
      ].join('\n'),
      // No 403 form and no class name in its text: found by the specifier that names the class's file.
      'controllers/b.js':
        "const Nope = require('../errors/denied');\nexports.d = () => { throw new Nope(); };\n",
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    const uses = report.sites
      .filter((s) => s.file.startsWith('controllers/'))
      .map((s) => `${s.file}:${s.line} ${s.framework} ${s.action}`);
    expect(uses).toEqual([
      'controllers/a.js:4 error-classes manual',
      'controllers/a.js:5 error-classes manual',
      'controllers/a.js:6 error-classes manual',
      'controllers/b.js:2 error-classes manual',
    ]);
  });

  it('ES modules: a default-exported class imported under another name', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^4.0.0' } }),
      'src/denied.ts': `export default ${CLASS('DeniedError', 'statusCode').replace('constructor(message)', 'statusCode: number;\n  constructor(message?: string)')}`,
      'src/use.ts': "import D from './denied';\nexport const d = () => {\n  throw new D();\n};\n",
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(report.sites.filter((s) => s.file === 'src/use.ts').map((s) => `${s.line} ${s.action}`)).toEqual([
      '3 manual',
    ]);
  });
});
