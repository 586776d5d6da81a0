import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Breaker50b: Sails' api/responses/forbidden.js logs `sails.log.verbose('Sending 403 ("Forbidden") response')`;
// those texts (and `console.warn('Forbidden request')`) were counted as `string`. They are recorded, never sent:
// census `log`, as a 403 field of a logging call already is.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('texts of logging calls', () => {
  it('a logged text holding 403 or Forbidden is census log, not string', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-log-'));
    temps.push(cwd);
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({ name: 'p', dependencies: { sails: '*' } }),
    );
    mkdirSync(path.join(cwd, 'api/responses'), { recursive: true });
    writeFileSync(
      path.join(cwd, 'api/responses/forbidden.js'),
      [
        'module.exports = function forbidden(data) {',
        '  var sails = this.req._sails;',
        '  this.res.status(403);',
        '  sails.log.verbose(\'Sending 403 ("Forbidden") response: \\n\', data);',
        "  console.warn('Forbidden request');",
        '  return this.res.jsonx(data);',
        '};',
        '',
      ].join('\n'),
    );
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true, explain: true });
    const kinds = (report.notAnEmit ?? []).filter((o) => o.line >= 4).map((o) => [o.line, o.kind]);
    expect(kinds).toEqual([
      [4, 'log'],
      [5, 'log'],
    ]);
  });
});
