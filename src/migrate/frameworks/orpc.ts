import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { propertySlot, skipOuter } from '../analysis/syntax.js';
import { shorten } from '../analysis.js';
import { ORPC_CODES } from '../status-names.js';
import type { Framework } from './framework.js';
import { lineAndCharacterAt } from '../../util/lines.js';
import { visibleValue } from '../local-values.js';

/** The packages that export `ORPCError` and the procedure builder `os`. */
const MODULES = ['@orpc/server', '@orpc/client', '@orpc/contract'];

/**
 * oRPC: `new ORPCError('FORBIDDEN')` answers HTTP 403 (oRPC maps its common codes to statuses,
 * `COMMON_ORPC_ERROR_DEFS` in @orpc/client), unless its options set `status` (`{ status: 403 }` answers 403 whatever
 * the code). The code (or the status) is rewritten where it is written. A typed error declared by
 * `.errors({ FORBIDDEN: { … } })` answers 403 wherever a procedure throws `errors.FORBIDDEN()`: the declaration is
 * shared by every procedure built on it, so it is reported, as an error class is.
 */
export const orpc: Framework = {
  id: 'orpc',
  title: 'oRPC error codes',
  enablers: MODULES,
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (ts.isNewExpression(node) && analysis.resolvesTo(node.expression, MODULES, 'ORPCError')) {
      errorSite(analysis, node);
      return;
    }
    if (!ts.isCallExpression(node)) return;
    if (isErrorsDeclaration(analysis, node)) declaredErrors(analysis, node);
    else typedThrow(analysis, node);
  },
};

/** `new ORPCError(code, { status })`: the status when one is written, else the code. */
function errorSite(analysis: FileAnalysis, node: ts.NewExpression): void {
  const [code, options] = node.arguments ?? [];
  const object = options && skipOuter(options);
  const status =
    object && ts.isObjectLiteralExpression(object)
      ? object.properties.map(propertySlot).find((slot) => slot?.key === 'status')
      : undefined;
  if (status) {
    const edits = analysis.forbiddenEdits(status.value);
    if (edits) analysis.addSite({ node, framework: 'orpc', edits });
    return;
  }
  const literal = code && skipOuter(code);
  if (!literal || !ts.isStringLiteralLike(literal) || literal.text !== ORPC_CODES[403]) return;
  const target = ORPC_CODES[analysis.target];
  if (target) analysis.addSite({ node, framework: 'orpc', edits: [analysis.phraseEdit(literal, target)] });
  else
    analysis.addSite({
      node,
      framework: 'orpc',
      manual: true,
      reason: `No oRPC code maps to ${analysis.target}: pass { status: ${analysis.target} } in the options of this ORPCError on mTLS procedures.`,
    });
}

/** `os.errors({ … })`, `oc.errors({ … })`, `base.errors({ … })` in a file that imports oRPC. */
function isErrorsDeclaration(analysis: FileAnalysis, node: ts.CallExpression): boolean {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'errors') return false;
  const first = node.arguments[0];
  if (!first || !ts.isObjectLiteralExpression(skipOuter(first))) return false;
  return importsOrpc(analysis);
}

/**
 * `errors.FORBIDDEN(…)`, and the same typed error under another name: `({ errors: e }) => e.FORBIDDEN()`,
 * `({ errors: { FORBIDDEN } }) => FORBIDDEN()` (or `{ FORBIDDEN: deny }`), `opts.errors.FORBIDDEN()`. Linked
 * (census `reference`) to the `.errors({ FORBIDDEN })` definition it throws, in this file or in the module the
 * procedure's builder is imported from, where that definition is rewritten or reported; named when none is found.
 */
function typedThrow(analysis: FileAnalysis, node: ts.CallExpression): void {
  const typed = typedErrorHandler(node.expression);
  // A handler's own `errors` destructured is oRPC's (the module runs only in a package that depends on oRPC);
  // a bare `errors.FORBIDDEN()` counts in a file that imports oRPC.
  if (!typed || (!typed.bound && !importsOrpc(analysis))) return;
  const via = definitionOf(analysis, typed.handler);
  if (typed.key) analysis.notAnEmit(typed.key, via ? 'reference' : 'declaration', via);
  if (via) {
    analysis.notAnEmit(node, 'reference', via);
    return;
  }
  analysis.addSite({
    node,
    framework: 'orpc',
    manual: true,
    reason: `errors.FORBIDDEN() throws the typed error FORBIDDEN: oRPC answers 403 unless its .errors({ FORBIDDEN: … }) definition sets another status, and mtls-fix found no definition in this file or the module its builder is imported from. On mTLS procedures throw errors.${ORPC_CODES[analysis.target] ?? 'UNAUTHORIZED'}() (declared beside it), or keep it on purpose with // mtls-fix-ignore: <why>.`,
  });
}

/**
 * The handler (or middleware) function whose `errors` the callee reaches for FORBIDDEN, and whether its parameter
 * binds them (`bound`; else the callee is only named `errors.FORBIDDEN` / `x.errors.FORBIDDEN`, `handler` the
 * enclosing function); undefined when the callee is no typed error.
 */
function typedErrorHandler(
  callee: ts.Expression,
): { handler: ts.SignatureDeclaration | undefined; bound: boolean; key?: ts.BindingElement } | undefined {
  const code = ORPC_CODES[403];
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === code) {
    const holder = callee.expression;
    if (ts.isPropertyAccessExpression(holder) && holder.name.text === 'errors')
      return { handler: enclosing(callee), bound: false };
    if (!ts.isIdentifier(holder)) return undefined;
    const found = bindingFunction(callee, holder.text, (element) => !ts.isObjectBindingPattern(element.name));
    if (found) return { handler: found.fn, bound: true };
    return holder.text === 'errors' ? { handler: enclosing(callee), bound: false } : undefined;
  }
  if (!ts.isIdentifier(callee)) return undefined;
  const found = bindingFunction(callee, callee.text, (element, inner) => {
    const key = inner.propertyName ?? inner.name;
    return ts.isIdentifier(key) && key.text === code && ts.isObjectBindingPattern(element.name);
  });
  // `{ errors: { FORBIDDEN: deny } }`: the key is the code's occurrence, counted with the throw.
  return found && { handler: found.fn, bound: true, key: found.bound };
}

/**
 * The nearest enclosing function whose first parameter destructures `errors` into `name`: `{ errors }`,
 * `{ errors: name }`, or `{ errors: { FORBIDDEN: name } }`; with the binding element that binds `name`.
 */
function bindingFunction(
  from: ts.Node,
  name: string,
  accept: (element: ts.BindingElement, inner: ts.BindingElement) => boolean,
): { fn: ts.SignatureDeclaration; bound: ts.BindingElement } | undefined {
  for (let fn = enclosing(from); fn; fn = enclosing(fn)) {
    const pattern = fn.parameters[0]?.name;
    if (!pattern || !ts.isObjectBindingPattern(pattern)) continue;
    for (const element of pattern.elements) {
      const key = element.propertyName ?? element.name;
      if (!ts.isIdentifier(key) || key.text !== 'errors') continue;
      if (ts.isIdentifier(element.name) && element.name.text === name && accept(element, element))
        return { fn, bound: element };
      if (ts.isObjectBindingPattern(element.name))
        for (const inner of element.name.elements)
          if (ts.isIdentifier(inner.name) && inner.name.text === name && accept(element, inner))
            return { fn, bound: inner };
    }
  }
  return undefined;
}

function enclosing(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent)
    if (ts.isFunctionLike(current)) return current;
  return undefined;
}

/**
 * Where the FORBIDDEN a handler throws is defined (`file:line (FORBIDDEN: …)`): the `.errors({ FORBIDDEN })` on the
 * builder chain the handler is given to (`pub.handler(fn)` of `const pub = os.errors({…})`, `os.errors({…}).use(m)
 * .handler(fn)`: the nearest one, as a later `.errors` overrides an earlier one), in this file or in the module the
 * chain's builder is imported from (ImportLink.declaration: only then is another module parsed). When the chain
 * cannot be read, the file's first such definition, then the builder's module's. Before session 46 the file's first
 * definition was taken even when the handler's own chain defines another.
 */
function definitionOf(
  analysis: FileAnalysis,
  handler: ts.SignatureDeclaration | undefined,
): string | undefined {
  const call = handler?.parent;
  const chained =
    call && ts.isCallExpression(call) && call.arguments.some((a) => skipOuter(a) === handler)
      ? onChain(call.expression, 0)
      : undefined;
  if (chained && !ts.isIdentifier(chained)) return where(analysis.file, analysis.sourceFile, chained);
  const local = forbiddenDefinitions(analysis.sourceFile)[0];
  const root = chained ?? (handler && builderRoot(handler));
  const binding = root && analysis.importOf(root.text);
  if (!binding || MODULES.includes(binding.module))
    return local && where(analysis.file, analysis.sourceFile, local);
  const declared = analysis.options.link?.declaration?.(binding);
  if (!declared) return local && where(analysis.file, analysis.sourceFile, local);
  // The exported builder's own chain in its module (`export const base = os.errors({…})`), else its first definition.
  const exported = exportedInitializer(declared.sourceFile, declared.name);
  const there = exported && onChain(exported, 0);
  const found =
    there && !ts.isIdentifier(there) ? there : (forbiddenDefinitions(declared.sourceFile)[0] ?? undefined);
  if (!found) return local && where(analysis.file, analysis.sourceFile, local);
  return where(analysis.options.link?.relative?.(declared.file) ?? declared.file, declared.sourceFile, found);
}

/** How many `const` builders are followed back along one chain (`const b = a.use(m); const a = os.errors(…)`). */
const MAX_BUILDERS = 8;

/**
 * The `FORBIDDEN` entry of the nearest `.errors({ … })` on a builder chain (`os.errors({…}).use(m)`, read from the
 * handler's end), following a `const` the chain starts at to its initializer (local-values.ts `visibleValue`) and
 * `implement(contract)` to its contract; else the identifier the chain starts at (an import, a parameter), or
 * undefined.
 */
function onChain(
  start: ts.Expression,
  depth: number,
): ts.ObjectLiteralElementLike | ts.Identifier | undefined {
  let current = skipOuter(start);
  for (;;) {
    if (ts.isCallExpression(current)) {
      const callee = skipOuter(current.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'errors') {
        const object = current.arguments[0] && skipOuter(current.arguments[0]);
        const found =
          object && ts.isObjectLiteralExpression(object)
            ? [...object.properties].reverse().find((p) => propertySlot(p)?.key === ORPC_CODES[403])
            : undefined;
        if (found) return found;
      }
      const first = current.arguments[0] && skipOuter(current.arguments[0]);
      current = ts.isIdentifier(callee) && first && ts.isIdentifier(first) ? first : callee;
    } else if (ts.isPropertyAccessExpression(current)) current = skipOuter(current.expression);
    else break;
  }
  if (!ts.isIdentifier(current)) return undefined;
  const value = depth < MAX_BUILDERS ? visibleValue(current, current.text) : undefined;
  const declaration = value?.parent;
  if (value && declaration && ts.isVariableDeclaration(declaration) && declaration.initializer === value)
    return onChain(value as ts.Expression, depth + 1) ?? current;
  return current;
}

/** The initializer of `export const name = …` (or a module-level `const` exported by a list) of a module. */
function exportedInitializer(sourceFile: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of sourceFile.statements)
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer)
          return declaration.initializer;
  return undefined;
}

/** The identifier a handler's builder chain starts at: `base` of `base.use(m).handler(fn)`, `contract` of `implement(contract).handler(fn)`. */
function builderRoot(handler: ts.SignatureDeclaration): ts.Identifier | undefined {
  const call = handler.parent;
  if (!call || !ts.isCallExpression(call)) return undefined;
  let current: ts.Expression = call.expression;
  for (;;) {
    if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else if (ts.isCallExpression(current)) {
      const inner = current.expression;
      const first = current.arguments[0];
      if (ts.isIdentifier(inner) && first && ts.isIdentifier(first)) return first;
      current = inner;
    } else break;
  }
  return ts.isIdentifier(current) ? current : undefined;
}

/** The `FORBIDDEN` entries of every `.errors({ … })` call in a file, in order. */
function forbiddenDefinitions(sourceFile: ts.SourceFile): ts.ObjectLiteralElementLike[] {
  const found: ts.ObjectLiteralElementLike[] = [];
  if (!sourceFile.text.includes(ORPC_CODES[403] ?? 'FORBIDDEN')) return found;
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'errors'
    ) {
      const object = node.arguments[0] && skipOuter(node.arguments[0]);
      if (object && ts.isObjectLiteralExpression(object))
        for (const property of object.properties)
          if (propertySlot(property)?.key === ORPC_CODES[403]) found.push(property);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function where(file: string, sourceFile: ts.SourceFile, node: ts.Node): string {
  const line = lineAndCharacterAt(sourceFile, node.getStart(sourceFile)).line + 1;
  return `${file}:${line} (${shorten(node.getText(sourceFile))})`;
}

function importsOrpc(analysis: FileAnalysis): boolean {
  return [...analysis.imports.values()].some((binding) => MODULES.includes(binding.module));
}

/** The `FORBIDDEN` entry of `.errors({ FORBIDDEN: { message } })`: its status, or oRPC's 403 for the code. */
function declaredErrors(analysis: FileAnalysis, node: ts.CallExpression): void {
  const first = node.arguments[0];
  const object = first && skipOuter(first);
  if (!object || !ts.isObjectLiteralExpression(object)) return;
  for (const property of object.properties) {
    const slot = propertySlot(property);
    if (!slot || slot.key !== ORPC_CODES[403]) continue;
    const definition = skipOuter(slot.value);
    const status =
      ts.isObjectLiteralExpression(definition) &&
      definition.properties.map(propertySlot).find((s) => s?.key === 'status');
    // `FORBIDDEN: { status: 403 }`: the status is written, rewritten there (or a 401 chosen on purpose).
    if (status) {
      const edits = analysis.forbiddenEdits(status.value);
      if (edits) analysis.addSite({ node: property, framework: 'orpc', edits });
      continue;
    }
    analysis.addSite({
      node: property,
      framework: 'orpc',
      manual: true,
      reason: `The typed error FORBIDDEN sets no status, so oRPC answers 403 wherever a procedure throws errors.FORBIDDEN(): set status: ${analysis.target} in this definition if every procedure built on it is mTLS, or declare ${ORPC_CODES[analysis.target] ?? `an error with status: ${analysis.target}`} beside it for the mTLS ones.`,
    });
  }
}
