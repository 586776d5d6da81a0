import { describe, expect, it } from 'vitest';
import type ts from '../../src/typescript.cjs';
import { AssignmentIndex } from '../../src/migrate/analysis/assignments.js';
import { parseSource } from '../../src/migrate/parse.js';

// One walk per function body gives what a walk per name gave (evaluation.ts `localVariable`).
const TEXT = `function handler(req, res, pair) {
  let status = 200;
  if (!req.cert) status = 403;
  const code = 'FORBIDDEN';
  let count = 0;
  count += 1;
  let flag = true;
  const negated = !flag;
  let [first] = [1];
  let picked = 0;
  [picked] = pair;
  const inner = () => {
    status = 500;
    const code = 'OTHER';
    let hidden = 1;
    hidden++;
  };
  function nested() {
    const status = (status = 7);
  }
  return res.status(status).json({ code, count, negated, first, picked, inner, nested });
}
`;

describe('AssignmentIndex', () => {
  const sourceFile = parseSource('a.ts', TEXT);
  const fn = sourceFile.statements[0] as ts.FunctionDeclaration;
  const body = fn.body as ts.Block;
  const index = new AssignmentIndex(sourceFile);
  const values = (name: string) => index.of(body, name).values.map((v) => v.getText(sourceFile));

  const CASES: [name: string, declared: boolean, unknown: boolean, values: string[]][] = [
    // Its own declaration and plain assignments, in order; the nested function's `status = 500` is not one.
    ['status', true, false, ['200', '403']],
    // A nested function's own `code` is another variable.
    ['code', true, false, ["'FORBIDDEN'"]],
    ['count', true, true, ['0']],
    // Any prefix unary on the name counts as changed (the walk per name read it so).
    ['flag', true, true, ['true']],
    ['picked', true, true, ['0']],
    // Declared only in a nested function: not the body's own, but its ++ still counts.
    ['hidden', false, true, []],
    ['absent', false, false, []],
  ];
  it.each(CASES)('%s: declared %s, unknown %s, values %j', (name, declared, unknown, expected) => {
    const found = index.of(body, name);
    expect(found.declared).toBe(declared);
    expect(found.unknown).toBe(unknown);
    expect(values(name)).toEqual(expected);
  });

  it('walks a body once however many names are asked', () => {
    let walks = 0;
    const counting = new AssignmentIndex(sourceFile);
    const original = body.forEachChild.bind(body);
    (body as { forEachChild: typeof body.forEachChild }).forEachChild = ((cb: (n: ts.Node) => unknown) => {
      walks++;
      return original(cb);
    }) as typeof body.forEachChild;
    for (const [name] of CASES) counting.of(body, name);
    delete (body as { forEachChild?: unknown }).forEachChild;
    expect(walks).toBe(1);
  });
});
