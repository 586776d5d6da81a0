import { describe, expect, it } from 'vitest';
import { Constants } from '../../../src/migrate/analysis/constants.js';
import { StatusEvaluator } from '../../../src/migrate/analysis/evaluation.js';
import { FileImports } from '../../../src/migrate/analysis/file-imports.js';
import type { ImportLink } from '../../../src/migrate/analysis/types.js';
import { snippet, ts } from './parse.js';

function evaluator(text: string, link?: ImportLink, target = 401) {
  const s = snippet(text);
  const imports = new FileImports(s.sourceFile);
  return { s, e: new StatusEvaluator(s.sourceFile, text, target, imports, new Constants(imports, link)) };
}

/** The argument of the call `f(...)` in statement `index`. */
function argument(s: ReturnType<typeof snippet>, index: number): ts.Expression {
  const statement = s.sourceFile.statements[index] as ts.ExpressionStatement;
  return (statement.expression as ts.CallExpression).arguments[0];
}

describe('analysis/evaluation', () => {
  it('403 in any spelling becomes the target, keeping quotes', () => {
    const { s, e } = evaluator(`f(403);\nf('403');\nf((0x193 as number));\nf(\`403\`);\nf(404);`);
    expect(s.apply(e.forbiddenEdits(argument(s, 0)) ?? [])).toContain('f(401);');
    expect(s.apply(e.forbiddenEdits(argument(s, 1)) ?? [])).toContain(`f('401');`);
    expect(s.apply(e.forbiddenEdits(argument(s, 2)) ?? [])).toContain('f((401 as number));');
    expect(s.apply(e.forbiddenEdits(argument(s, 3)) ?? [])).toContain('f(`401`);');
    expect(e.forbiddenEdits(argument(s, 4))).toBeUndefined();
  });

  it('a library constant is renamed to the target name; a local constant to its sibling or the literal', () => {
    const { s, e } = evaluator(
      [
        `import { StatusCodes } from 'http-status-codes';`,
        `const FORBIDDEN = 403;`,
        `const UNAUTHORIZED = 401;`,
        `f(StatusCodes.FORBIDDEN);`,
        `f(FORBIDDEN);`,
        `function g() { const DENIED = 403; f(DENIED); }`,
      ].join('\n'),
    );
    expect(s.apply(e.forbiddenEdits(argument(s, 3)) ?? [])).toContain('f(StatusCodes.UNAUTHORIZED);');
    expect(s.apply(e.forbiddenEdits(argument(s, 4)) ?? [])).toContain('f(UNAUTHORIZED);');
    const inner = s.find('f(DENIED)', ts.isCallExpression).arguments[0];
    expect(s.apply(e.forbiddenEdits(inner) ?? [])).toContain('f(401); }');
  });

  it('evaluates branches, fallbacks, parameters and unknown values', () => {
    const { s, e } = evaluator(
      [
        `function h(res, ok, err, status, opts) {`,
        `  f(ok ? 200 : 403);`,
        `  f(err.status || 403);`,
        `  f(status ?? 400);`,
        `  f(opts.status);`,
        `  f(getStatus());`,
        `  f(404);`,
        `}`,
        `const k = ({ status: code = 400 }) => f(code);`,
      ].join('\n'),
    );
    const body = (s.sourceFile.statements[0] as ts.FunctionDeclaration).body?.statements ?? [];
    const arg = (i: number) =>
      ((body[i] as ts.ExpressionStatement).expression as ts.CallExpression).arguments[0];
    const ternary = e.evaluate(arg(0));
    expect(ternary.kind).toBe('forbidden');
    expect(ternary.kind === 'forbidden' && s.apply(ternary.edits)).toContain('f(ok ? 200 : 401);');
    expect(e.evaluate(arg(1)).kind).toBe('forbidden');
    expect(e.evaluate(arg(2))).toMatchObject({ kind: 'param', index: 3, name: 'status' });
    expect(e.evaluate(arg(3))).toMatchObject({ kind: 'param', index: 4, name: 'opts', property: 'status' });
    expect(e.evaluate(arg(4))).toEqual({ kind: 'dynamic' });
    expect(e.evaluate(arg(5))).toEqual({ kind: 'static' });
    const destructured = s.find('f(code)', ts.isCallExpression).arguments[0];
    expect(e.evaluate(destructured)).toMatchObject({
      kind: 'param',
      index: 0,
      name: 'code',
      property: 'status',
    });
  });

  it('isNumeric and isKnownStatus', () => {
    const { s, e } = evaluator(
      [
        `import { StatusCodes } from 'http-status-codes';`,
        `const N = 403;`,
        `f(N);`,
        `f('403');`,
        `f(StatusCodes.FORBIDDEN);`,
        `f(x);`,
      ].join('\n'),
    );
    expect([2, 3, 4, 5].map((i) => e.isNumeric(argument(s, i)))).toEqual([true, false, true, false]);
    expect([2, 3, 4, 5].map((i) => e.isKnownStatus(argument(s, i)))).toEqual([true, true, true, false]);
  });

  it('an imported 403 constant becomes its module sibling, with the import edit linked to the value edit', () => {
    const link: ImportLink = {
      constant: () => ({ value: 403, siblings: new Map([[401, 'NO_AUTH']]), file: '/p/codes.ts' }),
      member: () => undefined,
      classStatus: () => undefined,
    };
    const { s, e } = evaluator(`import { NO_ACCESS } from './codes';\nf(NO_ACCESS);`, link);
    const edits = e.forbiddenEdits(argument(s, 1)) ?? [];
    expect(s.apply(edits)).toContain('f(NO_AUTH);');
    const needs = e.importFor(edits[0]);
    expect(needs).toMatchObject([{ module: './codes', from: 'NO_ACCESS', to: 'NO_AUTH', present: false }]);
    // The sibling's name is taken here: the sibling under a free alias (silence29), never a bare literal.
    const taken = evaluator(`import { NO_ACCESS } from './codes';\nconst NO_AUTH = 1;\nf(NO_ACCESS);`, link);
    const aliased = taken.e.forbiddenEdits(argument(taken.s, 2)) ?? [];
    expect(taken.s.apply(aliased)).toContain('f(CodesNO_AUTH);');
    expect(taken.e.importFor(aliased[0])).toMatchObject([
      { module: './codes', from: 'NO_ACCESS', to: 'CodesNO_AUTH' },
    ]);
  });
});
