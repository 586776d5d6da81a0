import ts from '../../typescript.cjs';
import type { Span } from './model.js';
import { staticString, unwrap, type Project, type ProjectFile } from './project.js';
import { span } from './syntax.js';

/**
 * The bouncer policies and abilities an AdonisJS controller method checks, whose denial is bouncer's 403 (reported
 * at the policy file, middleware-403-table.ts): `bouncer.with('ProfilesPolicy')` names a policy registered by string
 * (AdonisJS 5 `Bouncer.registerPolicies({ ProfilesPolicy: () => import('App/Policies/ProfilesPolicy') })`, AdonisJS 6
 * `export const policies = { PostPolicy: () => import('#policies/post_policy') }`), `bouncer.with(PostPolicy)` a
 * class, and `bouncer.authorize('editPost')` / `bouncer.allows(editPost, post)` an ability defined with
 * `Bouncer.define(...)` (AdonisJS 5) or `Bouncer.ability(...)` (AdonisJS 6). A string or class the code does not name
 * adds nothing. Source: AdonisJS docs, "Authorization" (policies, abilities, `bouncer.with`, the policies
 * registry) and Adonis 5 bouncer docs (`registerPolicies`, `define`).
 */
export class AdonisBouncer {
  private registry?: Map<string, ProjectFile>;
  private abilityFiles?: ProjectFile[];

  constructor(private readonly project: Project) {}

  /** Whole-file spans of the policy and ability files the code under `node` (in `file`) checks. */
  checkedBy(file: ProjectFile, node: ts.Node): Span[] {
    const files = new Set<ProjectFile>();
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
        const name = n.expression.name.text;
        const receiver = n.expression.expression;
        const argument = n.arguments[0] && unwrap(n.arguments[0]);
        if (argument && name === 'with' && isBouncer(receiver))
          for (const f of this.policy(file, argument)) files.add(f);
        if (argument && ABILITY_CHECKS.has(name) && isBouncer(receiver))
          for (const f of this.ability(file, argument)) files.add(f);
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
    return [...files].map((f) => span(f, f.sourceFile));
  }

  private policy(file: ProjectFile, argument: ts.Expression): ProjectFile[] {
    const name = staticString(argument);
    if (name !== undefined) {
      const found = this.policies().get(name);
      return found ? [found] : [];
    }
    return this.declaringFiles(file, argument);
  }

  private ability(file: ProjectFile, argument: ts.Expression): ProjectFile[] {
    if (staticString(argument) !== undefined) return this.abilities();
    return this.declaringFiles(file, argument);
  }

  /** The files declaring what an identifier names (an imported class or ability). */
  private declaringFiles(file: ProjectFile, argument: ts.Expression): ProjectFile[] {
    if (!ts.isIdentifier(argument)) return [];
    return this.project
      .lookup(file, argument, argument.text)
      .filter((d) => d.file !== file)
      .map((d) => d.file);
  }

  private policies(): Map<string, ProjectFile> {
    if (this.registry) return this.registry;
    const registry = new Map<string, ProjectFile>();
    for (const file of this.bouncerFiles()) {
      const tables: ts.ObjectLiteralExpression[] = [];
      for (const call of this.project.calls(file)) {
        const argument = call.arguments[0] && unwrap(call.arguments[0]);
        if (
          ts.isPropertyAccessExpression(call.expression) &&
          call.expression.name.text === 'registerPolicies' &&
          argument &&
          ts.isObjectLiteralExpression(argument)
        )
          tables.push(argument);
      }
      for (const statement of file.sourceFile.statements)
        if (ts.isVariableStatement(statement))
          for (const d of statement.declarationList.declarations) {
            const init = d.initializer && unwrap(d.initializer);
            if (
              ts.isIdentifier(d.name) &&
              d.name.text === 'policies' &&
              init &&
              ts.isObjectLiteralExpression(init)
            )
              tables.push(init);
          }
      for (const table of tables)
        for (const p of table.properties) {
          if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
            continue;
          const target = this.lazyTarget(file, unwrap(p.initializer));
          if (target) registry.set(p.name.text, target);
        }
    }
    this.registry = registry;
    return registry;
  }

  /** Files that define abilities by name: `Bouncer.define('editPost', …)`. */
  private abilities(): ProjectFile[] {
    this.abilityFiles ??= this.bouncerFiles().filter((file) =>
      this.project
        .calls(file)
        .some((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'define'),
    );
    return this.abilityFiles;
  }

  private bouncerFiles(): ProjectFile[] {
    return this.project.files.filter((f) =>
      /Adonis\/Addons\/Bouncer|@adonisjs\/bouncer/.test(f.sourceFile.text),
    );
  }

  private lazyTarget(file: ProjectFile, node: ts.Expression): ProjectFile | undefined {
    if (!ts.isArrowFunction(node)) return undefined;
    const body = unwrap(node.body as ts.Expression);
    if (!ts.isCallExpression(body) || body.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
    const specifier = staticString(body.arguments[0]);
    return specifier === undefined ? undefined : this.project.resolveModule(file, specifier);
  }
}

/** Bouncer calls that check an ability (a name or an ability value) directly. */
const ABILITY_CHECKS = new Set(['authorize', 'allows', 'denies', 'execute']);

/** `bouncer`, `ctx.bouncer`, `this.ctx.bouncer`: the request's bouncer. */
function isBouncer(node: ts.Expression): boolean {
  const inner = unwrap(node);
  if (ts.isIdentifier(inner)) return inner.text === 'bouncer';
  return ts.isPropertyAccessExpression(inner) && inner.name.text === 'bouncer';
}
