import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { PRODUCERS, type Producer } from '../middleware-403-table.js';

/** Each producer by every specifier that names it (`module` and `also`). */
const BY_NAME: ReadonlyMap<string, Producer> = new Map(
  PRODUCERS.flatMap((p) => [p.module, ...(p.also ?? [])].map((name): [string, Producer] => [name, p])),
);

/**
 * A 403-answering package (middleware-403-table.ts) loaded by its name written as a string, not by an import of
 * that string: each string is no import, so the import sites never saw it, and the package's 403 was silent.
 * Two shapes load a package so, both read here:
 * - the file loads modules by a computed name (`require(name)`, `` require(`${name}`) ``, `import(name)`) and
 *   holds the package's name as a string (screwdriver-cd/screwdriver lib/registerPlugins.js:
 *   `const plugins = [..., '@hapi/crumb']` then `server.register({ plugin: require(`${pluginName}`) })`);
 * - the string is a `plugin` property's value, as a hapi Glue manifest names the plugins it requires
 *   (`register: { plugins: [{ plugin: '@hapi/crumb', options }] }`; glue lib/index.js requires a string plugin).
 *
 * The site is the string, once per package and file; a file that also imports the package is already a site at
 * that import (frameworks/middleware-403.ts), and `needs` / `configured` / `partly` read the file as there.
 * Returns the producer and the reason to report, or undefined when the string is no such load.
 */
export function namedProducer(
  node: ts.StringLiteralLike,
  analysis: FileAnalysis,
): { producer: Producer; reason: string } | undefined {
  const producer = BY_NAME.get(node.text);
  if (!producer || producer.staticCalls || isSpecifier(node) || ts.isImportTypeNode(node.parent.parent))
    return undefined;
  const glue = isPluginValue(node);
  if (!glue && !loadsByComputedName(analysis.sourceFile)) return undefined;
  if (producer.needs && !producer.needs.test(analysis.text)) return undefined;
  if (producer.configured?.test(analysis.text)) return undefined;
  if (firstNameOf(analysis.sourceFile, producer) !== node) return undefined;
  const n = String(analysis.target);
  const how = glue
    ? `this manifest loads ${producer.module} by name`
    : `this file loads modules by a computed name, and names ${producer.module} here`;
  const what = producer.partly?.option.test(analysis.text)
    ? producer.partly.reason(n)
    : `Implicit 403: ${producer.module} answers 403 when ${producer.when}. On mTLS routes ${producer.remap(n)}.`;
  return { producer, reason: `${what} (${how}.)` };
}

/** `'x'` in `import … from 'x'`, `export … from 'x'`, `require('x')`, `import('x')`: read as an import. */
function isSpecifier(node: ts.StringLiteralLike): boolean {
  const parent = node.parent;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) return true;
  if (ts.isExternalModuleReference(parent) || ts.isLiteralTypeNode(parent)) return true;
  if (!ts.isCallExpression(parent) || parent.arguments[0] !== node) return false;
  return isLoad(parent);
}

/** `require(…)` or `import(…)`. */
function isLoad(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')
  );
}

/** `{ plugin: 'x' }` (a Glue manifest entry), not a computed key. */
function isPluginValue(node: ts.StringLiteralLike): boolean {
  const parent = node.parent;
  if (!ts.isPropertyAssignment(parent) || parent.initializer !== node) return false;
  const name = parent.name;
  return (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === 'plugin';
}

const computedLoads = new WeakMap<ts.SourceFile, boolean>();

/** Whether the file calls `require(x)` / `import(x)` with anything but a plain string (once per file). */
function loadsByComputedName(sourceFile: ts.SourceFile): boolean {
  const known = computedLoads.get(sourceFile);
  if (known !== undefined) return known;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && isLoad(node) && node.arguments.length > 0) {
      const argument = node.arguments[0];
      if (!ts.isStringLiteral(argument) && !ts.isNoSubstitutionTemplateLiteral(argument)) found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  computedLoads.set(sourceFile, found);
  return found;
}

/** The file's first string naming the producer's package, or undefined when the file imports it (a site there). */
function firstNameOf(sourceFile: ts.SourceFile, producer: Producer): ts.Node | undefined {
  const names = new Set([producer.module, ...(producer.also ?? [])]);
  let first: ts.Node | undefined;
  let imported = false;
  const visit = (node: ts.Node): void => {
    if (imported) return;
    if (ts.isStringLiteralLike(node) && names.has(node.text)) {
      if (isSpecifier(node)) imported = true;
      else first ??= node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return imported ? undefined : first;
}
