import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 48, server48 (IPFS-Blog/Backend@d772f7e, src/error/forbidden-error.ts): `@ApiProperty({ example: 403 })`
// on the schema class of `@ApiForbiddenResponse({ type: ForbiddenError })` was "a 403 in a shape mtls-fix does not
// know"; it is a documented example, and named as one.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a 403 written as a documented example', () => {
  it.each(['example', 'default'])(
    '@ApiProperty({ %s: 403 }) is named as a documented example',
    async (key) => {
      const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-doc-examples-'));
      temps.push(cwd);
      mkdirSync(path.join(cwd, 'src'));
      writeFileSync(
        path.join(cwd, 'package.json'),
        JSON.stringify({ name: 'p', dependencies: { '@nestjs/swagger': '^7' } }),
      );
      writeFileSync(
        path.join(cwd, 'src/forbidden-error.ts'),
        "import { ApiProperty } from '@nestjs/swagger';\n\nexport class ForbiddenError {\n" +
          `  @ApiProperty({ type: 'number', ${key}: 403 })\n  public readonly statusCode!: number;\n}\n`,
      );
      const { report } = await migrate({ cwd, status: 401, mode: 'check' });
      expect(report.sites.map((s) => [s.line, s.reason])).toEqual([
        [
          4,
          expect.stringMatching(
            new RegExp(
              `^The ${key} 403 of ForbiddenError\\.statusCode \\(@ApiProperty\\) documents a 403 body`,
            ),
          ),
        ],
      ]);
    },
  );
});
