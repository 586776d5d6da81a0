import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

// breaker37 #01 / #08: the manual reasons a held response and a called string key get (the rewrites are in the
// fixture tables: <framework>/held-response.input.ts, <framework>/string-keys.input.ts).
const run = (text: string) =>
  migrateSource('a.ts', text, { target: 401, frameworks: FRAMEWORKS, testFile: false });

describe('held responses and called string keys', () => {
  it('names the variable and its line when a held response is assigned again', () => {
    const result = run(
      [
        "import Koa from 'koa';",
        'const app = new Koa();',
        'app.use(async (ctx) => {',
        '  let r = ctx.response;',
        '  r = ctx.response;',
        '  r.status = 403;',
        '});',
      ].join('\n'),
    );
    const manual = result.sites.filter((s) => s.kind === 'manual');
    expect(manual).toHaveLength(1);
    expect(manual[0].reason).toContain('held in variable `r` (line 4)');
  });

  it('never counts a called string key as "not an emit"', () => {
    const result = run(
      ["import { errors } from './errors';", "export const a = () => errors['forbidden']('no');"].join('\n'),
    );
    const manual = result.sites.filter((s) => s.kind === 'manual');
    expect(manual).toHaveLength(1);
    expect(manual[0].reason).toContain("'forbidden' names a member that is called");
    expect(result.occurrences.filter((o) => o.kind === 'string')).toHaveLength(0);
  });
});
