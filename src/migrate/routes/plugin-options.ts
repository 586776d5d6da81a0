import ts from '../../typescript.cjs';
import { isFunctionNode, propertyName, staticString, unwrap, type ProjectFile } from './project.js';
import type { Project } from './project.js';

/**
 * Route paths read from the options a plugin is registered with: Fastify's `fastify.register(plugin, { base:
 * '/v1' })` and hapi's `server.register({ plugin, options: { base: '/v1' } })` hand the options object to the
 * plugin function's second parameter, and the plugin builds its urls from it (``app.get(`${opts.base}/x`, h)``,
 * `url: base + '/x'` with `{ base }` destructured, `const base = options.base`). A path like that is a template
 * whose holes are members of that parameter; each registration fills it with its own values (compose.ts), so one
 * plugin registered twice gives two routes. Sources: Fastify docs "Plugins" (`register(plugin, [options])`, the
 * options reach the plugin's `opts`), hapi API `server.register(plugins, [options])` (`plugin.options`).
 */

/** A path whose run-time parts are options of the plugin function `fn` (its second parameter). */
export interface OptionTemplate {
  /** The plugin function whose second parameter the options are. */
  fn: ts.Node;
  /** Literal text, and the option names the registration fills in, in order. */
  parts: (string | { option: string })[];
}

/** The string options one registration gives its plugin, with where that registration is written. */
export interface PluginOptions {
  fn: ts.Node;
  values: ReadonlyMap<string, string>;
  /** `file:line` of the registration, for the reason of a route whose option it does not give. */
  at: string;
}

const MAX_DEPTH = 6;

/**
 * The template a route path expression spells over the options of the plugin function it is written in;
 * undefined when some part is neither a string the project fixes nor an option, or when no part is an option.
 */
export function optionTemplate(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): OptionTemplate | undefined {
  const parts: OptionTemplate['parts'] = [];
  let fn: ts.Node | undefined;
  const read = (node: ts.Expression, depth: number): boolean => {
    const inner = unwrap(node);
    if (depth > MAX_DEPTH) return false;
    const literal = staticString(inner);
    if (literal !== undefined) {
      parts.push(literal);
      return true;
    }
    if (ts.isTemplateExpression(inner)) {
      parts.push(inner.head.text);
      for (const span of inner.templateSpans) {
        if (!read(span.expression, depth + 1)) return false;
        parts.push(span.literal.text);
      }
      return true;
    }
    if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken)
      return read(inner.left, depth + 1) && read(inner.right, depth + 1);
    const option = optionOf(project, file, inner, depth);
    if (option) {
      if (fn && fn !== option.fn) return false;
      fn = option.fn;
      parts.push({ option: option.name });
      return true;
    }
    const fixed = project.stringOf(file, inner);
    if (fixed === undefined) return false;
    parts.push(fixed);
    return true;
  };
  if (!read(expression, 0) || !fn) return undefined;
  return { fn, parts };
}

/** The path a template gives under one registration's options; the missing option's name when it gives none. */
export function fillTemplate(
  template: OptionTemplate,
  options: PluginOptions | undefined,
): { path: string } | { missing: string } {
  let out = '';
  for (const part of template.parts) {
    if (typeof part === 'string') out += part;
    else {
      const value = options?.values.get(part.option);
      if (value === undefined) return { missing: part.option };
      out += value;
    }
  }
  return { path: out };
}

/**
 * The string members of the options object a registration passes (inline, or a constant holding it); members
 * whose value the project does not fix are left out (a route reading one stays computed at run time).
 */
export function optionValues(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression | undefined,
): Map<string, string> {
  const values = new Map<string, string>();
  const object = expression ? objectLiteral(project, file, expression) : undefined;
  if (!object) return values;
  for (const p of object.node.properties) {
    if (ts.isPropertyAssignment(p)) {
      const name = propertyName(p.name);
      const value = project.stringOf(object.file, p.initializer);
      if (name !== undefined && value !== undefined) values.set(name, value);
    } else if (ts.isShorthandPropertyAssignment(p)) {
      const value = project.stringOf(object.file, p.name);
      if (value !== undefined) values.set(p.name.text, value);
    }
  }
  return values;
}

function objectLiteral(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): { file: ProjectFile; node: ts.ObjectLiteralExpression } | undefined {
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return { file, node };
  if (!ts.isIdentifier(node) || depth > 3) return undefined;
  for (const d of project.lookup(file, node, node.text))
    if (ts.isVariableDeclaration(d.node) && d.node.initializer) {
      const found = objectLiteral(project, d.file, d.node.initializer, depth + 1);
      if (found) return found;
    }
  return undefined;
}

/**
 * `opts.base`, `base` of `{ base }: Opts` or `const { base } = opts`, `const base = opts.base`: an option of the
 * plugin function whose second parameter `opts` is, with that function.
 */
function optionOf(
  project: Project,
  file: ProjectFile,
  node: ts.Expression,
  depth: number,
): { fn: ts.Node; name: string } | undefined {
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const holder = optionsParameter(project, file, node.expression);
    return holder ? { fn: holder, name: node.name.text } : undefined;
  }
  if (!ts.isIdentifier(node)) return undefined;
  for (const d of project.lookup(file, node, node.text)) {
    if (ts.isBindingElement(d.node) && ts.isObjectBindingPattern(d.node.parent)) {
      const name = d.node.propertyName ? propertyName(d.node.propertyName) : node.text;
      const pattern = d.node.parent.parent;
      if (name === undefined || d.node.dotDotDotToken) return undefined;
      // `async (app, { base }) => …`
      if (ts.isParameter(pattern)) {
        const fn = secondParameterOf(pattern);
        return fn ? { fn, name } : undefined;
      }
      // `const { base } = opts`
      if (ts.isVariableDeclaration(pattern) && pattern.initializer) {
        const init = unwrap(pattern.initializer);
        const holder = ts.isIdentifier(init) ? optionsParameter(project, d.file, init) : undefined;
        return holder ? { fn: holder, name } : undefined;
      }
      return undefined;
    }
    // `const base = opts.base`
    if (
      ts.isVariableDeclaration(d.node) &&
      d.node.initializer &&
      ts.isVariableDeclarationList(d.node.parent) &&
      d.node.parent.flags & ts.NodeFlags.Const &&
      depth < MAX_DEPTH
    )
      return optionOf(project, d.file, unwrap(d.node.initializer), depth + 1);
  }
  return undefined;
}

/** The function whose second parameter the identifier names, if it does. */
function optionsParameter(
  project: Project,
  file: ProjectFile,
  identifier: ts.Identifier,
): ts.Node | undefined {
  for (const d of project.lookup(file, identifier, identifier.text))
    if (ts.isParameter(d.node) && ts.isIdentifier(d.node.name)) return secondParameterOf(d.node);
  return undefined;
}

function secondParameterOf(parameter: ts.ParameterDeclaration): ts.Node | undefined {
  const fn = parameter.parent;
  return isFunctionNode(fn) && fn.parameters[1] === parameter ? fn : undefined;
}
