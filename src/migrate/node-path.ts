import ts from '../typescript.cjs';

/**
 * Position look-ups in a parsed file whose cost does not grow with the width of the nodes on the way: a list of
 * children (an array literal's elements, a file's statements) is searched by halves, never read child by child.
 * A file with one 200,000-element array holding 200 `403`s placed each occurrence by reading every element, so
 * the census and the off-module reading were quadratic in the array (breaker32 case 02, docs/performance.md).
 */

/**
 * Counts the children {@link nodePath} compared with a position, for the cost tests
 * (test/migrate/node-path-cost.test.ts); never read by the tool itself.
 */
export const nodePathWork = { compared: 0 };

/**
 * The nodes holding `position`, from the file down to the innermost one: each is the child of the one before
 * whose range `[pos, end)` (leading trivia included) holds the position, as `ts.forEachChild` lists children.
 * Work: the depth of the innermost node times the logarithm of the widest child list on the way.
 *
 * @param sourceFile the parsed file.
 * @param position an offset in its text (UTF-16 code units).
 * @returns the path, starting with `sourceFile` itself (alone when no child holds the position).
 */
export function nodePath(sourceFile: ts.SourceFile, position: number): ts.Node[] {
  const path: ts.Node[] = [sourceFile];
  for (let next = childAt(sourceFile, position); next; next = childAt(next, position)) path.push(next);
  return path;
}

/** The child of `node` whose range holds `position` (children never overlap, so there is at most one). */
function childAt(node: ts.Node, position: number): ts.Node | undefined {
  return ts.forEachChild(
    node,
    (child) => {
      nodePathWork.compared++;
      return child.pos <= position && position < child.end ? child : undefined;
    },
    (children) =>
      position < children.pos || position >= children.end ? undefined : search(children, position),
  );
}

/** Binary search of a child list (ordered by position, disjoint ranges) for the element holding `position`. */
function search(children: ts.NodeArray<ts.Node>, position: number): ts.Node | undefined {
  // The last element starting at or before `position` is the only one that can hold it.
  let low = 0;
  let high = children.length - 1;
  let last = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    nodePathWork.compared++;
    if (children[middle].pos <= position) {
      last = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  const found = last >= 0 ? children[last] : undefined;
  return found && position < found.end ? found : undefined;
}
