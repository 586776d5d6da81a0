import ts from '../../typescript.cjs';

/** The values of each root, by name: whole (`all`) and without nested functions (`own`), read once per root. */
const ALL = new WeakMap<ts.Node, Map<string, ts.Expression[]>>();
const OWN = new WeakMap<ts.Node, Map<string, ts.Expression[]>>();

/**
 * The values `root` gives the plain name `name`, in source order: each declaration's initializer (`const r = …`,
 * `let r = …`) and each assignment (`r = …`). `ownOnly`: those of `root`'s own body, not of a function nested
 * in it (`root` being a function). Every name's values are read in one walk of `root`, the first time it is
 * asked about (lead50: typebot walked a long handler once per name and per step back, ~10 s of a 31 s run).
 *
 * @param root a source file or a function (or any node whose subtree holds the values)
 * @returns the values, empty when none; the array is shared: never change it
 */
export function assignedValues(root: ts.Node, name: string, ownOnly: boolean): readonly ts.Expression[] {
  const cache = ownOnly ? OWN : ALL;
  let byName = cache.get(root);
  if (!byName) {
    const values = new Map<string, ts.Expression[]>();
    const add = (key: string, value: ts.Expression): void => {
      const list = values.get(key);
      if (list) list.push(value);
      else values.set(key, [value]);
    };
    const visit = (node: ts.Node): void => {
      if (ownOnly && ts.isFunctionLike(node)) return;
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer)
        add(node.name.text, node.initializer);
      else if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(node.left)
      )
        add(node.left.text, node.right);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(root, visit);
    byName = values;
    cache.set(root, byName);
  }
  return byName.get(name) ?? [];
}
