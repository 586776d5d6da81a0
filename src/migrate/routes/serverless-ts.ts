import path from 'node:path';
import ts from '../../typescript.cjs';
import { eventRoutes, serverlessEvents } from './lambda-config.js';
import type { CodeRoute } from './model.js';
import { lineOf, unwrap, type Project, type ProjectFile } from './project.js';

/**
 * Lambda routes of a Serverless Framework service configured in TypeScript or JavaScript (`serverless.ts`,
 * `serverless.js`, `.cjs`, `.mjs`: the `aws-nodejs-typescript` template), read as `serverless.yml` is
 * (lambda-config.ts): the object the file exports (`export default`, `module.exports =`, through a `const`),
 * its `provider` and `functions`. Functions may be written in place, as shorthand or spread properties of
 * imported objects (`functions: { hello }` with `import hello from '@functions/hello'`), and a handler may be
 * `` `${handlerPath(__dirname)}/handler.main` ``: a call given only `__dirname` is read as the defining file's
 * folder, relative to the service's (the template's `handlerPath` helper). What is not written as text (a
 * function map built by a call, a handler computed otherwise) leaves that function's events listed for review.
 * https://www.serverless.com/framework/docs/providers/aws/guide/intro ("serverless.ts").
 */
export function extractServerlessTsRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const file of project.files) {
    if (!/(?:^|\/)serverless\.[cm]?[jt]s$/.test(file.relative)) continue;
    const config = exported(project, file);
    if (!config) continue;
    const reader = new Reader(project, path.posix.dirname(file.relative));
    const data = reader.data(config.file, config.node);
    const provider = record(record(data)?.provider);
    const name = provider?.name;
    if (name !== undefined && name !== 'aws') continue;
    const runtime = typeof provider?.runtime === 'string' ? provider.runtime : undefined;
    const functions = record(record(data)?.functions);
    if (!functions) continue;
    // `functions: { ...buildFunctions() }`: what it adds is unknown, so it is listed, never dropped.
    for (const spread of reader.unread.filter((u) => u.where[0] === 'functions' && u.where.length <= 2))
      routes.push({
        framework: 'serverless',
        method: 'ALL',
        path: '/*',
        syntax: 'colon',
        file: spread.file,
        line: spread.line,
        handlers: [],
        unresolved: `Lambda functions of ${spread.file}:${spread.line} not read: ${spread.text} is not written as an object`,
        unreadable: true,
      });
    const authorizers = record(record(provider?.httpApi)?.authorizers);
    for (const event of serverlessEvents(functions, ['functions'], runtime, authorizers)) {
      const at = reader.positionOf(event.where) ?? { file: file.relative, line: lineOf(file, config.node) };
      routes.push(...eventRoutes(project, file.relative, { ...event, at: at.file, line: at.line }));
    }
  }
  return routes;
}

/** The value a module exports as its default (`export default x`, `module.exports = x`, `export = x`). */
function exported(
  project: Project,
  file: ProjectFile,
): { file: ProjectFile; node: ts.Expression } | undefined {
  for (const statement of file.sourceFile.statements) {
    if (ts.isExportAssignment(statement)) return { file, node: statement.expression };
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      statement.expression.left.getText(file.sourceFile) === 'module.exports'
    )
      return { file, node: statement.expression.right };
  }
  const declarations = project.exportOf(file, 'default');
  const first = declarations[0];
  return first && ts.isExpression(first.node) ? { file: first.file, node: first.node } : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Turns an expression of literals (objects, arrays, strings, numbers, booleans) into plain data. */
class Reader {
  private readonly positions = new Map<string, { file: string; line: number }>();
  /** Spread properties whose value is not written as an object (`...buildFunctions()`), where they are. */
  readonly unread: { where: (string | number)[]; file: string; line: number; text: string }[] = [];

  constructor(
    private readonly project: Project,
    /** The service's folder (the serverless.ts file's), relative to the working folder. */
    private readonly service: string,
  ) {}

  /** The file and line of the value at `where` (or of its nearest parent read). */
  positionOf(where: readonly (string | number)[]): { file: string; line: number } | undefined {
    for (let n = where.length; n > 0; n--) {
      const found = this.positions.get(where.slice(0, n).join('\u0000'));
      if (found) return found;
    }
    return undefined;
  }

  data(file: ProjectFile, expression: ts.Expression, where: (string | number)[] = [], depth = 0): unknown {
    const node = unwrap(expression);
    if (depth > 12) return undefined;
    this.positions.set(where.join('\u0000'), { file: file.relative, line: lineOf(file, node) });
    if (ts.isObjectLiteralExpression(node)) {
      const out: Record<string, unknown> = {};
      for (const property of node.properties) {
        if (ts.isSpreadAssignment(property)) {
          const spread = record(this.data(file, property.expression, where, depth + 1));
          if (spread) Object.assign(out, spread);
          else
            this.unread.push({
              where,
              file: file.relative,
              line: lineOf(file, property),
              text: property.getText(file.sourceFile),
            });
        } else if (ts.isShorthandPropertyAssignment(property)) {
          const key = property.name.text;
          out[key] = this.data(file, property.name, [...where, key], depth + 1);
        } else if (ts.isPropertyAssignment(property)) {
          const key =
            ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name)
              ? property.name.text
              : undefined;
          if (key !== undefined) out[key] = this.data(file, property.initializer, [...where, key], depth + 1);
        }
      }
      return out;
    }
    if (ts.isArrayLiteralExpression(node))
      return node.elements.map((element, index) => this.data(file, element, [...where, index], depth + 1));
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (ts.isIdentifier(node)) {
      for (const declaration of this.project.lookup(file, node, node.text)) {
        const value = valueOf(declaration.node);
        if (value) return this.data(declaration.file, value, where, depth + 1);
      }
    }
    if (ts.isTemplateExpression(node)) return this.template(file, node);
    return this.project.stringOf(file, node);
  }

  /** `` `${handlerPath(__dirname)}/handler.main` ``: the defining file's folder, relative to the service's. */
  private template(file: ProjectFile, node: ts.TemplateExpression): string | undefined {
    let out = node.head.text;
    for (const span of node.templateSpans) {
      const part = unwrap(span.expression);
      const dirname = (e: ts.Expression): boolean =>
        ts.isIdentifier(unwrap(e)) && unwrap(e).getText() === '__dirname';
      if (
        dirname(part) ||
        (ts.isCallExpression(part) && part.arguments.length === 1 && dirname(part.arguments[0]))
      )
        out += path.posix.relative(this.service, path.posix.dirname(file.relative)) || '.';
      else {
        const value = this.project.stringOf(file, part);
        if (value === undefined) return undefined;
        out += value;
      }
      out += span.literal.text;
    }
    return out;
  }
}

/** The expression a declaration holds: a `const` initializer, an `export default` / `module.exports` value. */
function valueOf(node: ts.Node): ts.Expression | undefined {
  if (ts.isVariableDeclaration(node)) return node.initializer;
  if (ts.isExportAssignment(node)) return node.expression;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) return node.right;
  if (ts.isObjectLiteralExpression(node)) return node;
  return undefined;
}
