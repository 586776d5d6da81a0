import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 47, server47. A 403 status object returned inside a result wrapper (neverthrow `err(…)` / `errAsync(…)`,
// fp-ts `left(…)` / `E.left(…)`, ts-results `Err(…)`, a CQRS `Result.fail(…)`) was "a 403 in a shape mtls-fix does
// not know"; it is now named for what it is: nothing is sent there, the result's mapper sends it later.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const WRAPPERS: [string, string][] = [
  [
    'neverthrow err',
    "import { err } from 'neverthrow';\nexport const deny = () => err({ status: 403, message: 'no' });\n",
  ],
  [
    'neverthrow errAsync',
    "import { errAsync } from 'neverthrow';\nexport const deny = () => errAsync({ statusCode: 403 });\n",
  ],
  [
    'fp-ts E.left',
    "import * as E from 'fp-ts/Either';\nexport const deny = () => E.left({ status: 403 });\n",
  ],
  [
    'ts-results Err',
    "import { Err } from 'ts-results';\nexport const deny = () => Err({ httpStatus: 403 });\n",
  ],
  [
    'a CQRS Result.fail',
    "import { Result } from './result';\nexport const deny = () => Result.fail({ code: 403, message: 'no' });\n",
  ],
];

describe('a 403 returned inside a result wrapper', () => {
  it.each(WRAPPERS)('%s: named as such, never an unknown shape', async (_name, text) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-result-wrapper-'));
    temps.push(cwd);
    mkdirSync(path.join(cwd, 'src'));
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({ name: 'p', dependencies: { express: '^4' } }),
    );
    writeFileSync(path.join(cwd, 'src/deny.ts'), text);
    writeFileSync(
      path.join(cwd, 'src/result.ts'),
      'export class Result { static fail(e: unknown) { return e; } }\n',
    );
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.map((s) => [s.action, s.reason])).toEqual([
      [
        'manual',
        expect.stringMatching(/^A 403 returned inside a result wrapper \(\S+\(…\)\): nothing is sent here/),
      ],
    ]);
  });
});
