import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// breaker48 (unkeyed/unkey's Speakeasy SDK in a pnpm workspace package): each operation decodes a 403 answer as
// `M.jsonErr(403, errors.ForbiddenErrorResponse$inboundSchema)`. The census named the number ("A 403 in a shape
// mtls-fix does not know (M.jsonErr(403, …))") and then the schema name inside the same call as a second unknown
// shape: 76 more manual sites. The 403's site owns the call it names, whichever of the two comes first.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-form-names-'));
  temps.push(cwd);
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', private: true }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

describe('a 403 of an unknown call and a 403 name inside the same call (breaker48)', () => {
  it('are one manual item, the number first or the name first, in a call or a new', async () => {
    const cwd = project({
      'sdk/package.json': JSON.stringify({ name: '@acme/sdk' }),
      'sdk/src/funcs/meters.ts': [
        "import * as M from '../lib/matchers';",
        "import * as errors from '../models/errors';",
        'export const decodeMeter = M.match(',
        '  M.json(200, errors.Meter$inboundSchema),',
        '  M.jsonErr(403, errors.ForbiddenErrorResponse$inboundSchema),',
        ');',
        'export const decodeValve = M.match(M.errFor(errors.ForbiddenErrorResponse$inboundSchema, 403));',
        'export const decodeGate = new M.Decoder(errors.ForbiddenBody, 403);',
        '',
      ].join('\n'),
      // A name held outside the call stays its own item.
      'src/decode.ts': [
        "import * as M from './matchers';",
        "import * as errors from './errors';",
        'const schema = errors.ForbiddenErrorResponse$inboundSchema;',
        'export const decode = M.jsonErr(403, schema);',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', explain: true });
    const manual = report.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => [s.file, s.line, s.reason?.slice(0, 40)])).toEqual([
      ['sdk/src/funcs/meters.ts', 5, 'A 403 in a shape mtls-fix does not know '],
      ['sdk/src/funcs/meters.ts', 7, 'A 403 in a shape mtls-fix does not know '],
      ['sdk/src/funcs/meters.ts', 8, 'A 403 in a shape mtls-fix does not know '],
      ['src/decode.ts', 3, "'ForbiddenErrorResponse$inboundSchema' n"],
      ['src/decode.ts', 4, 'A 403 in a shape mtls-fix does not know '],
    ]);
    // Each name is still counted: with the 403 whose form holds it.
    expect(report.census.manual).toBe(8);
  });
});
