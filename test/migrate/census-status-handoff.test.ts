import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource, type SourceResult } from '../../src/migrate/transform.js';

// breaker50 (b0b4456/remix-mini): `statusJson(403, m)` calls a function of the file that writes its parameter
// under a status key of a call no module knows (`reply({ … }, { status })`). The 403 was counted as data
// (`unrelated-number`): a result that read clean while the call may answer 403. It is now a manual site that
// names the parameter and the line that hands it on; a parameter that reaches no status key stays data.

/** The class of each occurrence: its not-an-emit kind, or the covering site's kind (`rewrite` / `manual`). */
function classes(result: SourceResult): string[] {
  return result.occurrences.map((o) => {
    if (o.kind) return o.kind;
    const covering = result.sites.find((s) => s.span.start <= o.start && o.end <= s.span.end);
    return covering ? covering.kind : 'UNCLASSIFIED';
  });
}

function run(code: string): SourceResult {
  return migrateSource('src/respond.ts', code, { target: 401, frameworks: FRAMEWORKS, testFile: false });
}

const LIB = `import { reply } from 'tiny-reply';\n`;

const handedOn: { name: string; code: string }[] = [
  {
    name: 'a shorthand { status } in the init of an unknown call',
    code: `${LIB}function statusJson(status: number, m?: string) {\n  return reply({ message: m }, { status });\n}\nexport const deny = (m?: string) => statusJson(403, m);\n`,
  },
  {
    name: 'a { statusCode: code } entry',
    code: `${LIB}function send(code: number) {\n  return reply(null, { statusCode: code });\n}\nexport const deny = () => send(403);\n`,
  },
  {
    name: 'an assignment to a status member',
    code: `${LIB}function fail(out: { status?: number }, httpStatus: number) {\n  out.status = httpStatus;\n  return reply(out);\n}\nexport const deny = (o: { status?: number }) => fail(o, 403);\n`,
  },
];

describe('a 403 handed to a function of the file that writes it under a status key', () => {
  for (const { name, code } of handedOn)
    it(name, () => {
      const result = run(code);
      expect(classes(result)).toEqual(['manual']);
      expect(result.sites[0]?.reason).toMatch(/Passed to .+ which it hands on as a status \(line \d+: /);
    });

  it('a parameter that reaches no status key stays data', () => {
    const code = `${LIB}function price(amount: number) {\n  return reply({ total: amount });\n}\nexport const p = () => price(403);\n`;
    expect(classes(run(code))).toEqual(['unrelated-number']);
  });
});
