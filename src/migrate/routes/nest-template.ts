import ts from '../../typescript.cjs';
import { unwrap, type Project, type ProjectFile } from './project.js';

/**
 * A path template whose substitutions are known only at run time, read as the routers would match it when
 * every unknown `${…}` stays inside one segment: that segment becomes a parameter named after the expression
 * (`` `api/v${process.env.VERSION}` `` -> `api/:VERSION`), the same rule `--include-tests` applies to
 * `${…}` in request URLs. Known constants are substituted (`project.stringOf`). A parameter matches one
 * segment of any value, so two operations it could both answer (`/api/v1/x`, `/api/v2/x`) come out ambiguous,
 * never rewritten.
 *
 * @returns undefined when the template is not one (a plain identifier, a call), when an unknown part starts
 *   the path (it may hold any number of segments: `` `${base}/api` ``) or when nothing in it is static.
 */
export function templatePath(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): string | undefined {
  const parts = pieces(project, file, unwrap(expression));
  if (!parts || !parts.some((p) => typeof p === 'string' && p.replace(/\//g, '') !== '')) return undefined;
  // Split into segments; a segment holding an unknown part becomes one parameter.
  const segments: { text: string; unknown?: string }[] = [{ text: '' }];
  for (const part of parts) {
    const current = segments[segments.length - 1];
    if (!current) return undefined;
    if (typeof part !== 'string') {
      current.unknown ??= part.name;
      continue;
    }
    const [first = '', ...rest] = part.split('/');
    current.text += first;
    for (const piece of rest) segments.push({ text: piece });
  }
  // An unknown part that starts the path (an origin, a base of any number of segments) cannot be placed.
  const first = segments.find((s) => s.text !== '' || s.unknown);
  if (!first || (first.unknown && first.text === '')) return undefined;
  return segments.map((s) => (s.unknown ? `:${s.unknown}` : s.text)).join('/');
}

type Piece = string | { name: string };

function pieces(project: Project, file: ProjectFile, node: ts.Expression): Piece[] | undefined {
  const known = project.stringOf(file, node);
  if (known !== undefined) return [known];
  if (ts.isTemplateExpression(node)) {
    const out: Piece[] = [node.head.text];
    for (const span of node.templateSpans) {
      const value = project.stringOf(file, span.expression);
      out.push(value ?? { name: nameOf(span.expression) }, span.literal.text);
    }
    return out;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = pieces(project, file, unwrap(node.left)) ?? [{ name: nameOf(node.left) }];
    const right = pieces(project, file, unwrap(node.right)) ?? [{ name: nameOf(node.right) }];
    return [...left, ...right];
  }
  return undefined;
}

/** `process.env.VERSION` -> `VERSION`, `config.api.version` -> `version`, anything else -> `param`. */
function nameOf(expression: ts.Expression): string {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return 'param';
}
