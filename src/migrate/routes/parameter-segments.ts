import ts from '../../typescript.cjs';
import { isFunctionLike } from '../scope.js';
import { parameterStrings } from './parameter-values.js';
import { staticString, unwrap, type Project, type ProjectFile } from './project.js';

/**
 * A route path built from a parameter of the function that registers it, whose value the project's calls do
 * not fix to one string (nightscout's `function Collection({ app, colName }) { const prefix = '/' + colName;
 * app.get(prefix, h) }`, made once per collection): the parameter stands for a whole path segment, so the route
 * answers `/:colName` (any value), as a document spells it (`/{collection}`). Only when every call the project
 * makes of the function is found and fixes the parameter to a string (since session 33). Reads what `Project.stringOf`
 * reads (literals, `const`s, templates, `+`) and puts `:name` where a parameter (or a name destructured from
 * one) fills a segment alone. Undefined when nothing is a parameter, when a parameter fills only part of a
 * segment (`/v${version}`), or when any other part cannot be read: then the path stays unknown.
 */
export function parameterPath(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): string | undefined {
  const built = pieces(project, file, expression, 0);
  if (!built || !built.some((p) => typeof p !== 'string')) return undefined;
  let out = '';
  for (let i = 0; i < built.length; i++) {
    const piece = built[i];
    if (typeof piece === 'string') {
      out += piece;
      continue;
    }
    const before = out;
    const after = built[i + 1];
    const opens = before.endsWith('/');
    const closes =
      after === undefined || (typeof after === 'string' && (after === '' || after.startsWith('/')));
    if (!opens || !closes) return undefined;
    out += `:${piece.parameter}`;
  }
  return out.startsWith('/') ? out : undefined;
}

/** A parameter's place in a path: its name. */
interface Hole {
  parameter: string;
}

const MAX_DEPTH = 6;

function pieces(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  depth: number,
): (string | Hole)[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const node = unwrap(expression);
  const literal = staticString(node);
  if (literal !== undefined) return [literal];
  if (ts.isTemplateExpression(node)) {
    const out: (string | Hole)[] = [node.head.text];
    for (const span of node.templateSpans) {
      const inner = pieces(project, file, span.expression, depth + 1);
      if (!inner) return undefined;
      out.push(...inner, span.literal.text);
    }
    return out;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = pieces(project, file, node.left, depth + 1);
    const right = left && pieces(project, file, node.right, depth + 1);
    return left && right ? [...left, ...right] : undefined;
  }
  if (!ts.isIdentifier(node)) {
    const value = project.stringOf(file, node);
    return value === undefined ? undefined : [value];
  }
  const known = project.stringOf(file, node);
  if (known !== undefined) return [known];
  for (const declaration of project.lookup(file, node, node.text)) {
    const found = declaration.node;
    if (ts.isVariableDeclaration(found) && found.initializer && isConstDeclaration(found))
      return pieces(project, declaration.file, found.initializer, depth + 1);
    // Only a parameter every call of its function fixes to a string (nightscout's `colName: 'entries'`): one the
    // calls leave to run time (NodeBB's `_mounts[original](router, mount)`, a plugin hook's answer) is no `:name`
    // segment, which would match any operation; the path stays unknown, named at the call (route-helpers.ts).
    if (isParameterName(found))
      return parameterStrings(project, declaration.file, found, (f, e) => project.stringOf(f, e))
        ? [{ parameter: node.text }]
        : undefined;
  }
  return undefined;
}

/** A function's parameter (`function f(app, name)`), or a name destructured in one (`function f({ app, name })`). */
function isParameterName(node: ts.Node): boolean {
  if (ts.isParameter(node)) return isFunctionLike(node.parent) && !node.dotDotDotToken;
  if (!ts.isBindingElement(node) || node.dotDotDotToken) return false;
  let holder: ts.Node = node.parent;
  while (ts.isObjectBindingPattern(holder) || ts.isArrayBindingPattern(holder) || ts.isBindingElement(holder))
    holder = holder.parent;
  return ts.isParameter(holder) && isFunctionLike(holder.parent);
}

function isConstDeclaration(declaration: ts.VariableDeclaration): boolean {
  return (
    ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0
  );
}
