import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

// The message of a status parameter whose default is 403 names the calls that leave it out. For an arrow (or a
// function expression) it read "every this function that leaves it out": the holder's name is used, else
// "every call of this function".
const defaults = (code: string): string[] =>
  migrateSource('case.ts', code, { target: 401, frameworks: FRAMEWORKS, testFile: false })
    .sites.filter((s) => s.reason?.startsWith('The default'))
    .map((s) => /every (.*?) that leaves it out/.exec(s.reason ?? '')?.[1] ?? '');

describe('the owner named in a 403 default message', () => {
  it('names an arrow by the variable or property that holds it', () => {
    const code = `import type { Response } from 'express';
export const deny = (res: Response, status = 403) => res.status(status).end();
export const replies = { forbid: function (res: Response, code = 403) { res.status(code).end(); } };
`;
    expect(defaults(code)).toEqual(['deny(…)', 'forbid(…)']);
  });

  it('says "call of this function" for an unnamed one', () => {
    const code = `import type { Response } from 'express';
export default (res: Response, status = 403) => res.status(status).end();
`;
    expect(defaults(code)).toEqual(['call of this function']);
  });
});
