import path from 'node:path';
import ts from '../../typescript.cjs';
import { elementsOf, moduleOptions, property } from './nest-modules.js';
import { unwrap, type Project, type ProjectFile } from './project.js';

/**
 * One NestJS application of the project: a `NestFactory.create(RootModule, ...)` call (a Nest CLI monorepo has
 * one per `apps/<name>/src/main.ts`). What the bootstrap sets on the app it returns (`setGlobalPrefix`,
 * `enableVersioning`, `useGlobalFilters`, `app.use`) applies to the controllers of the modules its root module
 * reaches through `@Module({ imports })`, and to no other (docs.nestjs.com, "CLI", "Workspaces": each app is
 * bootstrapped on its own).
 */
export interface NestApp {
  /**
   * The `NestFactory.create(...)` call and its file; undefined for the one app that stands for a project creating
   * none (its bootstrap lives outside the project: every setting found applies to every controller, as before).
   */
  entry?: { file: ProjectFile; call: ts.CallExpression };
  /** The folder of the entry file (relative to the working folder, `''` at its root): the app's own code sits under it. */
  home: string;
  /** The module classes the root module reaches through `imports` (the root module itself included). */
  modules: ReadonlySet<ts.ClassDeclaration>;
  /** Whether a part of the module graph could not be read (the root module, an `imports` entry). */
  incomplete: boolean;
}

/** How deep `imports` are followed from a root module. */
const MAX_DEPTH = 40;

/**
 * The NestJS applications of the project: every `NestFactory.create(Module, ...)` call, with the modules its
 * root module reaches. Empty when the project creates none (the bootstrap lives outside the project).
 */
export function nestApps(project: Project): NestApp[] {
  const apps: NestApp[] = [];
  for (const file of project.files) {
    if (!file.sourceFile.text.includes('NestFactory')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isNestFactoryCreate(file, node)) {
        const first = node.arguments[0];
        const root = first ? moduleClass(project, file, first) : undefined;
        const modules = new Set<ts.ClassDeclaration>();
        const state = { incomplete: root === undefined };
        if (root) reach(project, root.file, root.node, modules, state, 0);
        const folder = path.posix.dirname(file.relative);
        apps.push({
          entry: { file, call: node },
          home: folder === '.' ? '' : folder,
          modules,
          incomplete: state.incomplete,
        });
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return apps;
}

/** The app that stands for a project creating none: at the root, reaching nothing known. */
export const ANY_APP: NestApp = { home: '', modules: new Set(), incomplete: true };

/**
 * The apps a bootstrap setting belongs to, for the call `x.setGlobalPrefix(...)` (or any node) in `file`: the app
 * whose `NestFactory.create(...)` the receiver holds (`const app = await NestFactory.create(AppModule)`); else, for
 * a receiver that is a helper's parameter, the apps the helper's calls pass it; else the apps created in the same
 * file; else those whose home holds the file (the deepest home); else every app (a helper
 * outside every app's folder whose calls pass no app read here).
 */
export function appsOfSetting(
  project: Project,
  apps: readonly NestApp[],
  file: ProjectFile,
  node: ts.Node,
): NestApp[] {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const receiver = unwrap(node.expression.expression);
    if (ts.isIdentifier(receiver)) {
      const created = createdBy(project, file, receiver);
      const app = created ? apps.find((a) => a.entry?.call === created) : undefined;
      if (app) return [app];
      const passed = passedApps(project, apps, file, receiver);
      if (passed.length) return passed;
    }
  }
  const sameFile = apps.filter((a) => a.entry?.file === file);
  if (sameFile.length) return sameFile;
  const homed = deepestHomes(apps, file.relative);
  return homed.length ? homed : [...apps];
}

/**
 * The apps a controller's routes belong to: those whose root module reaches a module declaring it; else (declared
 * by no module an app reaches) those whose home holds its file (the deepest home); else the apps whose module graph
 * could not be read whole. None otherwise: no app serves it, so no app's prefix applies.
 */
export function appsOfController(
  apps: readonly NestApp[],
  declaredIn: readonly ts.ClassDeclaration[],
  file: string,
): NestApp[] {
  const reaching = apps.filter((a) => declaredIn.some((m) => a.modules.has(m)));
  if (reaching.length) return reaching;
  const homed = deepestHomes(apps, file);
  if (homed.length) return homed;
  return apps.filter((a) => a.incomplete);
}

function deepestHomes(apps: readonly NestApp[], file: string): NestApp[] {
  const holding = apps.filter((a) => under(a.home, file));
  const depth = Math.max(-1, ...holding.map((a) => a.home.length));
  return holding.filter((a) => a.home.length === depth);
}

/**
 * The apps handed to a helper whose parameter `name` is (`export function defaultSetting(app) {
 * app.enableVersioning() }` called as `defaultSetting(app)` in each app's main.ts, the app there held from
 * `NestFactory.create(...)`): the apps of every call of the helper, by name, in the project. None when `name` is
 * no parameter of a named function or no call passes a created app.
 */
function passedApps(
  project: Project,
  apps: readonly NestApp[],
  file: ProjectFile,
  name: ts.Identifier,
): NestApp[] {
  const parameter = project
    .lookup(file, name, name.text)
    .map((d) => d.node)
    .find((n): n is ts.ParameterDeclaration => ts.isParameter(n));
  const fn = parameter?.parent;
  if (!parameter || !fn) return [];
  const index = fn.parameters.indexOf(parameter);
  const fnName =
    ts.isFunctionDeclaration(fn) && fn.name
      ? fn.name.text
      : (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
          ts.isVariableDeclaration(fn.parent) &&
          ts.isIdentifier(fn.parent.name)
        ? fn.parent.name.text
        : undefined;
  if (!fnName || index < 0) return [];
  const found: NestApp[] = [];
  for (const use of project.identifiersNamed(fnName)) {
    const call = use.node.parent;
    if (!ts.isCallExpression(call) || call.expression !== use.node) continue;
    const argument = call.arguments[index] ? unwrap(call.arguments[index]) : undefined;
    if (!argument || !ts.isIdentifier(argument)) continue;
    const created = createdBy(project, use.file, argument);
    const app = created ? apps.find((a) => a.entry?.call === created) : undefined;
    if (app && !found.includes(app)) found.push(app);
  }
  return found;
}

/** The `NestFactory.create(...)` call a variable holds (`const app = await NestFactory.create(M)`). */
function createdBy(project: Project, file: ProjectFile, name: ts.Identifier): ts.CallExpression | undefined {
  for (const d of project.lookup(file, name, name.text)) {
    if (!ts.isVariableDeclaration(d.node) || !d.node.initializer) continue;
    let value: ts.Expression = unwrap(d.node.initializer);
    if (ts.isAwaitExpression(value)) value = unwrap(value.expression);
    if (ts.isCallExpression(value) && isNestFactoryCreate(d.file, value)) return value;
  }
  return undefined;
}

/** `NestFactory.create(...)` (also `core.NestFactory.create`, with type arguments). */
export function isNestFactoryCreate(file: ProjectFile, call: ts.CallExpression): boolean {
  return /(^|\.)NestFactory\.create$/.test(call.expression.getText(file.sourceFile));
}

/** Whether `file` (relative path) sits under the folder `home` (`''`: the working folder). */
export function under(home: string, file: string): boolean {
  return home === '' || file.startsWith(`${home}/`);
}

/**
 * Follows `@Module({ imports })` from a module class: a class (`UsersModule`, `forwardRef(() => UsersModule)`),
 * a dynamic module call (`ConfigModule.forRoot()`: its class, and every module class its arguments name, as
 * `RouterModule.register([{ path, module }])` does), or an object `{ module, imports }`. A dynamic module a class
 * builds in its own static methods (`return { module: X, imports: [...] }`) is followed too.
 */
function reach(
  project: Project,
  file: ProjectFile,
  module: ts.ClassDeclaration,
  seen: Set<ts.ClassDeclaration>,
  state: { incomplete: boolean },
  depth: number,
): void {
  if (seen.has(module)) return;
  seen.add(module);
  if (depth > MAX_DEPTH) {
    state.incomplete = true;
    return;
  }
  const lists: ts.Expression[] = [];
  const options = moduleOptions(module);
  const imports = options ? property(options, 'imports') : undefined;
  if (imports) lists.push(imports);
  // `static forRoot() { return { module: X, imports: [...] } }`
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node) && property(node, 'module')) {
      const nested = property(node, 'imports');
      if (nested) lists.push(nested);
    }
    node.forEachChild(visit);
  };
  for (const member of module.members) visit(member);
  for (const list of lists) {
    const { items, unread } = elementsOf(project, file, list);
    if (unread.length) state.incomplete = true;
    for (const item of items)
      for (const found of namedModules(project, item.file, item.node))
        reach(project, found.file, found.node, seen, state, depth + 1);
  }
}

/** Every project class an `imports` entry names, at any depth of its expression (calls, objects, arrows). */
function namedModules(
  project: Project,
  file: ProjectFile,
  entry: ts.Expression,
): { file: ProjectFile; node: ts.ClassDeclaration }[] {
  const found: { file: ProjectFile; node: ts.ClassDeclaration }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !isPropertyName(node)) {
      const declared = moduleClass(project, file, node);
      if (declared) found.push(declared);
    }
    node.forEachChild(visit);
  };
  visit(entry);
  return found;
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node)
  );
}

/** The project class an expression names (imported or local). */
function moduleClass(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): { file: ProjectFile; node: ts.ClassDeclaration } | undefined {
  const node = unwrap(expression);
  if (!ts.isIdentifier(node)) return undefined;
  for (const d of project.lookup(file, node, node.text))
    if (ts.isClassDeclaration(d.node)) return { file: d.file, node: d.node };
  return undefined;
}
