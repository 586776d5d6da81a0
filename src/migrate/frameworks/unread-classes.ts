import path from 'node:path';
import { builtinModules } from 'node:module';
import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { skipOuter } from '../analysis/syntax.js';
import { dependenciesAbove } from '../package-dependencies.js';
import { runCache } from '../../util/run-caches.js';
import { fixedStatusIn } from './nest-exception-chain.js';
import { extendsOf, resolveClass, type GuardScope } from './nest-guards.js';

/**
 * A class name that says 403: Forbidden, PermissionDenied, AccessDenied, NoPermission, NotPermitted,
 * InsufficientPermissions / Privileges / Scope (Unauthorized is 401's and is not read as 403).
 */
const NAMED_403 =
  /forbidden|permission[_-]?denied|access[_-]?denied|no[_-]?permission|not[_-]?permitted|insufficient[_-]?(?:permission|privilege|scope|right)/i;

/** Dependency names by folder, shared by the files of a run (package-dependencies.ts reads each package.json once). */
const dependencyCache = runCache<string, ReadonlySet<string>>();

/** How a class name used in this file is imported from a project module that cannot be resolved. */
export interface UnreadClass {
  /** The name as written (`PermissionDenied`, `E.NoPermissionError`). */
  name: string;
  /** The import specifier (`./gone/errors`, `@app/errors`). */
  module: string;
}

/**
 * `PermissionDenied` (or `E.NoPermissionError` of a namespace import or whole `require`) where the import's module
 * is a project module mtls-fix cannot resolve (a relative file that is not there, a path alias no tsconfig maps: a
 * bare specifier no package.json above the file declares, no Node built-in) and the class's name says 403: its
 * status, and any chain to a 403 class, cannot be read. Asked only where a class is extended, built or checked;
 * the link is asked to resolve only after the name test. Undefined for anything else.
 */
export function unreadClass(analysis: FileAnalysis, expression: ts.Expression): UnreadClass | undefined {
  return unreadClassIn(
    { sourceFile: analysis.sourceFile, imports: analysis, link: analysis.options.link },
    expression,
  );
}

/** {@link unreadClass} for an expression read in `scope` (a file the link reached, not analysed itself). */
function unreadClassIn(scope: GuardScope, expression: ts.Expression): UnreadClass | undefined {
  const node = skipOuter(expression);
  let local: string;
  let name: string;
  if (ts.isIdentifier(node)) {
    local = node.text;
    name = node.text;
  } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    local = node.expression.text;
    name = node.name.text;
  } else return undefined;
  const binding = scope.imports.importOf(local);
  if (!binding) return undefined;
  const imported = binding.name === '*' || binding.name === 'default' ? name : binding.name;
  if (!NAMED_403.test(imported) && !NAMED_403.test(name)) return undefined;
  if (local !== name && binding.name !== '*' && binding.name !== 'default') return undefined;
  const link = scope.link;
  if (!link?.resolve || link.resolve(binding.module) !== undefined) return undefined;
  if (!projectSpecifier(binding.module, link.absolute)) return undefined;
  return { name: node.getText(scope.sourceFile), module: binding.module };
}

/** How many project classes are followed from one class to the unread class it extends (a loop stops here too). */
const MAX_DEPTH = 8;

/** Chain answers by class declaration: a class is asked once for every `new`, `extends` and `instanceof` of it. */
const chains = new WeakMap<ts.ClassLikeDeclaration, UnreadChain | null>();

/** A project class that extends an unread class whose name says 403, through the project's own classes. */
export interface UnreadChain {
  /** The unread class at the end of the chain, as its extending class names it. */
  found: UnreadClass;
  /** The project class that extends it directly (`PlanLimit` of `class PlanLimit extends PermissionDenied`). */
  through: string;
}

/**
 * The unread class whose name says 403 (as {@link unreadClass} reads it) that the project class `expression` names
 * extends, directly or through other project classes, in this file or others the link reaches (nest-guards.ts
 * `resolveClass`: imports, renames, namespaces, `require`), up to MAX_DEPTH classes: `PermissionDenied` through
 * `PlanLimit` for `SeatLimit` of `class SeatLimit extends PlanLimit` and `class PlanLimit extends
 * PermissionDenied`. Undefined when a class on the way fixes a status of its own (it answers that one), the
 * chain ends elsewhere, or `expression` names no project class. Before session 46 only the class extending the
 * unread one was named, at its `extends`.
 */
export function unreadChain(expression: ts.Expression, scope: GuardScope): UnreadChain | undefined {
  if (!projectClass(expression, scope)) return undefined;
  const found = resolveClass(expression, scope);
  if ('why' in found) return undefined;
  return chainOf(found.cls, found.scope, 0);
}

/**
 * Whether the class `expression` names may be a project class: declared in this file, or imported from a module
 * that resolves to a file outside node_modules. Asked before the link parses anything: a package's class (`new
 * PrismaClient()`) is never followed.
 */
function projectClass(expression: ts.Expression, scope: GuardScope): boolean {
  const node = skipOuter(expression);
  const local = ts.isIdentifier(node)
    ? node.text
    : ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)
      ? node.expression.text
      : undefined;
  if (local === undefined) return false;
  const binding = scope.imports.importOf(local);
  if (!binding) return true;
  const file = scope.link?.resolve?.(binding.module);
  return file !== undefined && !file.split(path.sep).includes('node_modules');
}

function chainOf(cls: ts.ClassLikeDeclaration, scope: GuardScope, depth: number): UnreadChain | undefined {
  const known = chains.get(cls);
  if (known !== undefined) return known ?? undefined;
  chains.set(cls, null);
  let answer: UnreadChain | undefined;
  const parent = extendsOf(cls);
  if (depth < MAX_DEPTH && parent && fixedStatusIn(cls, scope) === undefined) {
    const found = unreadClassIn(scope, parent);
    if (found) answer = { found, through: cls.name?.text ?? 'an anonymous class' };
    else {
      const next = projectClass(parent, scope) ? resolveClass(parent, scope) : undefined;
      if (next && !('why' in next)) answer = chainOf(next.cls, next.scope, depth + 1);
    }
  }
  chains.set(cls, answer ?? null);
  return answer;
}

/** A relative specifier, or a bare one no package.json above `file` declares and no Node built-in is. */
function projectSpecifier(specifier: string, file: string | undefined): boolean {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return true;
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0])) return false;
  if (file === undefined) return false;
  const parts = specifier.split('/');
  const pkg = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return !dependenciesAbove(path.dirname(file), dependencyCache).has(pkg);
}

/** The reason a use of an unread class is named with, `use` what the code does with it. */
export function unreadReason(analysis: FileAnalysis, found: UnreadClass, use: string): string {
  return `${found.name} comes from '${found.module}', which mtls-fix cannot read (the module does not resolve), and its name says 403: ${use}. Check the class's status; if it answers 403, throw a class answering ${analysis.target} on mTLS routes (or map it in the error handler); if not, mark this line // mtls-fix-ignore: <why>.`;
}
