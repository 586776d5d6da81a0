import ts from '../../typescript.cjs';
import type { Span } from './model.js';
import { unwrap, type Project, type ProjectFile } from './project.js';
import { span } from './syntax.js';

/**
 * Egg.js loads controllers, services and middleware by file name, not by import: `controller.admin.user.create`
 * is the method `create` of `app/controller/admin/user.js`, `ctx.service.user.find()` the method `find` of
 * `app/service/user.js`, `app.middleware.certOnly()` the function `app/middleware/cert_only.js` exports. File and
 * folder names are camel-cased as egg's loader does (`user_info.js` and `user-info.js` are `userInfo`).
 * Source: egg docs, "Controller", "Service", "Middleware" and the loader's `caseStyle: 'camel'` default.
 */
export class EggTargets {
  /** Each load folder's files by their path of camel-cased names (`admin.user`), per app root and kind. */
  private readonly folders = new Map<string, ReadonlyMap<string, ProjectFile>>();

  constructor(
    private readonly project: Project,
    /** The folder holding `app/` (`''` for the working folder), `/`-separated. */
    private readonly root: string,
  ) {}

  /**
   * The code a controller chain names (`['admin', 'user', 'create']`, or a string handler `'admin.user.create'`
   * split on dots): the method of the file the leading names spell, and the services it calls. Empty when no
   * file or member has those names.
   */
  controller(parts: readonly string[]): Span[] {
    const member = this.member('controller', parts);
    return member ? [span(member.file, member.node), ...this.servicesOf(member.file, member.node)] : [];
  }

  /** The function `app/middleware/<name>.js` exports (its whole export: the factory and what it returns). */
  middleware(name: string): Span[] {
    const file = this.files('middleware').get(camelize(name));
    if (!file) return [];
    const exported = exportedValue(file);
    return [span(file, exported ?? file.sourceFile)];
  }

  /** The actions a controller file defines, by name (`index`, `show`, ... of `router.resources`). */
  actions(parts: readonly string[]): Map<string, Span[]> {
    const file = this.files('controller').get(parts.join('.'));
    const out = new Map<string, Span[]>();
    if (!file) return out;
    for (const [name, node] of members(file))
      out.set(name, [span(file, node), ...this.servicesOf(file, node)]);
    return out;
  }

  /**
   * The service methods code calls (`this.service.user.find()`, `ctx.service.user.find()`,
   * `this.ctx.service.pay.refund.run()`), followed into what those methods call, each once.
   */
  private servicesOf(file: ProjectFile, node: ts.Node, seen = new Set<ts.Node>()): Span[] {
    const out: Span[] = [];
    const visit = (child: ts.Node): void => {
      if (ts.isCallExpression(child)) {
        const parts = serviceChain(child.expression);
        const member = parts ? this.member('service', parts) : undefined;
        if (member && !seen.has(member.node)) {
          seen.add(member.node);
          out.push(span(member.file, member.node), ...this.servicesOf(member.file, member.node, seen));
        }
      }
      child.forEachChild(visit);
    };
    visit(node);
    return out;
  }

  /** The member the trailing name of `parts` names in the file the leading ones spell (longest file first). */
  private member(
    kind: 'controller' | 'service',
    parts: readonly string[],
  ): { file: ProjectFile; node: ts.Node } | undefined {
    const files = this.files(kind);
    for (let k = parts.length - 1; k >= 1; k--) {
      const file = files.get(parts.slice(0, k).join('.'));
      const node = file ? members(file).get(parts[k] ?? '') : undefined;
      if (file && node) return { file, node };
    }
    return undefined;
  }

  private files(kind: 'controller' | 'service' | 'middleware'): ReadonlyMap<string, ProjectFile> {
    const cached = this.folders.get(kind);
    if (cached) return cached;
    const base = `${this.root ? `${this.root}/` : ''}app/${kind}/`;
    const out = new Map<string, ProjectFile>();
    for (const file of this.project.files) {
      if (!file.relative.startsWith(base) || file.relative.endsWith('.d.ts')) continue;
      const name = file.relative
        .slice(base.length)
        .replace(/\.[cm]?[jt]sx?$/, '')
        .split('/')
        .map(camelize)
        .join('.');
      if (!out.has(name)) out.set(name, file);
    }
    this.folders.set(kind, out);
    return out;
  }
}

/** egg's loader name for a file or folder: `user_info` and `user-info` are `userInfo`. */
export function camelize(name: string): string {
  const words = name.split(/[_-]/).filter(Boolean);
  return words
    .map((w, i) =>
      i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join('');
}

/** `service.a.b` under `this.`, `ctx.`, `this.ctx.` or `app.`: `['a', 'b']`; undefined for other callees. */
function serviceChain(callee: ts.Expression): string[] | undefined {
  const parts: string[] = [];
  let node = unwrap(callee);
  while (ts.isPropertyAccessExpression(node)) {
    if (node.name.text === 'service') return parts.length >= 2 ? parts : undefined;
    parts.unshift(node.name.text);
    node = unwrap(node.expression);
  }
  return undefined;
}

/** What a file exports as a whole: `module.exports = X`, `export default X`, or undefined. */
function exportedValue(file: ProjectFile): ts.Node | undefined {
  for (const statement of file.sourceFile.statements) {
    if (ts.isExportAssignment(statement)) return statement.expression;
    if (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) {
      const isDefault = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (isDefault) return statement;
    }
    if (!ts.isExpressionStatement(statement)) continue;
    const expression = statement.expression;
    if (
      ts.isBinaryExpression(expression) &&
      expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      expression.left.getText(file.sourceFile) === 'module.exports'
    )
      return expression.right;
  }
  return undefined;
}

/**
 * The named members a controller or service file defines: methods and function fields of its classes, the
 * functions of an exported object (`module.exports = { async show() {} }`), `exports.show = ...`, and
 * exported functions. The class a file exports through a factory (`module.exports = app => class extends
 * app.Controller {}`) is read too, as every class of the file is.
 */
function members(file: ProjectFile): Map<string, ts.Node> {
  const out = new Map<string, ts.Node>();
  const add = (name: ts.PropertyName | ts.BindingName | undefined, node: ts.Node): void => {
    if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && !out.has(name.text))
      out.set(name.text, node);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) {
      for (const member of node.members)
        if (ts.isMethodDeclaration(member) || ts.isPropertyDeclaration(member)) add(member.name, member);
    } else if (ts.isObjectLiteralExpression(node) && isExported(node, file)) {
      for (const property of node.properties)
        if (ts.isMethodDeclaration(property) || ts.isPropertyAssignment(property))
          add(property.name, property);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = node.left;
      const target = ts.isPropertyAccessExpression(left) ? left.expression.getText(file.sourceFile) : '';
      if (ts.isPropertyAccessExpression(left) && (target === 'exports' || target === 'module.exports'))
        add(left.name, node.right);
    } else if (ts.isFunctionDeclaration(node) && node.parent === file.sourceFile) add(node.name, node);
    node.forEachChild(visit);
  };
  visit(file.sourceFile);
  return out;
}

/** An object literal that is the file's export (`module.exports = {...}`, `export default {...}`). */
function isExported(object: ts.ObjectLiteralExpression, file: ProjectFile): boolean {
  const parent = object.parent;
  if (ts.isExportAssignment(parent)) return true;
  return (
    ts.isBinaryExpression(parent) &&
    parent.right === object &&
    parent.left.getText(file.sourceFile) === 'module.exports'
  );
}
