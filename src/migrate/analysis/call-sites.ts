import ts from '../../typescript.cjs';
import type { FunctionLike } from '../scope.js';
import type { StatusEvaluator } from './evaluation.js';
import type { SiteRegistry } from './sites.js';
import { exportsOfLocal, isExportsObject } from './export-names.js';
import { propertySlot, skipOuter } from './syntax.js';
import { errorRelayReason, isHandledErrorParameter } from './error-relays.js';
import type { CandidateCall, Evaluation, HelperParam } from './types.js';
import { helperNote } from './helper-note-text.js';
import { callbackCallee, callbackRelayReason } from './callback-relays.js';
import { classFactoryCallReason, classFactoryNote, functionName, madeClass } from './class-factories.js';
import { statusTypeWidening, type ImportedDeclaration } from './status-type-widening.js';

/** Keys that name an HTTP status in options objects and results. */
export const STATUS_KEYS = new Set(['status', 'statusCode', 'httpStatus', 'httpStatusCode', 'httpCode']);

/**
 * Helpers and call sites: parameters of this file's functions that flow into a status slot (shared
 * helpers, error-class constructors), and the calls that pass a 403 (or forward their own parameter), to be
 * matched with the helpers of every file once all are analysed (src/migrate/links.ts).
 */
export class CallSites {
  readonly helpers: HelperParam[] = [];
  readonly candidateCalls: CandidateCall[] = [];
  private readonly helperKeys = new Set<string>();

  constructor(
    private readonly evaluator: StatusEvaluator,
    private readonly registry: SiteRegistry,
    /** The agreed status the run rewrites to. */
    private readonly target: number,
    /** Where an imported name of this file is declared (the run's cross-file link), for a parameter's type alias. */
    private readonly declarationOf?: ImportedDeclaration,
    /** The name a function is installed under on a framework object, for an untyped parameter's signature. */
    private readonly installedName?: (fn: FunctionLike) => string | undefined,
  ) {}

  /**
   * Records a helper parameter (one entry per name importers may use) and, unless `report` is given, a
   * manual site at `form`. Returns false when the parameter was already known or the file is a mock file.
   */
  addHelper(
    evaluation: Extract<Evaluation, { kind: 'param' }>,
    form: ts.Node,
    framework: string,
    report?: string,
  ): boolean {
    const key = `${evaluation.fn.pos}:${evaluation.index}:${evaluation.property ?? ''}`;
    if (this.helperKeys.has(key) || this.registry.mockFile) return false;
    this.helperKeys.add(key);
    // A function making an error class whose status is its parameter (class-factories.ts): its calls passing 403
    // define classes, reported at the call.
    const factory =
      report === undefined && framework === 'error-classes' && madeClass(evaluation.fn, form) !== undefined;
    if (factory) report = classFactoryCallReason(functionName(evaluation.fn), evaluation.name, this.target);
    const base = {
      fn: evaluation.fn,
      index: evaluation.index,
      name: evaluation.name,
      framework,
      ...(evaluation.property === undefined ? {} : { property: evaluation.property }),
      ...(report === undefined ? {} : { report }),
    };
    const exportNames = exportNamesOf(evaluation.fn);
    // One entry per name importers may use (`X`, `default`, a whole `require()`).
    if (!exportNames.length) this.helpers.push(base);
    for (const exportName of exportNames) this.helpers.push({ ...base, exportName });
    this.widenStatusType(evaluation, framework);
    if (factory) {
      this.registry.addSite({
        node: form,
        framework,
        manual: true,
        reason: classFactoryNote(functionName(evaluation.fn), evaluation.name),
      });
      return true;
    }
    // A result helper is reported where a 403 is passed to it, not for existing.
    if (report !== undefined) return true;
    // `catchError((err) => new ApiErrorResponse({ statusCode: err.status }))`: the handled error's status.
    if (isHandledErrorParameter(evaluation.fn, evaluation.name, evaluation.property)) {
      this.registry.addSite({
        node: form,
        framework,
        manual: true,
        reason: errorRelayReason(`${evaluation.name}.${evaluation.property ?? ''}`, this.target),
      });
      return true;
    }
    // `got(url).then((response) => { res.statusCode = response.statusCode })`: a callback's parameter, whose
    // value the callee passes in; no project call passes it (callback-relays.ts).
    // A function a framework installs under a name (`fastify.decorateReply('deny', fn)`) is called by that name.
    const callee =
      framework === 'trpc' || this.installedName?.(evaluation.fn) !== undefined
        ? undefined
        : callbackCallee(evaluation.fn, evaluation.property);
    // `({ statusCode }) => …`: the key destructured is read by its own name.
    const whole = evaluation.fn.parameters[evaluation.index]?.name;
    const read =
      evaluation.property === undefined || (whole !== undefined && !ts.isIdentifier(whole))
        ? evaluation.name
        : `${evaluation.name}.${evaluation.property}`;
    this.registry.addSite({
      node: form,
      framework,
      manual: true,
      reason:
        callee === undefined
          ? helperNote(evaluation.name, framework === 'trpc')
          : callbackRelayReason(read, callee, this.target),
    });
    return true;
  }

  /**
   * A helper parameter typed as a literal union holding 403 and not the agreed status (`status: 400 | 403`): the
   * status is added to the type in the same run, so the callers rewritten to it still compile; an imported alias
   * is named (status-type-widening.ts). Session 39.
   */
  private widenStatusType(evaluation: Extract<Evaluation, { kind: 'param' }>, framework: string): void {
    const sourceFile = evaluation.fn.getSourceFile();
    const widening = statusTypeWidening(
      evaluation.fn,
      evaluation.index,
      evaluation.property,
      sourceFile,
      this.target,
      this.declarationOf,
      this.installedName,
    );
    if (!widening) return;
    if ('edits' in widening) this.registry.addSite({ node: widening.node, framework, edits: widening.edits });
    else this.registry.addSite({ node: widening.node, framework, manual: true, reason: widening.reason });
  }

  /**
   * Records a plain call (`f(…)`, `ns.f(…)`, `new X(…)`, `super(…)`) passing a 403 (as an argument or as a key
   * of an options object), or forwarding a parameter of its own function, to be matched with helpers later.
   */
  candidateCall(call: ts.CallExpression | ts.NewExpression): void {
    const callee = calleeName(call);
    if (!callee) return;
    call.arguments?.forEach((argument, index) => {
      // `app.use('/m0', router0)` with `router0` imported: whether it is a 403 takes reading its module, so that
      // waits until the candidates are matched with helpers (`settledForbidden`), off the visit.
      if (this.evaluator.readsImportedModule(argument)) {
        this.candidateCalls.push({ call, index, callee, value: argument, deferred: true });
        return;
      }
      if (this.evaluator.forbiddenValueEdits(argument)) {
        this.candidateCalls.push({ call, index, callee, value: argument });
        return;
      }
      // `deny('FORBIDDEN', m)` of `function deny(code, m) { throw new TRPCError({ code, message: m }) }`.
      if (isForbiddenCode(argument)) {
        this.candidateCalls.push({ call, index, callee, value: argument, code: true });
        return;
      }
      const object = skipOuter(argument);
      if (ts.isObjectLiteralExpression(object)) {
        for (const property of object.properties) {
          const slot = propertySlot(property);
          if (!slot) continue;
          if (this.evaluator.readsImportedModule(slot.value)) {
            this.candidateCalls.push({
              call,
              index,
              callee,
              property: slot.key,
              value: slot.value,
              deferred: true,
            });
            continue;
          }
          if (this.evaluator.forbiddenValueEdits(slot.value)) {
            this.candidateCalls.push({ call, index, callee, property: slot.key, value: slot.value });
            continue;
          }
          if (isForbiddenCode(slot.value)) {
            this.candidateCalls.push({
              call,
              index,
              callee,
              property: slot.key,
              value: slot.value,
              code: true,
            });
            continue;
          }
          const forward = this.evaluator.parameterOf(slot.value);
          if (forward)
            this.candidateCalls.push({ call, index, callee, property: slot.key, value: slot.value, forward });
        }
        return;
      }
      // Forwarding: `f(res, code)`, `super(code ?? 400, …)`, `f(opts.status)`; not `f(req.body)`.
      const forward = this.evaluator.parameterOf(fallbackLeft(argument));
      if (forward && (forward.property === undefined || STATUS_KEYS.has(forward.property)))
        this.candidateCalls.push({ call, index, callee, value: argument, forward });
    });
  }
}

/**
 * The names other files import a helper by: `export function f`, `export const f`, `export class C` (for a
 * constructor), `export default C`, `export { f as g }`, and CommonJS `module.exports = C` (a whole `require()`
 * or a default import) / `module.exports.f = f` / `exports.f = f`.
 */
export function exportNamesOf(fn: FunctionLike): string[] {
  const hasModifier = (node: ts.Node, kind: ts.SyntaxKind): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
  let local: string | undefined;
  let holder: ts.Node | undefined;
  if (ts.isConstructorDeclaration(fn) && ts.isClassDeclaration(fn.parent)) {
    local = fn.parent.name?.text;
    holder = fn.parent;
  } else if (ts.isFunctionDeclaration(fn)) {
    local = fn.name?.text;
    holder = fn;
  } else if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) {
    local = fn.parent.name.text;
    holder = fn.parent.parent.parent;
  }
  const names = new Set<string>();
  // `exports.deny = function …`, `module.exports.deny = …`, `helpers.deny = …` on `const helpers =
  // module.exports` (NodeBB's controllers/helpers.js), and a method of `module.exports = { deny(…) {} }`.
  const member = heldAsMember(fn);
  if (member?.owner === EXPORTS_OBJECT) names.add(member.name);
  // `export const helpers = { deny }`, `export class Http { static deny(…) }`, `export default { deny(…) {} }`:
  // importers call `helpers.deny(…)` / `Http.deny(…)` / `h.deny(…)` of `import h from …` (`default.deny`).
  const sourceFile = fn.getSourceFile();
  for (const held of [...(member && member.owner !== EXPORTS_OBJECT ? [member] : []), ...heldByName(fn)])
    for (const owner of ownerExportNames(sourceFile, held.owner)) names.add(`${owner}.${held.name}`);
  if (holder && hasModifier(holder, ts.SyntaxKind.ExportKeyword)) {
    if (hasModifier(holder, ts.SyntaxKind.DefaultKeyword)) names.add('default');
    else if (local) names.add(local);
  }
  if (!local || !holder || !ts.isSourceFile(holder.parent)) return [...names];
  const exported = exportsOfLocal(holder.parent, local);
  for (const name of exported.names) names.add(name);
  if (exported.defaultExport) names.add('default');
  // `export = C`, `module.exports = C`: a whole `require()` or a default import.
  if (exported.exportEquals) names.add('default').add('*');
  return [...names];
}

/**
 * The names importers reach a top-level local `owner` by (`default` for a default export, `DEFAULT_OWNER` itself
 * for an `export default { … }` object); empty when it is not exported.
 */
function ownerExportNames(sourceFile: ts.SourceFile, owner: string): string[] {
  if (owner === DEFAULT_OWNER) return ['default'];
  const names = new Set<string>();
  const hasModifier = (node: ts.Node, kind: ts.SyntaxKind): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
  for (const statement of sourceFile.statements) {
    const declares =
      (ts.isClassDeclaration(statement) && statement.name?.text === owner) ||
      (ts.isVariableStatement(statement) &&
        statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === owner));
    if (!declares || !hasModifier(statement, ts.SyntaxKind.ExportKeyword)) continue;
    names.add(hasModifier(statement, ts.SyntaxKind.DefaultKeyword) ? 'default' : owner);
  }
  const exported = exportsOfLocal(sourceFile, owner);
  for (const name of exported.names) names.add(name);
  if (exported.defaultExport || exported.exportEquals) names.add('default');
  return [...names];
}

/** The owner {@link heldAsMember} gives a method of `export default { … }`. */
const DEFAULT_OWNER = 'export default';

/**
 * The top-level objects that hold a top-level function by its name, with the member name: `deny` of `function
 * deny(…)` in `const helpers = { deny, refuse: deny }` gives `helpers.deny` and `helpers.refuse`; in `export
 * default { deny }`, `default.deny`. Empty for a function not declared under a top-level name.
 */
export function heldByName(fn: ts.Node): { owner: string; name: string }[] {
  let local: string | undefined;
  if (ts.isFunctionDeclaration(fn) && ts.isSourceFile(fn.parent)) local = fn.name?.text;
  else if (
    ts.isVariableDeclaration(fn.parent) &&
    ts.isIdentifier(fn.parent.name) &&
    ts.isVariableStatement(fn.parent.parent.parent) &&
    ts.isSourceFile(fn.parent.parent.parent.parent)
  )
    local = fn.parent.name.text;
  if (!local) return [];
  const out: { owner: string; name: string }[] = [];
  const read = (object: ts.Expression, owner: string): void => {
    const value = skipOuter(object);
    if (!ts.isObjectLiteralExpression(value)) return;
    for (const p of value.properties) {
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === local) out.push({ owner, name: local });
      else if (
        ts.isPropertyAssignment(p) &&
        (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
        ts.isIdentifier(skipOuter(p.initializer)) &&
        (skipOuter(p.initializer) as ts.Identifier).text === local
      )
        out.push({ owner, name: p.name.text });
    }
  };
  for (const statement of fn.getSourceFile().statements) {
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer) read(d.initializer, d.name.text);
    if (ts.isExportAssignment(statement) && !statement.isExportEquals)
      read(statement.expression, DEFAULT_OWNER);
  }
  return out;
}

/** The owner {@link heldAsMember} gives a function held by CommonJS's exports object. */
const EXPORTS_OBJECT = 'module.exports';

/**
 * The object a function is held by as a member and the member's name, for a function not declared under a
 * name of its own: `O.m = function …` / `O.m = (…) => …` at the top level of its file, where O is `exports`,
 * `module.exports` or a top-level `const O = module.exports` (all given as `module.exports`), or another
 * top-level name; a method or `m: function …` of the object literal `module.exports = { … }` (owner
 * `module.exports`) or `const O = { … }` (owner O). Undefined for anything else (a class member, a nested
 * object, an object built in a function).
 */
export function heldAsMember(fn: ts.Node): { owner: string; name: string } | undefined {
  let value: ts.Node = fn;
  while (ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const holder = value.parent;
  if (
    holder &&
    ts.isBinaryExpression(holder) &&
    holder.right === value &&
    holder.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(holder.left) &&
    ts.isExpressionStatement(holder.parent) &&
    ts.isSourceFile(holder.parent.parent)
  ) {
    const owner = holder.left.expression;
    const name = holder.left.name.text;
    if (isExportsObject(owner)) return { owner: EXPORTS_OBJECT, name };
    if (!ts.isIdentifier(owner)) return undefined;
    return { owner: aliasesExports(holder.parent.parent, owner.text) ? EXPORTS_OBJECT : owner.text, name };
  }
  // `class Http { static deny(res, code) {…} }` at the top level: called `Http.deny(…)`.
  if (
    ts.isMethodDeclaration(fn) &&
    ts.isClassDeclaration(fn.parent) &&
    fn.parent.name &&
    ts.isSourceFile(fn.parent.parent) &&
    ts.isIdentifier(fn.name) &&
    (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword)
  )
    return { owner: fn.parent.name.text, name: fn.name.text };
  // `{ deny(res, code) {…} }`, `{ deny: function (res, code) {…} }`, `{ deny: (res, code) => … }`
  const member =
    ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(fn.parent)
      ? fn
      : ts.isPropertyAssignment(holder) && holder.initializer === value
        ? holder
        : undefined;
  if (!member || !(ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) return undefined;
  let object: ts.Node = member.parent;
  while (ts.isParenthesizedExpression(object.parent) || ts.isAsExpression(object.parent))
    object = object.parent;
  const place = object.parent;
  const name = member.name.text;
  if (
    ts.isBinaryExpression(place) &&
    place.right === object &&
    place.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isExpressionStatement(place.parent) &&
    ts.isSourceFile(place.parent.parent) &&
    isExportsObject(place.left)
  )
    return { owner: EXPORTS_OBJECT, name };
  if (ts.isExportAssignment(place) && !place.isExportEquals && ts.isSourceFile(place.parent))
    return { owner: DEFAULT_OWNER, name };
  if (
    ts.isVariableDeclaration(place) &&
    place.initializer === object &&
    ts.isIdentifier(place.name) &&
    ts.isVariableStatement(place.parent.parent) &&
    ts.isSourceFile(place.parent.parent.parent)
  )
    return { owner: place.name.text, name };
  return undefined;
}

/** A top-level `const O = module.exports` (or `= exports`) in the file. */
function aliasesExports(sourceFile: ts.SourceFile, name: string): boolean {
  return sourceFile.statements.some(
    (statement) =>
      ts.isVariableStatement(statement) &&
      (statement.declarationList.flags & ts.NodeFlags.Const) !== 0 &&
      statement.declarationList.declarations.some(
        (d) =>
          ts.isIdentifier(d.name) &&
          d.name.text === name &&
          d.initializer !== undefined &&
          isExportsObject(skipOuter(d.initializer)),
      ),
  );
}

/**
 * The name a call in the helper's own file reaches it by when it is held as a member ({@link heldAsMember}):
 * `helpers.deny` for `helpers.deny = function …` or `const helpers = { deny() {} }`, `exports.deny` and
 * `module.exports.deny` for the exports object (an alias `O` of it: `O.deny`). Empty for other functions.
 */
export function memberCalleeNames(fn: ts.Node): readonly string[] {
  // Asked for every helper of the file at each call the helper rounds match (localHelpers): kept per function.
  let names = MEMBER_CALLEE_NAMES.get(fn);
  if (!names) MEMBER_CALLEE_NAMES.set(fn, (names = findMemberCalleeNames(fn)));
  return names;
}

const MEMBER_CALLEE_NAMES = new WeakMap<ts.Node, readonly string[]>();

function findMemberCalleeNames(fn: ts.Node): string[] {
  const byName = heldByName(fn)
    .filter((held) => held.owner !== DEFAULT_OWNER)
    .map((held) => `${held.owner}.${held.name}`);
  const member = heldAsMember(fn);
  if (!member || member.owner === DEFAULT_OWNER) return byName;
  if (member.owner !== EXPORTS_OBJECT) return [`${member.owner}.${member.name}`, ...byName];
  const names = [`exports.${member.name}`, `module.exports.${member.name}`];
  let value: ts.Node = fn;
  while (ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const holder = value.parent;
  if (
    ts.isBinaryExpression(holder) &&
    ts.isPropertyAccessExpression(holder.left) &&
    ts.isIdentifier(holder.left.expression)
  )
    names.push(`${holder.left.expression.text}.${member.name}`);
  return [...names, ...byName];
}

/** `f` in `f(…)` / `new f(…)`, `ns.f`, or the superclass for `super(…)`; undefined for other callees. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  // `this.error(403)` in a method of X (a class member, `X.prototype.m = function`): X's own method.
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const owner = thisOwner(call);
    return owner ? `${owner}.prototype.${callee.name.text}` : undefined;
  }
  // `(res as any).fail(…)`, `res!.fail(…)`: a cast leaves the object as it is.
  const object = ts.isPropertyAccessExpression(callee) ? skipOuter(callee.expression) : undefined;
  if (ts.isPropertyAccessExpression(callee) && object && ts.isIdentifier(object))
    return `${object.text}.${callee.name.text}`;
  // `lib.helpers.deny(…)` of `import * as lib` (or a whole `require()`): a member of an imported object;
  // `(ctx.response as any).fail(…)` too.
  const root = object && ts.isPropertyAccessExpression(object) ? skipOuter(object.expression) : undefined;
  if (
    ts.isPropertyAccessExpression(callee) &&
    object &&
    ts.isPropertyAccessExpression(object) &&
    root &&
    ts.isIdentifier(root)
  )
    return `${root.text}.${object.name.text}.${callee.name.text}`;
  // Hono's `c.get('fail')(…)`: a context variable (analysis/installed-helpers.ts), matched by no import.
  if (
    ts.isCallExpression(callee) &&
    ts.isPropertyAccessExpression(callee.expression) &&
    callee.expression.name.text === 'get' &&
    callee.arguments.length === 1 &&
    ts.isStringLiteralLike(callee.arguments[0])
  )
    return `${callee.expression.getText()}(${callee.arguments[0].getText()})`;
  if (callee.kind === ts.SyntaxKind.SuperKeyword) {
    let cls: ts.Node | undefined = call.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    const base = cls?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
      ?.expression;
    if (base && ts.isIdentifier(base)) return base.text;
    if (base && ts.isPropertyAccessExpression(base) && ts.isIdentifier(base.expression))
      return `${base.expression.text}.${base.name.text}`;
  }
  return undefined;
}

/** The tRPC code `'FORBIDDEN'` written as a text (`as const` too). */
function isForbiddenCode(expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  return ts.isStringLiteralLike(node) && node.text === 'FORBIDDEN';
}

/** `code ?? 400`, `code || 400`: the left side. */
function fallbackLeft(expression: ts.Expression): ts.Expression {
  const node = skipOuter(expression);
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return node.left;
  return node;
}

/**
 * The class whose instance `this` is at a node: the nearest function that binds `this` (arrows do not) is a member
 * of class X, or a function assigned to `X.prototype.m` (or held in `X.prototype = { m: function … }`, ES5 style
 * as pillarjs/send writes it). Undefined anywhere else.
 */
function thisOwner(node: ts.Node): string | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isArrowFunction(at)) continue;
    if (ts.isFunctionLike(at)) return prototypeOwner(at);
    if (ts.isClassLike(at) || ts.isSourceFile(at)) return undefined;
  }
  return undefined;
}

/** `X` for a member of class X or a function assigned to an `X.prototype` member. */
function prototypeOwner(fn: ts.Node): string | undefined {
  if (ts.isClassLike(fn.parent) && !ts.isConstructorDeclaration(fn)) return fn.parent.name?.text;
  if (ts.isConstructorDeclaration(fn)) return fn.parent.name?.text;
  const holder = fn.parent;
  if (
    ts.isBinaryExpression(holder) &&
    holder.right === fn &&
    holder.operatorToken.kind === ts.SyntaxKind.EqualsToken
  )
    return /^([\w$]+)\.prototype\.[\w$]+$/.exec(holder.left.getText())?.[1];
  if (ts.isPropertyAssignment(holder) && ts.isObjectLiteralExpression(holder.parent)) {
    const assigned = holder.parent.parent;
    if (ts.isBinaryExpression(assigned) && assigned.operatorToken.kind === ts.SyntaxKind.EqualsToken)
      return /^([\w$]+)\.prototype$/.exec(assigned.left.getText())?.[1];
  }
  return undefined;
}

/**
 * The name `this.m(…)` calls reach a method by (`X.prototype.m`, as {@link calleeName} spells them), for a
 * function that is a method of class X or assigned to an `X.prototype` member; undefined for any other.
 */
export function prototypeMethodName(fn: ts.Node): string | undefined {
  const owner = prototypeOwner(fn);
  if (!owner) return undefined;
  if ((ts.isMethodDeclaration(fn) || ts.isGetAccessor(fn)) && fn.name && ts.isIdentifier(fn.name))
    return `${owner}.prototype.${fn.name.text}`;
  const holder = fn.parent;
  if (ts.isBinaryExpression(holder)) return holder.left.getText().replace(/\s+/g, '');
  if (ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name))
    return `${owner}.prototype.${holder.name.text}`;
  return undefined;
}
