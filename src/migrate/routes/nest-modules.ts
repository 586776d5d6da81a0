import ts from '../../typescript.cjs';
import type { CodeRoute, Mounts } from './model.js';
import { joinPaths } from './paths.js';
import { lineOf, propertyName, unwrap, type Project, type ProjectFile } from './project.js';

/** A node with the file it sits in. */
export interface Located<T extends ts.Node = ts.Node> {
  file: ProjectFile;
  node: T;
}

/** The module-level path a module's controllers get: known, or known only at run time. */
export type ModulePath = { path: string } | { unresolved: string; mountFile: string };

/** What `RouterModule` and `@Module({ controllers })` say about where controllers sit. */
export interface NestModules {
  /** The modules that declare each controller class (a controller in two modules is registered twice). */
  modulesOf(controller: ts.ClassDeclaration): ts.ClassDeclaration[];
  /** The `RouterModule` path of a module, when it has one. */
  pathOf(module: ts.ClassDeclaration): ModulePath | undefined;
  /** Registrations that could not be read, listed for review by hand (`coverage.unresolved`). */
  unreadable: CodeRoute[];
}

/**
 * NestJS module prefixes: `RouterModule.register(routes)` (`@nestjs/core` >= 8) and `RouterModule.forRoutes(routes)`
 * (the `nest-router` package it came from), `routes` inline, in a `const` or imported, `children` to any depth.
 * As Nest flattens them (nestjs/nest packages/core/router/utils/flatten-route-paths.util.ts): an entry with a
 * `module` and a non-empty `path` gives that module the path; a child's path is appended to its parent's; a bare
 * module class among `children` gets the parent's path. A module's path applies to the controllers it declares
 * in `@Module({ controllers })` (or a dynamic module's `{ module, controllers }`), not to the modules it imports
 * (packages/core/router/routes-resolver.ts reads the path per module). A path the code computes at run time is
 * `unresolved` (`--mount <module file>=PATH` supplies it); an entry or controller list that cannot be read is
 * listed in `unreadable`.
 */
export function nestModules(project: Project, mounts: Mounts): NestModules {
  const controllerModules = new Map<ts.ClassDeclaration, ts.ClassDeclaration[]>();
  const unreadControllers = new Map<ts.ClassDeclaration, Located>();
  const paths = new Map<ts.ClassDeclaration, ModulePath>();
  const unreadable: CodeRoute[] = [];

  const declare = (module: Located<ts.ClassDeclaration>, list: ts.Expression, file: ProjectFile): void => {
    const { items, unread } = elementsOf(project, file, list);
    for (const item of items) {
      const controller = classOf(project, item.file, item.node);
      if (!controller) {
        unreadControllers.set(module.node, item);
        continue;
      }
      const modules = controllerModules.get(controller.node) ?? [];
      if (!modules.includes(module.node)) modules.push(module.node);
      controllerModules.set(controller.node, modules);
    }
    if (unread[0]) unreadControllers.set(module.node, unread[0]);
  };

  for (const file of project.files) {
    const text = file.sourceFile.text;
    const hasModule = text.includes('Module');
    if (!hasModule) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        const options = moduleOptions(node);
        const controllers = options ? property(options, 'controllers') : undefined;
        if (controllers) declare({ file, node }, controllers, file);
      } else if (ts.isObjectLiteralExpression(node)) {
        // A dynamic module: `return { module: AccountsModule, controllers: [...] }`.
        const module = property(node, 'module');
        const controllers = property(node, 'controllers');
        const target = module && controllers ? classOf(project, file, module) : undefined;
        if (target && controllers) declare(target, controllers, file);
      } else if (ts.isCallExpression(node) && isRouterModuleCall(node) && node.arguments[0]) {
        flatten(project, file, node.arguments[0], { path: '' }, false, (module, path) => {
          paths.set(module.node, 'path' in path ? path : { ...path, mountFile: module.file.relative });
        }).forEach((entry) => unreadable.push(unreadEntry(entry, node, file)));
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }

  // A path the code computes at run time: `--mount <module file>=PATH` supplies it.
  for (const [module, path] of paths) {
    if (!('unresolved' in path)) continue;
    const supplied = mounts.get(path.mountFile);
    if (supplied !== undefined) paths.set(module, { path: supplied });
  }
  // A module with a path whose controller list could not be read: its controllers are not known.
  for (const [module, item] of unreadControllers) {
    const path = paths.get(module);
    if (!path) continue;
    unreadable.push({
      framework: 'nestjs',
      method: 'ALL',
      path: joinPaths('path' in path ? path.path : '', '*'),
      syntax: 'colon',
      file: item.file.relative,
      line: lineOf(item.file, item.node),
      handlers: [],
      unresolved: `the controllers of ${module.name?.text ?? 'a module'} under a RouterModule path could not be read (${item.node.getText(item.file.sourceFile).slice(0, 40)})`,
      unreadable: true,
    });
  }

  return {
    modulesOf: (controller) => controllerModules.get(controller) ?? [],
    pathOf: (module) => paths.get(module),
    unreadable,
  };
}

interface UnreadEntry {
  item: Located;
  parentPath: string | undefined;
}

/**
 * Walks a `Routes` array as Nest's flattenRoutePaths does, calling `found` for every module that gets a path;
 * returns the entries it could not read.
 */
function flatten(
  project: Project,
  file: ProjectFile,
  routes: ts.Expression,
  parent: ModulePath,
  asChildren: boolean,
  found: (module: Located<ts.ClassDeclaration>, path: ModulePath) => void,
): UnreadEntry[] {
  const unreadPath = (): string | undefined => ('path' in parent ? parent.path : undefined);
  const { items, unread } = elementsOf(project, file, routes);
  const missed: UnreadEntry[] = unread.map((item) => ({ item, parentPath: unreadPath() }));
  for (const item of items) {
    const object = objectOf(project, item.file, item.node);
    if (!object) {
      // A bare module class: among children it gets the parent's path; at the top level Nest ignores it.
      const module = classOf(project, item.file, item.node);
      if (module && asChildren) found(module, parent);
      else if (!module) missed.push({ item, parentPath: unreadPath() });
      continue;
    }
    const pathExpression = property(object.node, 'path');
    if (!pathExpression) continue; // Nest ignores an entry without a path, and its children.
    const own = project.stringOf(object.file, pathExpression);
    const path: ModulePath =
      'path' in parent && own !== undefined
        ? { path: joinPaths(parent.path, own) }
        : 'unresolved' in parent
          ? parent
          : {
              unresolved: `RouterModule path ${pathExpression.getText(object.file.sourceFile)} is computed at run time (${object.file.relative}:${lineOf(object.file, pathExpression)})`,
              mountFile: '',
            };
    const moduleExpression = property(object.node, 'module');
    if (moduleExpression) {
      const module = classOf(project, object.file, moduleExpression);
      if (module) found(module, path);
      else missed.push({ item: { file: object.file, node: moduleExpression }, parentPath: unreadPath() });
    }
    const children = property(object.node, 'children');
    if (children) missed.push(...flatten(project, object.file, children, path, true, found));
  }
  return missed;
}

function unreadEntry(entry: UnreadEntry, call: ts.CallExpression, file: ProjectFile): CodeRoute {
  const text = entry.item.node.getText(entry.item.file.sourceFile);
  return {
    framework: 'nestjs',
    method: 'ALL',
    path: joinPaths(entry.parentPath ?? '', '*'),
    syntax: 'colon',
    file: entry.item.file.relative,
    line: lineOf(entry.item.file, entry.item.node),
    handlers: [],
    unresolved: `RouterModule entry ${text.length > 40 ? `${text.slice(0, 40)}…` : text} could not be read (${file.relative}:${lineOf(file, call)})`,
    unreadable: true,
  };
}

/** `RouterModule.register(...)` / `RouterModule.forRoutes(...)`, also through an import alias of that name. */
function isRouterModuleCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    (callee.name.text === 'register' || callee.name.text === 'forRoutes') &&
    ts.isIdentifier(callee.expression) &&
    /^(NestRouterModule|RouterModule)$/.test(callee.expression.text)
  );
}

/** The object literal of `@Module({ ... })` on a class. */
export function moduleOptions(cls: ts.ClassDeclaration): ts.ObjectLiteralExpression | undefined {
  for (const d of ts.getDecorators(cls) ?? []) {
    const expression = d.expression;
    if (!ts.isCallExpression(expression) || !ts.isIdentifier(expression.expression)) continue;
    if (expression.expression.text !== 'Module') continue;
    const first = expression.arguments[0] ? unwrap(expression.arguments[0]) : undefined;
    return first && ts.isObjectLiteralExpression(first) ? first : undefined;
  }
  return undefined;
}

export function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && propertyName(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

/**
 * The elements of an array the code spells out: inline, in a `const` (also imported), with `...spread`s of
 * such arrays. `unread` holds what is not such an array (a call, a parameter).
 */
export function elementsOf(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): { items: Located<ts.Expression>[]; unread: Located<ts.Expression>[] } {
  const node = unwrap(expression);
  if (ts.isArrayLiteralExpression(node)) {
    const items: Located<ts.Expression>[] = [];
    const unread: Located<ts.Expression>[] = [];
    for (const element of node.elements) {
      if (ts.isSpreadElement(element)) {
        const inner = elementsOf(project, file, element.expression, depth + 1);
        items.push(...inner.items);
        unread.push(...inner.unread);
      } else if (!ts.isOmittedExpression(element)) items.push({ file, node: element });
    }
    return { items, unread };
  }
  const declared = depth < 6 ? constInitializer(project, file, node) : undefined;
  if (declared) return elementsOf(project, declared.file, declared.node, depth + 1);
  return { items: [], unread: [{ file, node }] };
}

/** An object literal, inline or in a `const` (also imported). */
export function objectOf(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): Located<ts.ObjectLiteralExpression> | undefined {
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return { file, node };
  const declared = constInitializer(project, file, node);
  return declared ? objectOf(project, declared.file, declared.node) : undefined;
}

/** The class an identifier names (`AccountsModule`, imported or local; `forwardRef(() => X)` too). */
function classOf(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): Located<ts.ClassDeclaration> | undefined {
  let node = unwrap(expression);
  if (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'forwardRef' &&
    node.arguments[0] &&
    ts.isArrowFunction(node.arguments[0]) &&
    !ts.isBlock(node.arguments[0].body)
  )
    node = unwrap(node.arguments[0].body);
  if (!ts.isIdentifier(node)) return undefined;
  for (const d of project.lookup(file, node, node.text))
    if (ts.isClassDeclaration(d.node)) return { file: d.file, node: d.node };
  return undefined;
}

function constInitializer(
  project: Project,
  file: ProjectFile,
  node: ts.Expression,
): Located<ts.Expression> | undefined {
  if (!ts.isIdentifier(node)) return undefined;
  for (const d of project.lookup(file, node, node.text))
    if (
      ts.isVariableDeclaration(d.node) &&
      d.node.initializer &&
      (d.node.parent.flags & ts.NodeFlags.Const) !== 0
    )
      return { file: d.file, node: d.node.initializer };
  return undefined;
}
