import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { collectImports, normalizeModule, type ImportBinding } from '../imports.js';
import type { ImportLink } from '../analysis/types.js';
import type { Framework } from './framework.js';
import { classNamed } from './shared.js';
import { PRODUCERS, STATUS_OPTIONS, type Producer, type StatusOption } from '../middleware-403-table.js';
import { skipOuter } from '../analysis/syntax.js';
import { namedProducer } from './middleware-403-names.js';
import { fallsThrough } from './static-fallthrough.js';
import { oauthScopeSite } from './oauth-scopes.js';

/**
 * Middleware packages that answer 403 by default (middleware-403-table.ts): each import or require of one in a server
 * file is a manual site, `Implicit 403`, saying when it denies and how to answer the agreed status instead. Once
 * per package and file, at the import. A package loaded by its name as a string (a computed `require`, a Glue
 * manifest's `plugin: '…'`) is a site at that string (middleware-403-names.ts). The oauth2-server family's scope
 * checks are sites at their calls (oauth-scopes.ts).
 */
export const middleware403: Framework = {
  id: 'middleware-403',
  title:
    'Middleware packages that answer 403 (lusca, csrf-csrf, express-ipfilter, koa-ip, fastify-guard, ...)',
  enablers: [],
  kinds: [
    ts.SyntaxKind.ImportDeclaration,
    ts.SyntaxKind.CallExpression,
    ts.SyntaxKind.NewExpression,
    ts.SyntaxKind.ClassDeclaration,
    ts.SyntaxKind.StringLiteral,
    ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ],
  visit(node, analysis) {
    if (analysis.options.testFile) return;
    if (ts.isStringLiteralLike(node)) {
      const named = namedProducer(node, analysis);
      if (named)
        analysis.addSite({
          node,
          framework: named.producer.framework,
          manual: true,
          reason: named.reason,
          remapLayers: named.producer.layers,
        });
      return;
    }
    if (ts.isClassDeclaration(node)) {
      inheritedProducer(node, analysis);
      return;
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      statusOption(node, analysis);
      oauthScopeSite(node, analysis);
    }
    if (ts.isNewExpression(node)) return;
    if (staticCall(node, analysis)) return;
    const specifier = moduleSpecifier(node);
    if (!specifier) return;
    const producer = PRODUCERS.find((p) => p.module === specifier || p.also?.includes(specifier));
    if (!producer || (producer.needs && !producer.needs.test(analysis.text))) return;
    // `import type { Configuration } from 'oidc-provider'` runs nothing (bouncer's `/types` specifier is the exception).
    if (ts.isImportDeclaration(node) && node.importClause?.isTypeOnly && !producer.also?.includes(specifier))
      return;
    if (producer.configured?.test(analysis.text) || producer.staticCalls) return;
    if (producer.also?.length && firstImportOf(analysis.sourceFile, producer) !== node) return;
    const n = String(analysis.target);
    analysis.addSite({
      node: ts.isImportDeclaration(node) ? node : statementOf(node),
      framework: producer.framework,
      manual: true,
      reason: producer.partly?.option.test(analysis.text)
        ? producer.partly.reason(n)
        : `Implicit 403: ${producer.module} answers 403 when ${producer.when}. On mTLS routes ${producer.remap(n)}.`,
      remapLayers: producer.layers,
    });
  },
};

/**
 * A call of a producer's static serving (`Producer.staticCalls`: @feathersjs/express's `express.static(root)`,
 * `serveStatic(root, { fallthrough: false })`) that answers send's 403 itself: a site at the call. Returns whether
 * the node was such a call, answering or not.
 */
function staticCall(node: ts.Node, analysis: FileAnalysis): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuter(node.expression);
  let module: string | undefined;
  let name: string | undefined;
  if (ts.isIdentifier(callee)) {
    const binding = analysis.importOf(callee.text);
    module = binding?.module;
    name = binding?.name;
  } else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const binding = analysis.importOf(callee.expression.text);
    if (binding?.name === 'default' || binding?.name === '*') {
      module = binding.module;
      name = callee.name.text;
    }
  }
  const producer = module && PRODUCERS.find((p) => p.module === module && p.staticCalls);
  if (!producer || !name || !producer.staticCalls?.includes(name)) return false;
  if (!fallsThrough(node)) {
    const n = String(analysis.target);
    analysis.addSite({
      node,
      framework: producer.framework,
      manual: true,
      reason: `Implicit 403: ${producer.module}'s ${name} answers 403 when ${producer.when.replace(/^static serving \([^)]*\) /, 'it ')} (fallthrough: false, or options mtls-fix cannot read). On mTLS routes ${producer.remap(n)}.`,
      remapLayers: producer.layers,
    });
  }
  return true;
}

/**
 * A 403 written in a middleware factory's status option (middleware-403-table.ts `STATUS_OPTIONS`:
 * `rateLimit({ statusCode: 403 })`, `csrfSync({ errorConfig: { statusCode: 403 } })`): rewritten where it is
 * written, as any status slot. Before session 34 it was an unknown shape (named, never rewritten).
 */
function statusOption(node: ts.CallExpression | ts.NewExpression, analysis: FileAnalysis): void {
  const options = importedOptions(analysis);
  if (!options.length) return;
  const option = options.find((o) => isFactory(analysis, node.expression, o));
  const argument = node.arguments?.[0];
  if (!option || !argument) return;
  let value: ts.Expression | undefined = argument;
  for (const key of option.path) value = value && propertyValue(value, key);
  if (!value) return;
  const edits = analysis.forbiddenValueEdits(value);
  if (edits) analysis.addSite({ node: value.parent, at: value, framework: option.framework, edits });
}

/** Each file's STATUS_OPTIONS whose module it imports (see importedOptions). */
const IMPORTED_OPTIONS = new WeakMap<FileAnalysis, readonly StatusOption[]>();

/**
 * The STATUS_OPTIONS whose module the file imports (a binding whose module, `node:` dropped, is the option's):
 * `isFactory` answers false for every other option, whose factory can only be a name or a member of a name
 * imported from its module. Made once per file, in table order, not once per call.
 */
function importedOptions(analysis: FileAnalysis): readonly StatusOption[] {
  let options = IMPORTED_OPTIONS.get(analysis);
  if (!options) {
    const modules = new Set([...analysis.imports.values()].map((binding) => normalizeModule(binding.module)));
    options = STATUS_OPTIONS.filter((option) => modules.has(option.module));
    IMPORTED_OPTIONS.set(analysis, options);
  }
  return options;
}

/** `rateLimit` / `RateLimit` / `m.rateLimit` naming one of the option's factories, imported from its module. */
function isFactory(analysis: FileAnalysis, callee: ts.Expression, option: StatusOption): boolean {
  const inner = skipOuter(callee);
  if (ts.isIdentifier(inner)) {
    const binding = analysis.importOf(inner.text);
    if (!binding || binding.module !== option.module) return false;
    const name = binding.name === '*' ? 'default' : binding.name;
    return option.factories.includes(name);
  }
  return option.factories.some(
    (name) => name !== 'default' && analysis.resolvesTo(inner, [option.module], name),
  );
}

/** The value of `key` in an object literal (`{ key: v }`, `{ key }` reads the local `key`), else undefined. */
function propertyValue(object: ts.Expression, key: string): ts.Expression | undefined {
  const inner = skipOuter(object);
  if (!ts.isObjectLiteralExpression(inner)) return undefined;
  for (const property of inner.properties) {
    if (!property.name || propertyName(property.name) !== key) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
  }
  return undefined;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}

/** The file's first import or require of the producer's package (any of its specifiers). */
function firstImportOf(sourceFile: ts.SourceFile, producer: Producer): ts.Node | undefined {
  const names = [producer.module, ...(producer.also ?? [])];
  return importsOf(sourceFile).find((i) => names.includes(i.specifier))?.node;
}

/** Every import, `require(…)` and `import(…)` of a file with its specifier, in source order, read once per file. */
function importsOf(sourceFile: ts.SourceFile): readonly { node: ts.Node; specifier: string }[] {
  let list = importsByFile.get(sourceFile);
  if (list) return list;
  const found: { node: ts.Node; specifier: string }[] = [];
  const visit = (node: ts.Node): void => {
    const specifier = moduleSpecifier(node);
    if (specifier) found.push({ node, specifier });
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  importsByFile.set(sourceFile, (list = found));
  return list;
}

/**
 * `importsOf`' answers by file: a file's classes each ask for every producer's import (`inheritedProducer`), which
 * walked the whole file once per class and producer (trigger.dev: 218 s of 452 s sampled).
 */
const importsByFile = new WeakMap<ts.SourceFile, readonly { node: ts.Node; specifier: string }[]>();

/** `'x'` of `import … from 'x'`, `require('x')`, `import('x')`. */
function moduleSpecifier(node: ts.Node): string | undefined {
  if (ts.isImportDeclaration(node))
    return ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
  if (!ts.isCallExpression(node) || node.arguments.length !== 1) return undefined;
  const [argument] = node.arguments;
  const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
  const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
  return (isRequire || isImport) && ts.isStringLiteralLike(argument) ? argument.text : undefined;
}

/** The statement a `require(…)` sits in (the site shows the whole `const x = require('x')`). */
function statementOf(node: ts.Node): ts.Node {
  for (let current: ts.Node | undefined = node; current; current = current.parent)
    if (ts.isStatement(current) && !ts.isBlock(current)) return current;
  return node;
}

/** How many project classes up an `extends` chain is followed to a producer's class. */
const MAX_ANCESTORS = 5;

/**
 * A class that extends a project class which (in turn) extends a producer's class: an AdonisJS policy
 * `extends BasePolicy` from `#policies/base_policy`, whose own `BasePolicy` comes from '@adonisjs/bouncer'. The
 * file imports nothing from the package, so its import is no site; the `extends` clause is, once per class.
 * A file that imports the package itself is already a site at that import.
 */
function inheritedProducer(node: ts.ClassDeclaration, analysis: FileAnalysis): void {
  const clause = extendsClause(node);
  if (!clause || !ts.isIdentifier(clause.expression)) return;
  if (PRODUCERS.some((p) => firstImportOf(analysis.sourceFile, p))) return;
  let binding: ImportBinding | undefined = analysis.importOf(clause.expression.text);
  let link: ImportLink | undefined = analysis.options.link;
  for (let depth = 0; binding && link && depth < MAX_ANCESTORS; depth++) {
    const site = link.declaration?.(binding);
    if (!site) return;
    const base = classNamed(site.sourceFile, site.name);
    const next = base && extendsClause(base);
    if (!next || !ts.isIdentifier(next.expression)) return;
    binding = collectImports(site.sourceFile).get(next.expression.text);
    const module = binding?.module;
    const producer = module
      ? PRODUCERS.find((p) => p.module === module || p.also?.includes(module))
      : undefined;
    if (producer) {
      const n = String(analysis.target);
      analysis.addSite({
        node: clause,
        framework: producer.framework,
        manual: true,
        reason: `Implicit 403: this class extends ${clause.expression.text}, which leads to ${producer.module} (${analysis.options.link?.relative?.(site.file) ?? site.file} extends its ${next.expression.text}): ${producer.module} answers 403 when ${producer.when}. On mTLS routes ${producer.remap(n)}.`,
        remapLayers: producer.layers,
      });
      return;
    }
    link = site.link;
  }
}

/** The `extends X` of a class, if any. */
function extendsClause(node: ts.ClassLikeDeclaration): ts.ExpressionWithTypeArguments | undefined {
  return node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
}
