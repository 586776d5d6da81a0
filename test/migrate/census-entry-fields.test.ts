import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Trials51: georgiangelov2000/payments-microservices keeps its answers as `Errors = { FORBIDDEN_ROUTE: { status: 403,
// body } }`, read as `res.status(Errors.FORBIDDEN_ROUTE.status)`. The reads were rewritten to `res.status(401)` while
// the entries were "A 403 in a shape mtls-fix does not know (status: 403)"; a flat table's entry (`Codes.DENIED`)
// gets "still holds 403 and no file of this run reads it after this run". A field of an object entry now gets the
// same, unless the entry is still read whole (handed to a helper) or the field is read elsewhere.
const { temp } = tempDirs('entry-fields');

const FILES: Record<string, string> = {
  'app/errors.js': [
    'const Errors = {',
    "  FORBIDDEN_ROUTE: { status: 403, body: { error: 'route_not_allowed' } },",
    "  NO_PROVIDER: { status: 403, body: { error: 'provider_not_allowed' } },",
    '  DENIED: { code: 403 },',
    '}',
    'module.exports = { Errors }',
  ].join('\n'),
  'app/auth.js': [
    "const { Errors } = require('./errors')",
    "const { send } = require('./send')",
    'function auth(req, res, next) {',
    '  if (!req.ok) return res.status(Errors.FORBIDDEN_ROUTE.status).json(Errors.FORBIDDEN_ROUTE.body)',
    '  if (!req.p) return res.status(Errors.NO_PROVIDER.status).end()',
    '  if (!req.q) return res.status(Errors.DENIED.code).end()',
    '  if (!req.r) return send(res, Errors.NO_PROVIDER)',
    '  next()',
    '}',
    'module.exports = { auth }',
  ].join('\n'),
  'app/send.js': [
    'function send(res, def) {',
    '  return res.status(def.status).json(def.body)',
    '}',
    'module.exports = { send }',
  ].join('\n'),
};

describe('fields of object entries of a status table', () => {
  it('a field whose every read is rewritten is named as such; one still read whole stays unknown', async () => {
    const cwd = temp();
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
    );
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
      writeFileSync(path.join(cwd, file), `${text}\n`);
    }
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true, explain: true });
    const entries = report.sites.filter((s) => s.file === 'app/errors.js').map((s) => [s.line, s.reason]);
    const gone =
      /^'(Errors\.FORBIDDEN_ROUTE\.status|Errors\.DENIED\.code)' still holds 403 and no file of this run reads it after this run: its reads \(app\/auth\.js:[46] /;
    expect(entries).toEqual([
      [2, expect.stringMatching(gone)],
      [3, expect.stringMatching(/^A 403 in a shape mtls-fix does not know \(status: 403\)/)],
      [4, expect.stringMatching(gone)],
    ]);
  });

  it('on the run after, a field nothing reads is named unread; one read by a run-time key names that read', async () => {
    const cwd = temp();
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
    );
    mkdirSync(path.join(cwd, 'app'), { recursive: true });
    writeFileSync(
      path.join(cwd, 'app/errors.js'),
      [
        'export const Errors = {',
        "  FORBIDDEN_ROUTE: { status: 403, body: { error: 'route_not_allowed' } },",
        '};',
        'export const Refusals = {',
        '  DENIED: { code: 403 },',
        '};',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(cwd, 'app/auth.js'),
      [
        "import { Errors, Refusals } from './errors.js';",
        'export function auth(req, res, next) {',
        '  if (!req.ok) return res.status(401).json(Errors.FORBIDDEN_ROUTE.body);',
        '  if (!req.q) return res.status(Refusals[req.kind].code).end();',
        '  next();',
        '}',
        '',
      ].join('\n'),
    );
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true, explain: true });
    const entries = report.sites.filter((s) => s.file === 'app/errors.js').map((s) => [s.line, s.reason]);
    expect(entries).toEqual([
      [
        2,
        expect.stringMatching(
          /^'Errors\.FORBIDDEN_ROUTE\.status' still holds 403 and no file of this run reads it\. /,
        ),
      ],
      [
        5,
        expect.stringMatching(
          /^'DENIED\.code' of Refusals holds 403, and this run reads Refusals \(app\/auth\.js:4 /,
        ),
      ],
    ]);
  });
});
