import type ts from '../../typescript.cjs';
import { fixedStatus, statusNameRead } from '../declarations.js';
import { extendsOf, resolveClass, type GuardScope } from './nest-guards.js';

/** How many project classes are followed from one `extends` clause to Nest's exception (a loop stops here too). */
const MAX_DEPTH = 8;

/**
 * The project class through which `base` (the expression of an `extends` clause read in `scope`) reaches the
 * exception `reaches` says a class extends directly (Nest's `ForbiddenException`): `TenantForbidden` for `class
 * DeepForbidden extends TenantForbidden` with `class TenantForbidden extends ForbiddenException`, in this file or a
 * project file the link reaches (an import alias, a barrel, a namespace: nest-guards.ts `resolveClass`), however
 * many classes deep up to MAX_DEPTH. Undefined when the chain ends elsewhere, leaves the project (a package's
 * class), or cannot be read. `reaches` gets each parent with the scope it is read in.
 */
export function projectClassReaching(
  base: ts.Expression,
  scope: GuardScope,
  reaches: (parent: ts.Expression, scope: GuardScope) => boolean,
): string | undefined {
  let expression = base;
  let current = scope;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const found = resolveClass(expression, current);
    if ('why' in found) return undefined;
    const parent = extendsOf(found.cls);
    if (!parent) return undefined;
    if (reaches(parent, found.scope)) return found.cls.name?.text ?? base.getText(scope.sourceFile);
    expression = parent;
    current = found.scope;
  }
  return undefined;
}

/**
 * The project class from which `base` (the expression of an `extends` clause read in `scope`) inherits a fixed 403
 * (declarations.ts `fixedStatus`: `status = 403`, `super(m, 403)`, `super(m, HttpStatus.FORBIDDEN)`): `NoAccess`
 * for `class PlanLimit extends NoAccess` with `class NoAccess extends AppError { constructor() { super(m, 403) } }`,
 * or for a class further down the chain, in this file or a project file the link reaches, up to MAX_DEPTH classes
 * deep. Undefined when a class on the way fixes another status, or the chain leaves the project or cannot be read.
 */
export function projectClassFixing403(base: ts.Expression, scope: GuardScope): string | undefined {
  let expression = base;
  let current = scope;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const found = resolveClass(expression, current);
    if ('why' in found) return undefined;
    const status = fixedStatusIn(found.cls, found.scope);
    if (status === 403) return found.cls.name?.text ?? base.getText(scope.sourceFile);
    if (status !== undefined) return undefined;
    const parent = extendsOf(found.cls);
    if (!parent) return undefined;
    expression = parent;
    current = found.scope;
  }
  return undefined;
}

/**
 * The status a class fixes, read in `scope` (declarations.ts `fixedStatus`), or else the 4xx / 5xx of a constant
 * imported from another module that it fixes its status by (`import { DENIED } from './codes'`; `status = DENIED`,
 * `super(m, DENIED)`, a CommonJS `const { DENIED } = require('./codes')`, through barrels and renames). The import
 * is followed only when the class writes no status of its own: asked of a parent or a thrown class only.
 */
export function fixedStatusIn(cls: ts.ClassLikeDeclaration, scope: GuardScope): number | undefined {
  const own = fixedStatus(cls);
  if (own !== undefined) return own;
  const name = statusNameRead(cls);
  const binding = name !== undefined ? scope.imports.importOf(name) : undefined;
  if (!binding || binding.name === '*') return undefined;
  const value = scope.link?.constant(binding)?.value;
  return value !== undefined && value >= 400 && value <= 599 ? value : undefined;
}
