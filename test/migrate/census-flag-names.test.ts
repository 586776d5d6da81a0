import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource, type SourceResult } from '../../src/migrate/transform.js';

// Session 32 (breakfix32a, breaker32 03-forbidden-word-flag-noise): thelounge's SQLite storage keeps a boolean
// `rollback_forbidden` column and reads `forbidden.version` off the row it found; each read was "'…' names a 403 in
// a shape mtls-fix does not know" (3 manual sites, --check failed) in a file with no HTTP in it. A name holding
// Forbidden used as a flag or a record is now census kind `name`; real 403 names stay what they were.

function run(text: string): SourceResult {
  return migrateSource('case.ts', text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
}

/** The class of each occurrence, in text order: its not-an-emit kind, or the covering site's kind. */
function classes(result: SourceResult): string[] {
  return result.occurrences.map((o) => {
    if (o.kind) return o.kind;
    const covering = result.sites.find((s) => s.span.start <= o.start && o.end <= s.span.end);
    return covering ? covering.kind : 'UNCLASSIFIED';
  });
}

const THELOUNGE = `type Rollback = { version: number; rollback_forbidden?: boolean };

export function checkDowngrade(rollbacks: Rollback[]): void {
  const forbidden = rollbacks.find((item) => item.rollback_forbidden);
  if (forbidden) {
    throw Error(\`can't downgrade past \${forbidden.version}\`);
  }
}

export function toRollback(raw: { version: number; rollback_forbidden: number }): Rollback {
  return { version: raw.version, rollback_forbidden: Boolean(raw.rollback_forbidden) };
}
`;

describe('names holding Forbidden that are flags or records', () => {
  it('the thelounge shape: no site, every occurrence accounted as no emit', () => {
    const result = run(THELOUNGE);
    expect(result.sites).toEqual([]);
    expect(classes(result)).toEqual([
      'type',
      'declaration',
      'name',
      'comparison',
      'name',
      'type',
      'declaration',
      'name',
    ]);
  });

  it.each([
    [
      'a predicate of filter / some / every',
      `import { rows } from './db';\nexport const a = rows.filter((r) => r.isForbidden);\nexport const b = rows.some((r) => r.forbidden_flag);`,
      ['name', 'name'],
    ],
    [
      'a member declared boolean in the file',
      `interface Row { forbidden: boolean }\nimport { save } from './db';\nexport const f = (r: Row) => save(r.forbidden);`,
      ['type', 'name'],
    ],
    [
      'a key given true / false',
      `import { save } from './db';\nconst flags = { forbidden: false };\nexport const f = () => save(flags.forbidden);`,
      ['declaration', 'name'],
    ],
    [
      'a record read of a parameter',
      `import { log } from './log';\nexport const f = (forbidden: { version: number }) => log(forbidden.version);`,
      ['declaration', 'name'],
    ],
    // Session 48 (breaker48's agent-cal metrics): counters named for 403s count answers, never send one.
    [
      'a member counted up or down',
      `import { stats } from './stats';\nexport const f = () => {\n  stats.forbidden++;\n  --stats.forbidden;\n  stats.forbidden += 2;\n};`,
      ['name', 'name', 'name'],
    ],
    [
      'a member added to in its own assignment',
      `import { stats } from './stats';\nexport const f = () => {\n  stats.forbidden = (stats.forbidden + 1);\n};`,
      ['name', 'name'],
    ],
    [
      // breaker50: Vue 2's template compiler (a Sails app's assets/dependencies/vue.js) marks a tag so.
      'a member assigned a boolean, then compared',
      `export function mark(element: { forbidden?: unknown }, bad: boolean): void {\n  if (bad) element.forbidden = true;\n  if (element.forbidden) return;\n}`,
      ['type', 'name', 'comparison'],
    ],
    [
      'a metric named for forbidden answers',
      `import { emit } from './metrics';\nexport const f = (m: Record<string, number>) => emit(m.forbidden_count, m.FORBIDDEN_TOTAL, m.forbiddenRate);`,
      ['name', 'name', 'name'],
    ],
  ])('%s', (_name, code, expected) => {
    const result = run(code);
    expect(result.sites.filter((s) => s.kind === 'manual')).toEqual([]);
    expect(classes(result)).toEqual(expected);
  });

  it.each([
    [
      'a constant holding 403',
      `import type { Response } from 'express';\nconst FORBIDDEN = 403;\nexport const f = (res: Response) => res.status(FORBIDDEN).end();`,
    ],
    [
      'a status object read for its status',
      `import type { Response } from 'express';\nimport { forbidden } from './statuses';\nexport const f = (res: Response) => res.status(forbidden.status).end();`,
    ],
    [
      'an imported record (no local variable)',
      `import { Forbidden } from './errors';\nimport { send } from './send';\nexport const f = () => send(Forbidden.body);`,
    ],
    [
      'a method called on the name',
      `import { send } from './send';\nexport const f = (forbidden: { reply(): void }) => send(forbidden.reply());`,
    ],
    [
      'a name assigned a sum of something else',
      `import type { Response } from 'express';\nimport { codes } from './codes';\nexport const f = (res: Response) => res.status(codes.forbidden + 0).end();`,
    ],
    [
      'a member assigned a status, not a boolean',
      `import { send } from './send';\nexport const f = (out: { forbidden?: number }) => { out.forbidden = 403; send(out.forbidden); };`,
    ],
    [
      'a response name given on',
      `import { send, config } from './x';\nexport const e = () => send(config.forbiddenResponse);`,
    ],
  ])('still reviewed: %s', (_name, code) => {
    const result = run(code);
    expect(
      result.sites.some((s) => s.kind === 'manual' || s.kind === 'rewrite'),
      JSON.stringify(classes(result)),
    ).toBe(true);
  });
});
