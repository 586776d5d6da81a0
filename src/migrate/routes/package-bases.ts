import ts from '../../typescript.cjs';
import type { Project, ProjectFile } from './project.js';
import { externalImport } from './syntax.js';
import { classFieldValues, enclosingClass } from './this-fields.js';

/** How many project classes are climbed to the package class at the top. */
const MAX_BASES = 4;

/** Field names that hold the app itself (a root of the walk); other router-like names hold a router. */
const APP_FIELDS = /^(app|server|fastify|instance)$/i;

/** A field a package's base class sets, read in a project class (see `packageBaseField`). */
export interface PackageBaseField {
  /** The class whose members read the field, and its file: one app or router per such class. */
  cls: ts.ClassLikeDeclaration;
  file: ProjectFile;
  /** The package the base class comes from (`common-svc-lib`). */
  module: string;
  /** `app`, `server`: the app itself; `router`, `api`: a router mounted where the package says. */
  kind: 'app' | 'router';
}

/**
 * `this.app` in `class AccountService extends Service` with `Service` imported from a package mtls-fix does not
 * read (`common-svc-lib`, a team's own service kit): no project class sets the field, so the package's base class
 * does. Answered only for a field named as apps and routers are (`names`) that neither the class nor any project
 * class between it and the package class sets, and only for a package no route wiring knows (`known`: a
 * framework's own class, `extends Hono`, is read as that framework's app elsewhere). Undefined otherwise.
 */
export function packageBaseField(
  project: Project,
  file: ProjectFile,
  access: ts.PropertyAccessExpression,
  names: RegExp,
  known: (module: string) => boolean,
): PackageBaseField | undefined {
  if (access.expression.kind !== ts.SyntaxKind.ThisKeyword || !names.test(access.name.text)) return undefined;
  const cls = enclosingClass(access);
  if (!cls) return undefined;
  const name = access.name.text;
  let at: { file: ProjectFile; node: ts.ClassLikeDeclaration } = { file, node: cls };
  for (let depth = 0; depth < MAX_BASES; depth++) {
    if (classFieldValues(at.node).has(name)) return undefined;
    const extended = at.node.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
      ?.expression;
    if (!extended || !ts.isIdentifier(extended)) return undefined;
    const bases = project.classesNamed(at.file, extended);
    if (bases.length === 1) {
      at = bases[0];
      continue;
    }
    if (bases.length) return undefined;
    const module = project
      .lookup(at.file, extended, extended.text)
      .map((d) => externalImport(d.node)?.module)
      .find((m): m is string => m !== undefined);
    if (!module || module.startsWith('.') || module.startsWith('/') || known(module)) return undefined;
    return { cls, file, module, kind: APP_FIELDS.test(name) ? 'app' : 'router' };
  }
  return undefined;
}
