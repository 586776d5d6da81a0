import ts from '../../typescript.cjs';
import { nodePath } from '../node-path.js';
import type { CodeRoute, Span } from './model.js';
import { chainMemberTargets } from './member-chains.js';
import { memberReadAt, quotedMemberReads, type MemberRead } from './member-reads.js';
import { classFieldValues } from './this-fields.js';
import { makesBackend } from './openapi-backend.js';
import { trimmableBodies, wiringMethodNames } from './skeleton.js';
import { WIRINGS } from './wirings.js';
import {
  isFunctionNode,
  propertyName,
  propertyValue,
  requireOf,
  unwrap,
  type Declaration,
  type Project,
  type ProjectFile,
} from './project.js';

/**
 * Calls that attach a function to an app, request, reply or toolkit under a name, then called as `<x>.name`:
 * Fastify `decorate` / `decorateRequest` / `decorateReply('name', fn)`, hapi `server.decorate(type, 'name', fn)`
 * and `server.method('name', fn)` (`server.methods.name`). Sources: Fastify docs "Decorators"; hapi API
 * `server.decorate()`, `server.method()`.
 */
const DECORATING_CALLS = new Set(['decorate', 'decorateRequest', 'decorateReply', 'method']);

/** The method names route wiring reads (skeleton.ts), made on first use. */
let WIRING_METHODS: ReadonlySet<string> | undefined;

/** `app.request.name = fn` / `app.response.name = fn` (Express), `app.context.name = fn` (Koa). */
const DECORATED_OBJECTS = new Set(['request', 'response', 'context']);

/** Libraries whose endpoint classes (`class X extends OpenAPIRoute`) are called through `handle`. */
const ENDPOINT_MODULES = new Set(['chanfana', '@cloudflare/itty-router-openapi']);

/** Methods through which a framework calls a class named at a route (guards, interceptors, pipes, filters, middleware). */
const CLASS_ENTRY_POINTS = new Set(['canActivate', 'intercept', 'transform', 'catch', 'use', 'resolve']);

/**
 * Which routes reach a place in the code: the place sits inside code registered for a route (handler,
 * route or router middleware), or inside a function referenced from such code, followed through any chain
 * of references (calls, callbacks, `this.method()`, `this.service.method()` with the property's declared
 * type, imports and re-exports). A cheap call graph by name and import: no type checker.
 */
export class Reach {
  private readonly spans = new Map<string, { span: Span; route: CodeRoute }[]>();
  /** Declarations (nodes are unique across files) to the places that reference them. */
  private readonly references = new Map<ts.Node, { file: ProjectFile; node: ts.Node }[]>();
  private readonly memo = new Map<ts.Node, Set<CodeRoute>>();
  /** `reachValue` answers for one key of a table (by the property node), and `reachSlot` answers (by the slot). */
  private readonly keyMemo = new Map<ts.Node, Set<CodeRoute>>();
  private readonly slotMemo = new Map<ts.Node, Set<CodeRoute>>();
  /** `decorationsOf` answers, by function. */
  private readonly decorationsMemo = new Map<ts.Node, string[]>();
  /** `memberReads` answers, by member name. */
  private readonly readsMemo = new Map<string, readonly { file: ProjectFile; node: ts.Node }[]>();
  /** Identifier texts whose every occurrence has been resolved into `references`. */
  private readonly indexed = new Set<string>();
  /** Names a reference may spell other than its declaration's own name (imports, renamed exports). */
  private aliases?: readonly string[];
  /** Per file, the function bodies the route skeleton may trim (skeleton.ts `trimmableBodies`). */
  private readonly trimmable = new Map<ts.SourceFile, ReadonlySet<ts.Block>>();

  /**
   * @param options.eager resolve every identifier of the project up front (the reference answer the lazy
   *   index is tested against); by default only identifiers that can name a declaration asked about are.
   */
  constructor(
    private readonly project: Project,
    routes: readonly CodeRoute[],
    options: { eager?: boolean } = {},
  ) {
    for (const route of routes)
      for (const span of route.handlers) {
        const list = this.spans.get(span.file) ?? [];
        list.push({ span, route });
        this.spans.set(span.file, list);
      }
    if (options.eager) this.indexAll();
  }

  /** The routes whose code reaches `position` in `relative` (empty when none does). */
  routesAt(relative: string, position: number): Set<CodeRoute> {
    const file = this.project.byRelative(relative);
    if (!file) return new Set();
    const node = nodeAt(file.sourceFile, position);
    return node ? this.reachNode(file, node) : new Set();
  }

  /**
   * What a member read names (`auth.isAdmin`: the function it reads), as the reference index resolves it;
   * empty when it cannot tell (a member of a call's result, a module that exports no such name).
   */
  membersRead(file: ProjectFile, access: ts.PropertyAccessExpression): Declaration[] {
    return this.memberTargets(file, access);
  }

  /** Spans containing the node, then its enclosing function's reach. */
  private reachNode(file: ProjectFile, node: ts.Node): Set<CodeRoute> {
    const out = new Set<CodeRoute>();
    const start = node.getStart(file.sourceFile);
    for (const { span, route } of this.spans.get(file.relative) ?? [])
      if (span.start <= start && start < span.end) out.add(route);
    // Up to the enclosing function; a class boundary stops the walk (methods are reached by reference).
    let fn: ts.Node | undefined = node.parent;
    while (fn && !isFunctionNode(fn) && !ts.isClassLike(fn)) fn = fn.parent;
    if (fn && ts.isClassLike(fn)) fn = undefined;
    else if (!fn) {
      // A value made when the module loads (`const requireAdmin = requireRole(['Admin'])`, a middleware
      // factory's product): reached wherever the variable is named.
      const holder = loadTimeVariable(node);
      // The handlers given to an openapi-backend run for their own operation routes (openapi-backend.ts), not for
      // every route that hands a request to the backend.
      const backend = holder?.initializer !== undefined && makesBackend(file, holder.initializer);
      // A table's member (`const authJwt = { isAdmin: isAdmin, isModerator }`): reached where the table is
      // named, but not where another of its members is read (`authJwt.isModerator`).
      const key = holder && !backend ? tableKey(node, holder) : undefined;
      if (holder && !backend)
        for (const route of key ? this.reachKey(holder, key) : this.reachValue(holder)) out.add(route);
      // A function named under another name when the module loads (`module.exports = { isAdmin: guard(check) }`,
      // `exports.isAdmin = guard(check)`, `export default { … }`): reached wherever that member is read. Only a
      // reference (`check`): a status written there (`{ FORBIDDEN: 403 }`) is a table's value, read where it is used.
      const slot = ts.isIdentifier(node) ? loadTimeSlot(node) : undefined;
      if (slot) for (const route of this.reachSlot(slot)) out.add(route);
    }
    if (fn) {
      for (const route of this.reachFunction(file, fn)) out.add(route);
      // A function put in a table a function builds (`const guards = { csrf: asGuard(verifyCsrf) }` inside a
      // plugin): reached wherever the table is read, as a load-time value is.
      const holder = localTableVariable(node, fn);
      if (holder) for (const route of this.reachValue(holder)) out.add(route);
    }
    return out;
  }

  private reachValue(holder: ts.VariableDeclaration): Set<CodeRoute> {
    const cached = this.memo.get(holder);
    if (cached) return cached;
    const out = new Set<CodeRoute>();
    this.memo.set(holder, out);
    // `const [notFound, respond] = errorHandlers()`: each name it destructures is read on its own.
    const declarations = ts.isIdentifier(holder.name) ? [holder] : [holder, ...bindingElements(holder.name)];
    for (const declaration of declarations)
      for (const reference of this.referencesTo(declaration))
        for (const route of this.reachNode(reference.file, reference.node)) out.add(route);
    return out;
  }

  /** `reachValue` of a table, leaving out the places that read another of its members (`tableKey`). */
  private reachKey(holder: ts.VariableDeclaration, key: { property: ts.Node; name: string }): Set<CodeRoute> {
    const cached = this.keyMemo.get(key.property);
    if (cached) return cached;
    const out = new Set<CodeRoute>();
    this.keyMemo.set(key.property, out);
    for (const reference of this.referencesTo(holder))
      if (!readsOtherMember(reference.node, key.name))
        for (const route of this.reachNode(reference.file, reference.node)) out.add(route);
    return out;
  }

  /** The routes that read the member a load-time slot defines (`loadTimeSlot`). */
  private reachSlot(slot: ts.Node): Set<CodeRoute> {
    const cached = this.slotMemo.get(slot);
    if (cached) return cached;
    const out = new Set<CodeRoute>();
    this.slotMemo.set(slot, out);
    for (const reference of this.referencesTo(slot))
      for (const route of this.reachNode(reference.file, reference.node)) out.add(route);
    return out;
  }

  private reachFunction(file: ProjectFile, fn: ts.Node): Set<CodeRoute> {
    const cached = this.memo.get(fn);
    if (cached) return cached;
    const out = new Set<CodeRoute>();
    this.memo.set(fn, out); // a cycle sees the partial set, not a loop
    const add = (routes: Set<CodeRoute>): void => {
      for (const r of routes) out.add(r);
    };
    add(this.reachNode(file, fn));
    for (const declaration of declarationsOf(fn)) {
      for (const reference of this.referencesTo(declaration))
        add(this.reachNode(reference.file, reference.node));
    }
    // A decorator (`fastify.decorate('authenticate', fn)`, then `onRequest: [fastify.authenticate]`): reached
    // wherever a member of that name is read, on any receiver (the name is all that links them).
    const decorations = this.decorationsOf(fn);
    // However the route spells the read (`memberReads`): `onRequest: [app.authenticate]`, `preHandler:
    // app.needsPermission('x')`, `const auth = fastify.authenticate` then `[auth]`, `const { authenticate } = app`.
    for (const name of decorations)
      for (const { file: at, node } of this.memberReads(name)) add(this.reachNode(at, node));
    // A guard's canActivate runs wherever its class is named (`@UseGuards(RolesGuard)`).
    if (
      ts.isMethodDeclaration(fn) &&
      ts.isClassDeclaration(fn.parent) &&
      (CLASS_ENTRY_POINTS.has(fn.name.getText(file.sourceFile)) || this.isEndpointHandle(file, fn))
    ) {
      for (const reference of this.referencesTo(fn.parent))
        add(this.reachNode(reference.file, reference.node));
    }
    // @nestjs/cqrs: `execute` of a `@CommandHandler(C)` / `@QueryHandler(Q)` class runs wherever the bus is
    // handed a `new C(...)`: reached from the places that name the command or query class.
    for (const message of busMessages(file, fn))
      for (const declaration of this.project.lookup(file, message, message.text))
        for (const reference of this.referencesTo(declaration.node))
          add(this.reachNode(reference.file, reference.node));
    return out;
  }

  /**
   * chanfana (and @cloudflare/itty-router-openapi before it): `openapi.get('/tasks/:id', TaskFetch)` names a
   * class extending its `OpenAPIRoute`, whose `handle(c)` the library calls for the request.
   */
  private isEndpointHandle(file: ProjectFile, fn: ts.MethodDeclaration): boolean {
    if (fn.name.getText(file.sourceFile) !== 'handle' || !ts.isClassDeclaration(fn.parent)) return false;
    const base = baseClassName(fn.parent);
    return (
      base !== undefined &&
      this.project
        .lookup(file, base, base.text)
        .some((d) => ts.isImportSpecifier(d.node) && ENDPOINT_MODULES.has(importModule(d.node) ?? ''))
    );
  }

  /**
   * The places that read a member named `name` on any receiver, as routes name a decorator (Fastify
   * `decorate('authenticate', fn)`, a package's decorated `fastify.guard`: the name is all that links them),
   * with the places that name a variable holding what a read gives (member-reads.ts): `fastify.authenticate`,
   * `fastify['authenticate']`; `const auth = fastify.authenticate` then `onRequest: [auth]`; `const
   * { authenticate } = app` (or `{ authenticate: mustLogin }`, in a plugin function or at the top level) then
   * `preValidation: authenticate`; `const adminOnly = fastify.guard.role(['admin'])` then `preHandler:
   * adminOnly`. Only reads outside bodies the route skeleton may trim (skeleton.ts: a handler's body that
   * references nothing outside itself), so that reach answers the same on trimmed trees. Before session 41 only
   * the member access itself was read (a destructured or aliased decorator reached no route).
   */
  memberReads(name: string): readonly { file: ProjectFile; node: ts.Node }[] {
    const known = this.readsMemo.get(name);
    if (known) return known;
    const reads: { file: ProjectFile; read: MemberRead }[] = [];
    for (const { file, node } of this.project.identifiersNamed(name)) {
      const read = memberReadAt(node);
      if (read) reads.push({ file, read });
    }
    for (const file of this.project.files)
      for (const read of quotedMemberReads(file.sourceFile, name)) reads.push({ file, read });
    const out: { file: ProjectFile; node: ts.Node }[] = [];
    for (const { file, read } of reads) {
      if (this.inTrimmable(file, read.node)) continue;
      out.push({ file, node: read.node });
      for (const holder of read.holders) out.push(...this.referencesTo(holder));
    }
    this.readsMemo.set(name, out);
    return out;
  }

  /**
   * Whether the code at `position` of `relative` lies in a function a framework attaches under a name (a
   * decorator: Fastify `decorate('authenticate', fn)`, `decorateReply`, hapi `server.decorate`, Express
   * `app.response.name = fn`), or in a function nested in one: it runs only where a route reads that name.
   */
  inDecorator(relative: string, position: number): boolean {
    const file = this.project.byRelative(relative);
    const node = file && nodeAt(file.sourceFile, position);
    for (let at = node?.parent; at; at = at.parent)
      if (isFunctionNode(at) && this.decorationsOf(at).length) return true;
    return false;
  }

  /** The names under which `fn` is attached (`decoratedNames` of the places that hold it). */
  private decorationsOf(fn: ts.Node): string[] {
    const known = this.decorationsMemo.get(fn);
    if (known) return known;
    const names = decoratedNames(fn, [
      fn,
      ...declarationsOf(fn),
      ...declarationsOf(fn).flatMap((d) => this.referencesTo(d).map((r) => r.node)),
    ]);
    this.decorationsMemo.set(fn, names);
    return names;
  }

  /** Whether `node` sits in a body `trimmableBodies` gives for its file (computed once per file). */
  private inTrimmable(file: ProjectFile, node: ts.Node): boolean {
    let bodies = this.trimmable.get(file.sourceFile);
    if (!bodies) {
      bodies = new Set(trimmableBodies(file.sourceFile, (WIRING_METHODS ??= wiringMethodNames(WIRINGS))));
      this.trimmable.set(file.sourceFile, bodies);
    }
    if (!bodies.size) return false;
    for (let at: ts.Node | undefined = node.parent; at; at = at.parent)
      if (ts.isBlock(at) && bodies.has(at)) return true;
    return false;
  }

  // ---- the reference index --------------------------------------------------------------------------

  /**
   * The places that reference a declaration. Resolving every identifier of the project up front was a
   * large share of a `--spec` run; a reference can only be spelled with the declaration's own name, or
   * with a name an import or a renaming export gives it (`import x from`, `import { a as b }`,
   * `const { a: b } = require()`, `export { a as b }`, `exports.b = a`, `ns.default`), so only identifiers
   * spelled so are resolved, each text once. The answer is the one the full index gives (tested with
   * `eager`).
   */
  private referencesTo(declaration: ts.Node): readonly { file: ProjectFile; node: ts.Node }[] {
    this.aliases ??= aliasNames(this.project);
    for (const name of [...ownNames(declaration), ...this.aliases]) this.indexName(name);
    return this.references.get(declaration) ?? [];
  }

  private indexName(name: string): void {
    if (this.indexed.has(name)) return;
    this.indexed.add(name);
    for (const { file, node } of this.project.identifiersNamed(name)) this.indexIdentifier(file, node);
  }

  private indexAll(): void {
    for (const file of this.project.files) {
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node)) this.indexName(node.text);
        node.forEachChild(visit);
      };
      visit(file.sourceFile);
    }
  }

  private indexIdentifier(file: ProjectFile, identifier: ts.Identifier): void {
    const parent = identifier.parent;
    if (isDeclarationName(identifier)) return;
    let targets: Declaration[] = [];
    if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) {
      targets = this.memberTargets(file, parent);
    } else if (
      ts.isPropertyAccessExpression(parent) ||
      !ts.isPropertyAssignment(parent) ||
      parent.initializer === identifier
    ) {
      if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isExportSpecifier(parent)) return;
      targets = this.project.lookup(file, identifier, identifier.text);
    }
    for (const target of targets) {
      if (ts.isParameter(target.node) || ts.isSourceFile(target.node)) continue;
      const k = target.node;
      const list = this.references.get(k) ?? [];
      list.push({ file, node: identifier });
      this.references.set(k, list);
    }
  }

  /**
   * `this.method`, `super.method`, `this.service.method`, `namespace.fn`, `object.fn`, `instance.method`; a member that holds a
   * module (`{ ownership: require('./ownership') }`) stands for what the module exports (`requiredMembers`).
   */
  private memberTargets(file: ProjectFile, access: ts.PropertyAccessExpression): Declaration[] {
    return requiredMembers(this.project, this.ownMemberTargets(file, access));
  }

  private ownMemberTargets(file: ProjectFile, access: ts.PropertyAccessExpression): Declaration[] {
    const name = access.name.text;
    const object = unwrap(access.expression);
    if (object.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = enclosingClass(access);
      return cls ? this.inheritedMember(file, cls, name) : [];
    }
    // `super.create(req, res)`: the member of the nearest base class the code declares that has it.
    if (object.kind === ts.SyntaxKind.SuperKeyword) {
      const cls = enclosingClass(access);
      for (const owner of cls ? this.classChain(file, cls).slice(1) : []) {
        const found = memberOf(owner.file, owner.node, name);
        if (found.length) return found;
      }
      return [];
    }
    if (ts.isPropertyAccessExpression(object) && object.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = enclosingClass(access);
      // The field may be declared by a base class (`@Inject() protected users: UserService` in an abstract
      // controller): its type is read there, with that file's imports.
      for (const owner of cls ? this.classChain(file, cls) : []) {
        const typeName = propertyType(owner.node, object.name.text);
        if (typeName) return this.classMembers(owner.file, owner.node, typeName, name);
        // No type written: `public users = new UserController()` (or `this.users = new …()`), the class made.
        const made = (classFieldValues(owner.node).get(object.name.text) ?? [])
          .map(unwrap)
          .filter((v): v is ts.NewExpression => ts.isNewExpression(v) && ts.isIdentifier(v.expression));
        if (made.length)
          return made.flatMap((v) =>
            this.classMembers(owner.file, v, (v.expression as ts.Identifier).text, name),
          );
      }
      // `this.oauthController = options.oauthController` (no type, no `new`): the class it is named after.
      return this.namesakeMembers(object.name.text, name);
    }
    // `controllers.write.users.invite`: a member of a member chain (member-chains.ts)
    if (ts.isPropertyAccessExpression(object)) return chainMemberTargets(this.project, file, object, name);
    if (!ts.isIdentifier(object)) return [];
    const out: Declaration[] = [];
    const declarations = this.project.lookup(file, object, object.text);
    for (const d of declarations) {
      if (ts.isSourceFile(d.node)) out.push(...this.project.exportOf(d.file, name));
      else if (ts.isVariableDeclaration(d.node) && d.node.initializer) {
        const init = unwrap(d.node.initializer);
        if (ts.isObjectLiteralExpression(init)) out.push(...this.objectMember(d.file, init, name));
        else if (ts.isNewExpression(init) && ts.isIdentifier(init.expression))
          out.push(...this.classMembers(d.file, init, init.expression.text, name));
      } else if (ts.isBinaryExpression(d.node) && ts.isObjectLiteralExpression(unwrap(d.node.right))) {
        out.push(...this.objectMember(d.file, unwrap(d.node.right) as ts.ObjectLiteralExpression, name));
      } else if (ts.isExportAssignment(d.node) && ts.isObjectLiteralExpression(unwrap(d.node.expression))) {
        // `export default { deleteChatflow, getChatflow }` imported as `controller` and used as `controller.x`
        out.push(...this.objectMember(d.file, unwrap(d.node.expression) as ts.ObjectLiteralExpression, name));
      } else if (ts.isBinaryExpression(d.node) || ts.isExportAssignment(d.node)) {
        // `module.exports = new LibraryController()` / `export default new Service()`: the instance's method
        const value = unwrap(ts.isBinaryExpression(d.node) ? d.node.right : d.node.expression);
        if (ts.isNewExpression(value) && ts.isIdentifier(value.expression))
          out.push(...this.classMembers(d.file, value, value.expression.text, name));
      } else if (ts.isClassDeclaration(d.node)) {
        out.push(...memberOf(d.file, d.node, name)); // static methods
      }
    }
    // A receiver whose value the code makes where no declaration shows it (`const { oauthController } = await
    // jackson()`, a parameter, a DI container's `get`): the class it is named after.
    if (!out.length && declarations.every(madeElsewhere))
      out.push(...this.namesakeMembers(object.text, name));
    return out;
  }

  /**
   * The member `name` of the classes the project declares (at a file's top level) whose name is `receiver`'s
   * but for case (`oauthController` for `OAuthController`, `usersService` for `UsersService`): the convention
   * of naming an instance after its class, read where nothing else tells the receiver's class. Empty when no
   * class is so named or none has the member.
   */
  private namesakeMembers(receiver: string, name: string): Declaration[] {
    return this.project.namesakeClasses(receiver).flatMap((c) => this.inheritedMember(c.file, c.node, name));
  }

  /**
   * The member `name` of an object literal: its property or method, or for a shorthand (`{ getItem }`)
   * the declaration the shorthand names.
   */
  private objectMember(file: ProjectFile, object: ts.ObjectLiteralExpression, name: string): Declaration[] {
    for (const p of object.properties) {
      // `{ isAdmin: isAdmin }`, `{ 'isAdmin': check }`: the declaration of the name it holds, as a shorthand.
      if (ts.isPropertyAssignment(p) && propertyName(p.name) === name)
        return propertyValue(this.project, file, p);
      if (ts.isMethodDeclaration(p) && propertyName(p.name) === name) return [{ file, node: p }];
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === name)
        return this.project.lookup(file, p.name, p.name.text);
    }
    return [];
  }

  /**
   * The member of the class a type names; for a project interface (`private users!: UsersServiceInterface`,
   * injected by a DI container), the member of every class that `implements` it.
   */
  private classMembers(file: ProjectFile, at: ts.Node, className: string, member: string): Declaration[] {
    return this.project.lookup(file, at, className).flatMap((d) => {
      if (ts.isClassDeclaration(d.node)) return this.inheritedMember(d.file, d.node, member);
      if (ts.isInterfaceDeclaration(d.node))
        return this.implementers(d.node.name.text).flatMap((c) => memberOf(c.file, c.node, member));
      return [];
    });
  }

  /** The member `name` of `cls`, else of its nearest base class that declares it (`class A extends B`). */
  private inheritedMember(file: ProjectFile, cls: ts.ClassDeclaration, name: string): Declaration[] {
    for (const owner of this.classChain(file, cls)) {
      const found = memberOf(owner.file, owner.node, name);
      if (found.length) return found;
    }
    return [];
  }

  /**
   * `cls` and the classes it extends that the code declares, nearest first (at most 8; a cycle or a base from a
   * package ends the chain).
   */
  private classChain(
    file: ProjectFile,
    cls: ts.ClassDeclaration,
  ): { file: ProjectFile; node: ts.ClassDeclaration }[] {
    const chain = [{ file, node: cls }];
    for (let depth = 0; depth < 8; depth++) {
      const last = chain[chain.length - 1];
      const base = baseClassName(last.node);
      if (!base) break;
      const next = this.project
        .lookup(last.file, base, base.text)
        .find((d): d is { file: ProjectFile; node: ts.ClassDeclaration } => ts.isClassDeclaration(d.node));
      if (!next || chain.some((c) => c.node === next.node)) break;
      chain.push(next);
    }
    return chain;
  }

  /** Classes declaring `implements <name>` (by name: an interface is implemented where it is imported). */
  private implementers(name: string): { file: ProjectFile; node: ts.ClassDeclaration }[] {
    return this.project.identifiersNamed(name).flatMap(({ file, node }) => {
      const heritage = node.parent;
      const clause = heritage.parent;
      return ts.isExpressionWithTypeArguments(heritage) &&
        ts.isHeritageClause(clause) &&
        clause.token === ts.SyntaxKind.ImplementsKeyword &&
        ts.isClassDeclaration(clause.parent)
        ? [{ file, node: clause.parent }]
        : [];
    });
  }
}

/**
 * Whether a receiver's declaration leaves its value to code elsewhere: a binding destructured from a call
 * (`const { users } = await services()`), a parameter, or a variable made by a call or left unset; not an import
 * (a package's or a module's own export), an object literal, a `new`, a class or a function.
 */
function madeElsewhere(declaration: Declaration): boolean {
  const node = declaration.node;
  if (ts.isParameter(node)) return true;
  if (ts.isBindingElement(node)) {
    let holder: ts.Node = node.parent;
    while (
      ts.isBindingElement(holder) ||
      ts.isObjectBindingPattern(holder) ||
      ts.isArrayBindingPattern(holder)
    )
      holder = holder.parent;
    return ts.isParameter(holder) || (ts.isVariableDeclaration(holder) && madeByCall(holder.initializer));
  }
  return ts.isVariableDeclaration(node) && (!node.initializer || madeByCall(node.initializer));
}

/** A call, `await` of one, or a cast of either (`(await container.get('users')) as UsersService`). */
function madeByCall(expression: ts.Expression | undefined): boolean {
  if (!expression) return false;
  const value = unwrap(expression);
  if (ts.isAwaitExpression(value)) return madeByCall(value.expression);
  return ts.isCallExpression(value);
}

/**
 * Members that hold a module (`registries = { rubygems: { ownership: require('../api/ownership') } }`, then
 * `registries.rubygems.ownership(req, res)`): each such property stands for the module's export it names
 * (`require('./x').show` for `show`, the default export or `module.exports = fn` otherwise, else the module
 * itself); other declarations are kept as they are.
 */
function requiredMembers(project: Project, declarations: Declaration[]): Declaration[] {
  return declarations.flatMap((declaration) => {
    const { file, node } = declaration;
    const required = ts.isPropertyAssignment(node) ? requireOf(unwrap(node.initializer)) : undefined;
    const target = required && project.resolveModule(file, required.module);
    if (!required || !target) return [declaration];
    const exported = project.exportOf(target, required.property ?? 'default');
    return exported.length ? exported : [{ file: target, node: target.sourceFile }];
  });
}

/**
 * The names a declaration answers to by itself: its own name (function, class, method, property,
 * variable), or the member an assignment defines (`exports.list = ...`, `module.exports.list = ...`).
 */
function ownNames(declaration: ts.Node): string[] {
  // `exports.list = …`; `isAdmin = …`, a script's implicit global (project.ts `implicitGlobals`).
  if (ts.isBinaryExpression(declaration))
    return ts.isPropertyAccessExpression(declaration.left)
      ? [declaration.left.name.text]
      : ts.isIdentifier(declaration.left)
        ? [declaration.left.text]
        : [];
  const name = (declaration as { name?: ts.Node }).name;
  if (!name) return [];
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return [name.text];
  if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name))
    return name.elements.flatMap((e) => (ts.isBindingElement(e) ? ownNames(e) : []));
  return [];
}

/**
 * Every name the project gives a declaration other than its own: local names of imports and `require()`
 * bindings, names of renaming exports (`export { a as b }`, `exports.b = a`), and `default`. An identifier
 * spelled otherwise can only resolve to a declaration of its own name (Project.lookup).
 */
function aliasNames(project: Project): string[] {
  const names = new Set<string>(['default']);
  const bindings = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const e of name.elements) if (ts.isBindingElement(e)) bindings(e.name);
  };
  for (const file of project.files) {
    const visit = (node: ts.Node): void => {
      if (ts.isImportClause(node) && node.name) names.add(node.name.text);
      else if (ts.isNamespaceImport(node) || ts.isImportSpecifier(node) || ts.isImportEqualsDeclaration(node))
        names.add(node.name.text);
      else if (ts.isExportSpecifier(node)) names.add(node.name.text);
      else if (ts.isVariableDeclaration(node) && node.initializer && requireOf(node.initializer))
        bindings(node.name);
      // `{ ownership: require('./ownership') }`: the module's export is named `ownership` through the object
      else if (ts.isPropertyAssignment(node) && requireOf(unwrap(node.initializer))) {
        const name = propertyName(node.name);
        if (name !== undefined) names.add(name);
      } else if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left)
      )
        names.add(node.left.name.text);
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return [...names];
}

/** The variable whose initializer holds `node`, outside any function (`const x = f(...)` at module level). */
function loadTimeVariable(node: ts.Node): ts.VariableDeclaration | undefined {
  for (let at: ts.Node = node; at.parent; at = at.parent)
    if (ts.isVariableDeclaration(at.parent) && at.parent.initializer === at) return at.parent;
  return undefined;
}

/**
 * The key of the table `holder` (`const authJwt = { verifyToken: verifyToken, isAdmin }`) under which `node`
 * sits: the property of the holder's own object literal that holds it. Undefined when the holder's value is no
 * object literal or `node` is not under one of its named properties.
 */
function tableKey(
  node: ts.Node,
  holder: ts.VariableDeclaration,
): { property: ts.Node; name: string } | undefined {
  const table = holder.initializer && unwrap(holder.initializer);
  if (!table || !ts.isObjectLiteralExpression(table)) return undefined;
  for (let at: ts.Node = node; at.parent && at !== table; at = at.parent) {
    const property: ts.Node = at.parent;
    if (property.parent !== table) continue;
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) return undefined;
    const name = propertyName(property.name);
    return name === undefined ? undefined : { property, name };
  }
  return undefined;
}

/**
 * Whether a reference to a table reads one member other than `key` and nothing else: `authJwt.isModerator`,
 * `authJwt['isModerator']`, `const { isModerator } = authJwt` (no rest element). Passing the table on whole
 * (`use(authJwt)`, `{ ...authJwt }`) reads every member.
 */
function readsOtherMember(reference: ts.Node, key: string): boolean {
  let at: ts.Node = reference;
  while (ts.isParenthesizedExpression(at.parent) || ts.isAsExpression(at.parent)) at = at.parent;
  const parent = at.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === at) return parent.name.text !== key;
  if (ts.isElementAccessExpression(parent) && parent.expression === at) {
    const index = unwrap(parent.argumentExpression);
    return ts.isStringLiteralLike(index) && index.text !== key;
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === at && ts.isObjectBindingPattern(parent.name))
    return parent.name.elements.every((e) => {
      if (e.dotDotDotToken) return false;
      const name = e.propertyName ?? e.name;
      return (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text !== key;
    });
  return false;
}

/**
 * The place outside any function that puts `node` under a name: a property of an object literal
 * (`module.exports = { isAdmin: guard(check) }`, `export default { isAdmin: check }`), a member assignment
 * (`exports.isAdmin = guard(check)`) or a script's implicit global (`isAdmin = guard(check)`), reached through
 * calls, arrays, conditionals and parentheses only. Undefined otherwise.
 */
function loadTimeSlot(node: ts.Node): ts.Node | undefined {
  for (let at: ts.Node = node; at.parent; at = at.parent) {
    const parent = at.parent;
    if (ts.isPropertyAssignment(parent)) return parent.initializer === at ? parent : undefined;
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)
      return parent.right === at &&
        (ts.isPropertyAccessExpression(parent.left) || ts.isIdentifier(parent.left))
        ? parent
        : undefined;
    if (ts.isExportAssignment(parent)) return parent;
    if (
      !ts.isCallExpression(parent) &&
      !ts.isArrayLiteralExpression(parent) &&
      !ts.isConditionalExpression(parent) &&
      !ts.isParenthesizedExpression(parent) &&
      !ts.isAsExpression(parent) &&
      !ts.isSatisfiesExpression(parent)
    )
      return undefined;
  }
  return undefined;
}

/**
 * The variable declared inside `fn` whose initializer holds `node` in an object or array literal (a table of
 * functions: `const guardMap = { cookie: guards.cookie }`), with no function between; undefined otherwise.
 */
function localTableVariable(node: ts.Node, fn: ts.Node): ts.VariableDeclaration | undefined {
  let inTable = false;
  for (let at: ts.Node = node; at.parent && at.parent !== fn; at = at.parent) {
    if (isFunctionNode(at.parent)) return undefined;
    if (ts.isObjectLiteralExpression(at.parent) || ts.isArrayLiteralExpression(at.parent)) inTable = true;
    if (ts.isVariableDeclaration(at.parent) && at.parent.initializer === at)
      return inTable ? at.parent : undefined;
  }
  return undefined;
}

/** The binding elements of a destructuring pattern, nested ones included. */
function bindingElements(pattern: ts.BindingName): ts.BindingElement[] {
  if (ts.isIdentifier(pattern)) return [];
  return pattern.elements.flatMap((e) => (ts.isBindingElement(e) ? [e, ...bindingElements(e.name)] : []));
}

/** The declarations a function is known by: itself, or the variable, property or export holding it (through wrappers). */
function declarationsOf(fn: ts.Node): ts.Node[] {
  if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isClassDeclaration(fn)) return [fn];
  let node: ts.Node = fn;
  while (
    node.parent &&
    (ts.isCallExpression(node.parent) ||
      ts.isParenthesizedExpression(node.parent) ||
      ts.isAsExpression(node.parent) ||
      ts.isSatisfiesExpression(node.parent))
  ) {
    // Only as an argument (a wrapper such as asyncHandler(fn)), never as the callee.
    if (ts.isCallExpression(node.parent) && node.parent.expression === node) return [];
    node = node.parent;
  }
  const holder = node.parent;
  if (!holder) return [];
  if (
    (ts.isVariableDeclaration(holder) ||
      ts.isPropertyAssignment(holder) ||
      ts.isPropertyDeclaration(holder)) &&
    holder.initializer === node
  )
    return [holder];
  if (ts.isExportAssignment(holder)) return [holder];
  if (ts.isBinaryExpression(holder) && holder.right === node) return [holder];
  return [];
}

/**
 * The names under which framework code attaches a function (DECORATING_CALLS, DECORATED_OBJECTS), from the
 * places that hold it: the function itself, its declarations and their references. A decorating call's name is
 * the string argument just before the function.
 */
function decoratedNames(fn: ts.Node, holders: readonly ts.Node[]): string[] {
  const names = new Set<string>();
  for (const holder of holders) {
    // `x.response.name = fn`
    if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = holder.left;
      if (
        ts.isPropertyAccessExpression(left) &&
        ts.isPropertyAccessExpression(left.expression) &&
        DECORATED_OBJECTS.has(left.expression.name.text) &&
        unwrap(holder.right) === fn
      )
        names.add(left.name.text);
      continue;
    }
    let value: ts.Node = holder;
    while (value.parent && (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent)))
      value = value.parent;
    const call = value.parent;
    if (
      !call ||
      !ts.isCallExpression(call) ||
      !ts.isPropertyAccessExpression(call.expression) ||
      !DECORATING_CALLS.has(call.expression.name.text)
    )
      continue;
    const at = call.arguments.indexOf(value as ts.Expression);
    const name = at > 0 ? call.arguments[at - 1] : undefined;
    if (name && ts.isStringLiteralLike(name)) names.add(name.text);
  }
  return [...names];
}

function isDeclarationName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (
    ((ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isBindingElement(parent)) &&
      parent.name === identifier) ||
    (ts.isPropertyAssignment(parent) && parent.name === identifier)
  );
}

function enclosingClass(node: ts.Node): ts.ClassDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent)
    if (ts.isClassDeclaration(current)) return current;
  return undefined;
}

/** The module a named import comes from (`import { X } from 'm'` → `m`). */
function importModule(specifier: ts.ImportSpecifier): string | undefined {
  const declaration = specifier.parent.parent.parent;
  return ts.isStringLiteral(declaration.moduleSpecifier) ? declaration.moduleSpecifier.text : undefined;
}

/** The identifier of `class A extends B` (`B`), when the base is a plain name. */
function baseClassName(cls: ts.ClassDeclaration): ts.Identifier | undefined {
  for (const clause of cls.heritageClauses ?? []) {
    if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
    const expression = clause.types[0]?.expression;
    return expression && ts.isIdentifier(expression) ? expression : undefined;
  }
  return undefined;
}

function memberOf(file: ProjectFile, cls: ts.ClassDeclaration, name: string): Declaration[] {
  return cls.members
    .filter(
      (m) =>
        (ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m)) && m.name && propertyName(m.name) === name,
    )
    .map((m) => ({ file, node: m }));
}

/** The declared type name of `this.<property>`: a constructor parameter property or a field (Nest DI). */
function propertyType(cls: ts.ClassDeclaration, property: string): string | undefined {
  for (const member of cls.members) {
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters)
        if (ts.isIdentifier(parameter.name) && parameter.name.text === property)
          return typeName(parameter.type);
    }
    if (ts.isPropertyDeclaration(member) && member.name && propertyName(member.name) === property)
      return typeName(member.type);
  }
  return undefined;
}

function typeName(type: ts.TypeNode | undefined): string | undefined {
  return type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)
    ? type.typeName.text
    : undefined;
}

/**
 * The command or query classes a bus dispatches to `fn`: `fn` is the `execute` method of a class decorated
 * `@CommandHandler(C)` or `@QueryHandler(Q)` (@nestjs/cqrs: the bus picks the handler by the message's class).
 * Source: NestJS docs, "CQRS" (commands, queries and their handlers).
 */
function busMessages(file: ProjectFile, fn: ts.Node): ts.Identifier[] {
  if (!ts.isMethodDeclaration(fn) || fn.name.getText(file.sourceFile) !== 'execute') return [];
  const cls = fn.parent;
  if (!ts.isClassDeclaration(cls)) return [];
  const out: ts.Identifier[] = [];
  for (const decorator of ts.getDecorators(cls) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call)) continue;
    const callee = call.expression;
    const name = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : '';
    if (name !== 'CommandHandler' && name !== 'QueryHandler') continue;
    const [message] = call.arguments;
    if (message && ts.isIdentifier(message)) out.push(message);
  }
  return out;
}

/**
 * The innermost node whose text (leading trivia excluded) holds `position`, the file itself excepted. Found down
 * node-path.ts's path, which halves each child list: reading every child on the way made one look-up per site
 * read a wide block's every statement, so a file of many handlers in one block was quadratic
 * (test/migrate/kept-names-cost.test.ts).
 */
export function nodeAt(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  for (const node of nodePath(sourceFile, position).slice(1)) {
    // A node holds the position in its leading trivia only: neither it nor its children hold it in their text.
    if (node.getStart(sourceFile) > position) break;
    found = node;
  }
  return found;
}
