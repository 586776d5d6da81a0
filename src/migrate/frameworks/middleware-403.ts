import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';
import { PRODUCERS, type Producer } from '../middleware-403-table.js';

/**
 * Middleware packages that answer 403 by default (middleware-403-table.ts): each import or require of one in a server
 * file is a manual site, `Implicit 403`, saying when it denies and how to answer the agreed status instead. Once
 * per package and file, at the import.
 */
export const middleware403: Framework = {
  id: 'middleware-403',
  title:
    'Middleware packages that answer 403 (lusca, csrf-csrf, express-ipfilter, koa-ip, fastify-guard, ...)',
  enablers: [],
  kinds: [ts.SyntaxKind.ImportDeclaration, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (analysis.options.testFile) return;
    const specifier = moduleSpecifier(node);
    if (!specifier) return;
    const producer = PRODUCERS.find((p) => p.module === specifier || p.also?.includes(specifier));
    if (!producer || (producer.needs && !producer.needs.test(analysis.text))) return;
    // `import type { Configuration } from 'oidc-provider'` runs nothing (bouncer's `/types` specifier is the exception).
    if (ts.isImportDeclaration(node) && node.importClause?.isTypeOnly && !producer.also?.includes(specifier))
      return;
    if (producer.configured?.test(analysis.text)) return;
    if (producer.also?.length && firstImportOf(analysis.sourceFile, producer) !== node) return;
    const n = String(analysis.target);
    analysis.addSite({
      node: ts.isImportDeclaration(node) ? node : statementOf(node),
      framework: producer.framework,
      manual: true,
      reason: `Implicit 403: ${producer.module} answers 403 when ${producer.when}. On mTLS routes ${producer.remap(n)}.`,
    });
  },
};

/** The file's first import or require of the producer's package (any of its specifiers). */
function firstImportOf(sourceFile: ts.SourceFile, producer: Producer): ts.Node | undefined {
  const names = [producer.module, ...(producer.also ?? [])];
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const specifier = moduleSpecifier(node);
    if (specifier && names.includes(specifier)) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

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
