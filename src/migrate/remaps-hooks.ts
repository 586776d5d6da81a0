import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { literalNumber, propertyValue, skipOuter } from './analysis/syntax.js';
import { calleeName, EQUALITY_OPERATORS } from './census-syntax.js';
import { packageErrorCode } from './remaps-codes.js';
import { readsStatus } from './status-checks.js';
import { handlerFunction, type HandlerFn } from './remaps-handlers.js';
import type { RemapLayer } from './types.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * The hooks of a file that map 403 to one status (remaps-covered.ts settles the implicit sites they reach):
 * - hapi `server.ext('onPreResponse', fn)` / `server.ext({ type: 'onPreResponse', method: fn })`;
 * - Express error middleware `app.use((err, req, res, next) => …)`, Koa `app.use(async (ctx, next) => …)`;
 * - Fastify `setErrorHandler(fn)`, `addHook('onSend', fn)`; Hono `app.onError(fn)`.
 * `fn` is written in the call or passed by name (session 37, remaps-handlers.ts: a local, an import, a member, a
 * factory's returned function). A remap is a hook whose body tests a 403 and, in that branch, writes one status:
 * the test is of the status (`=== 403`: every 403 that reaches the hook) or of a package's error code or class
 * (`err.code === 'EBADCSRFTOKEN'`, `err instanceof IpDeniedError`: that package's 403 only, remaps-codes.ts). The
 * branch is the `if`'s, or after `if (err.code !== 'EBADCSRFTOKEN') return next(err);` the rest of the block.
 */
export interface CodeRemap {
  family: Family;
  status: number;
  /** The registration's file and line (where it is put on the app). */
  file: string;
  line: number;
  /** The hook function: its file (another when passed by name from an import), offsets and line. */
  fnFile: string;
  start: number;
  end: number;
  /** How the function was reached when it is not written in the call (`errorHandler (errors.js:3)`). */
  via?: string;
  /**
   * The layers it remaps (`Site.remapLayers`): `error-handler` for a hook that catches a thrown 403 (Express error
   * middleware, a Koa try/catch, Fastify setErrorHandler, Hono onError, hapi onPreResponse testing a Boom's
   * `.output.statusCode`, a Nest filter), `response-hook` for one that reads the answer's own status (a Koa check
   * after `await next()`, Fastify onSend, hapi onPreResponse testing a plain response's `.statusCode`).
   */
  layers: RemapLayer[];
  /**
   * What it tests: a 403 status (every 403), the package error codes (remaps-codes.ts ids) it tests instead, and
   * the names its 403 is written as (`DENIED`, `FORBIDDEN` of `HttpStatus.FORBIDDEN`: the last name read), if any.
   */
  tests: RemapTests;
  /** How it is registered, for the report (`server.ext('onPreResponse')`). */
  how: string;
  /** The registration call, for its order and instance (remaps-reach.ts). */
  call: ts.CallExpression;
}

/** What a remap tests (see {@link CodeRemap.tests}). */
export interface RemapTests {
  status: boolean;
  codes: string[];
  names?: string[];
}

/** `nest`: a NestJS global exception filter (remaps-nest.ts), over the Express or Fastify platform. */
export type Family = 'hapi' | 'express' | 'koa' | 'fastify' | 'hono' | 'nest';

/** Text that may register a hook: a file with none is never read for remaps. */
export const HOOK_REGISTRATION = /\.(?:use|setErrorHandler|onError|ext|addHook)\s*\(/;

/** The hooks of a file that map 403 to one status (see {@link CodeRemap}). */
export function codeRemaps(
  analysis: FileAnalysis,
  analysisOf?: (file: string) => FileAnalysis | undefined,
): CodeRemap[] {
  const out: CodeRemap[] = [];
  const sourceFile = analysis.sourceFile;
  if (!HOOK_REGISTRATION.test(analysis.text)) return out;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const hook = hookOf(node, analysis);
      if (hook) {
        const found = remapOf(hook.fn, statusReader(hook, analysis, analysisOf));
        if (found)
          out.push({
            family: hook.family,
            how: hook.family === 'koa' && !found.caught ? 'status middleware' : hook.how,
            status: found.status,
            layers: layersOf(hook.family, found, hook.how),
            tests: found.tests,
            call: node,
            file: analysis.file,
            line: lineAndCharacterAt(sourceFile, node.getStart(sourceFile)).line + 1,
            fnFile: hook.file,
            start: hook.fn.getStart(),
            end: hook.fn.getEnd(),
            ...(hook.via ? { via: hook.via } : {}),
          });
      }
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return out;
}

/**
 * The layers a hook remaps: hapi's onPreResponse by what it tests (a Boom's `.output.statusCode`, a plain
 * response's `.statusCode`); a Koa middleware by where it tests (in a catch: a thrown 403; after `await next()`:
 * `ctx.status`); Fastify's onSend the answer written; every other hook a thrown error.
 */
function layersOf(
  family: Family,
  found: { boom: boolean; plain: boolean; caught: boolean },
  how?: string,
): RemapLayer[] {
  if (family === 'hapi')
    return [
      ...(found.boom ? ['error-handler' as const] : []),
      ...(found.plain ? ['response-hook' as const] : []),
    ];
  if (family === 'koa') return [found.caught ? 'error-handler' : 'response-hook'];
  if (how === "addHook('onSend')") return ['response-hook'];
  return ['error-handler'];
}

function stringOf(node: ts.Node | undefined): string | undefined {
  return node && ts.isStringLiteralLike(node) ? node.text : undefined;
}

/**
 * How a status operand is read: a literal, or a name (`DENIED`, `HttpStatus.FORBIDDEN`, `StatusCodes.UNAUTHORIZED`)
 * read by the analysis of the file the expression is written in (session 46). Undefined: not a number it can read.
 */
export type StatusReader = (expression: ts.Expression) => number | undefined;

/** Literals only: a hook whose file has no analysis. */
const literalOnly: StatusReader = (expression) => literalNumber(skipOuter(expression));

/**
 * The reader for a hook's function: the registering file's analysis when the function is written there, else the
 * analysis of the file it is written in (`analysisOf`, asked only when a name is to be read), else literals only.
 */
export function statusReader(
  hook: { fn: ts.Node; file: string },
  analysis: FileAnalysis,
  analysisOf?: (file: string) => FileAnalysis | undefined,
): StatusReader {
  if (hook.fn.getSourceFile() === analysis.sourceFile) return (e) => analysis.statusValue(e);
  if (!analysisOf) return literalOnly;
  let other: FileAnalysis | undefined | null = null;
  return (e) => {
    const direct = literalNumber(skipOuter(e));
    if (direct !== undefined) return direct;
    if (other === null) other = analysisOf(hook.file);
    return other && other.sourceFile === e.getSourceFile() ? other.statusValue(e) : undefined;
  };
}

interface Hook {
  family: Family;
  how: string;
  fn: HandlerFn;
  file: string;
  via?: string;
}

/** The hook a call registers, with its framework and function (followed when passed by name). */
function hookOf(call: ts.CallExpression, analysis: FileAnalysis): Hook | undefined {
  const name = (call.expression as ts.PropertyAccessExpression).name.text;
  const [first, second] = call.arguments;
  const fnOf = (argument: ts.Expression | undefined) =>
    argument ? handlerFunction(argument, analysis) : undefined;
  const make = (family: Family, how: string, argument: ts.Expression | undefined): Hook | undefined => {
    const found = fnOf(argument);
    return found && { family, how, fn: found.fn, file: found.file, ...(found.via ? { via: found.via } : {}) };
  };
  if (name === 'ext') {
    if (stringOf(first) === 'onPreResponse') return make('hapi', "server.ext('onPreResponse')", second);
    if (first && ts.isObjectLiteralExpression(first)) {
      const type = propertyValue(first, 'type');
      if (stringOf(type) === 'onPreResponse')
        return make('hapi', "server.ext('onPreResponse')", propertyValue(first, 'method'));
    }
    return undefined;
  }
  if (name === 'setErrorHandler') return make('fastify', 'setErrorHandler', first);
  if (name === 'addHook') {
    // onError hooks cannot change the answer (Fastify Hooks docs): only onSend can.
    return stringOf(first) === 'onSend' ? make('fastify', "addHook('onSend')", second) : undefined;
  }
  if (name === 'onError') return make('hono', 'app.onError', first);
  if (name === 'use' && first && call.arguments.length === 1) {
    const found = fnOf(first);
    if (!found) return undefined;
    const hook = { fn: found.fn, file: found.file, ...(found.via ? { via: found.via } : {}) };
    if (found.fn.parameters.length === 4) return { family: 'express', how: 'error middleware', ...hook };
    if (found.fn.parameters.length === 2 && found.fn.body && /\bnext\s*\(/.test(found.fn.body.getText()))
      return { family: 'koa', how: 'middleware', ...hook };
  }
  return undefined;
}

interface Tested {
  boom: boolean;
  plain: boolean;
  status: boolean;
  codes: string[];
  /** The names read as 403 (`DENIED`, `FORBIDDEN` of `HttpStatus.FORBIDDEN`). */
  names: string[];
  /** The test is negated (`!==`, `!=`): the 403 branch is the else, or what follows an exit. */
  negated: boolean;
}

const NOT_EQUALS = new Set([
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/**
 * Whether a condition tests a 403: `x.statusCode === 403`, a package's code (`err.code === 'EBADCSRFTOKEN'`) or
 * class (`err instanceof IpDeniedError`, remaps-codes.ts), or their negation (`err.code !== 'EBADCSRFTOKEN'`).
 */
function testsForbidden(
  condition: ts.Expression,
  read: StatusReader,
  sent: ReadonlyMap<string, ts.Expression | undefined> = new Map(),
): Tested | undefined {
  const out: Tested = { boom: false, plain: false, status: false, codes: [], names: [], negated: false };
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node)) {
      const kind = node.operatorToken.kind;
      if (EQUALITY_OPERATORS.has(kind)) {
        for (const [value, other] of [
          [node.right, node.left],
          [node.left, node.right],
        ] as const) {
          const code = stringOf(value);
          const known = code === undefined ? undefined : packageErrorCode(code);
          // A name is read only where it is compared with a read of a status (`err.status === DENIED`).
          const number =
            literalNumber(value) ??
            (!known && isName(value) && !readsStatus(value) && (readsStatus(other) || sentLocal(other, sent))
              ? read(value)
              : undefined);
          if (number !== 403 && !known) continue;
          found = true;
          if (NOT_EQUALS.has(kind)) out.negated = true;
          if (known) out.codes.push(known.id);
          else out.status = true;
          const last = number === 403 && literalNumber(value) === undefined ? lastName(value) : undefined;
          if (last) out.names.push(last);
          // `let status = r.output.statusCode; if (status === 403) …`: the local reads what it was given.
          const source = sentLocal(other, sent) ?? other;
          if (/\.output\.statusCode$/.test(skipOuter(source).getText())) out.boom = true;
          else out.plain = true;
        }
      } else if (kind === ts.SyntaxKind.InstanceOfKeyword) {
        // `IpDeniedError`, `ipfilter.IpDeniedError`.
        const id = calleeName(skipOuter(node.right));
        const known = id === undefined ? undefined : packageErrorCode(id);
        if (known) {
          found = true;
          out.plain = true;
          out.codes.push(known.id);
        }
      }
    }
    node.forEachChild(visit);
  };
  visit(condition);
  return found ? out : undefined;
}

/** The one status a remap writes where it tests a 403, and what it tests; undefined when it writes none or several. */
export function remapOf(
  fn: HandlerFn,
  read: StatusReader = literalOnly,
):
  | {
      status: number;
      boom: boolean;
      plain: boolean;
      caught: boolean;
      tests: RemapTests;
    }
  | undefined {
  const body = fn.body;
  if (!body) return undefined;
  const statuses = new Set<number>();
  let boom = false;
  let plain = false;
  let caught = false;
  let status = false;
  const codes = new Set<string>();
  const names = new Set<string>();
  // `let status = err.status; if (status === 403) status = 401; res.status(status)`: a local the hook sends.
  const sent = sentLocals(body);
  const take = (tested: Tested, branch: ts.Node | readonly ts.Node[]): void => {
    const written = new Set<number>();
    for (const node of Array.isArray(branch) ? branch : [branch])
      for (const s of writtenStatuses(node as ts.Node, read, sent)) written.add(s);
    if (!written.size) return;
    boom ||= tested.boom;
    plain ||= tested.plain;
    status ||= tested.status;
    for (const c of tested.codes) codes.add(c);
    for (const n of tested.names) names.add(n);
    const first = (Array.isArray(branch) ? branch[0] : branch) as ts.Node | undefined;
    for (let up: ts.Node | undefined = first; up && up !== fn; up = up.parent)
      if (ts.isCatchClause(up)) caught = true;
    for (const s of written) statuses.add(s);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIfStatement(node)) {
      const tested = testsForbidden(node.expression, read, sent);
      if (tested && !tested.negated) take(tested, node.thenStatement);
      else if (tested) {
        if (node.elseStatement) take(tested, node.elseStatement);
        else if (exits(node.thenStatement) && ts.isBlock(node.parent)) {
          const rest = node.parent.statements.slice(node.parent.statements.indexOf(node) + 1);
          if (rest.length) take(tested, rest);
        }
      }
    } else if (ts.isConditionalExpression(node)) {
      const tested = testsForbidden(node.condition, read, sent);
      if (tested) take(tested, tested.negated ? node.whenFalse : node.whenTrue);
    }
    node.forEachChild(visit);
  };
  visit(body);
  const [only] = statuses;
  return statuses.size === 1 && only !== undefined && only !== 403
    ? {
        status: only,
        boom,
        plain,
        caught,
        tests: { status, codes: [...codes], ...(names.size ? { names: [...names] } : {}) },
      }
    : undefined;
}

/** Whether a statement always leaves the function or block: `return …`, `throw …`, a block ending in one. */
function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return !!last && exits(last);
  }
  return false;
}

/** The last name of a read: `DENIED`, `FORBIDDEN` of `HttpStatus.FORBIDDEN`, `denied` of `CODES['denied']`. */
function lastName(expression: ts.Expression): string | undefined {
  const node = skipOuter(expression);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))
    return node.argumentExpression.text;
  return undefined;
}

/** A name that may hold a status: `DENIED`, `HttpStatus.FORBIDDEN`, `CODES['denied']`. */
function isName(node: ts.Expression): boolean {
  const inner = skipOuter(node);
  return (
    ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)
  );
}

/**
 * Status setters in a branch: `.status(N)`, `.code(N)`, `.sendStatus(N)`, `.statusCode = N`, `c.json(b, N)`, `N`
 * a literal or a name `read` reads (`HttpStatus.UNAUTHORIZED`; read only where it stands in such a slot).
 */
function writtenStatuses(
  branch: ts.Node,
  read: StatusReader,
  sent: ReadonlyMap<string, unknown> = new Map(),
): Set<number> {
  const out = new Set<number>();
  const visit = (node: ts.Node): void => {
    if (
      !ts.isNumericLiteral(node) &&
      ts.isExpression(node) &&
      isName(node) &&
      (inSetterSlot(node, branch) || assignsSent(node, sent))
    ) {
      const value = read(node);
      if (value !== undefined && Number.isInteger(value) && value >= 100 && value <= 599) out.add(value);
      return;
    }
    if (ts.isNumericLiteral(node)) {
      const value = literalNumber(node);
      const parent = node.parent;
      if (value !== undefined && value >= 100 && value <= 599) {
        // `cond !== 403 ? other : 401`: the branch is the literal itself.
        if (node === branch) out.add(value);
        else if (
          ts.isBinaryExpression(parent) &&
          parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          parent.right === node &&
          /\.(?:statusCode|status)$/.test(parent.left.getText())
        )
          out.add(value);
        else if (
          ts.isCallExpression(parent) &&
          ts.isPropertyAccessExpression(parent.expression) &&
          /^(?:status|code|sendStatus|writeHead|json|text|send)$/.test(parent.expression.name.text)
        )
          out.add(value);
        else if (ts.isConditionalExpression(parent) && parent.whenTrue === node) out.add(value);
        else if (assignsSent(node, sent)) out.add(value);
      }
    }
    node.forEachChild(visit);
  };
  visit(branch);
  return out;
}

/**
 * The initializer of a local the hook sends (`r.output.statusCode` of `let status = r.output.statusCode`) when
 * `node` is that local; the local itself when it has none; undefined for anything else.
 */
function sentLocal(
  node: ts.Expression,
  sent: ReadonlyMap<string, ts.Expression | undefined>,
): ts.Expression | undefined {
  const inner = skipOuter(node);
  if (!ts.isIdentifier(inner) || !sent.has(inner.text)) return undefined;
  return sent.get(inner.text) ?? inner;
}

/** `status = 401` (also `status = HttpStatus.UNAUTHORIZED`) where `status` is a local in `sent`. */
function assignsSent(node: ts.Expression, sent: ReadonlyMap<string, unknown>): boolean {
  const parent = node.parent;
  return (
    sent.size > 0 &&
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    parent.right === node &&
    ts.isIdentifier(parent.left) &&
    sent.has(parent.left.text)
  );
}

/**
 * The plain names a hook's body sends as the status (`res.status(status)`, `ctx.status = status`,
 * `reply.code(code)`, `h.response(b).code(status)`, `return { statusCode: status }`): a local assigned a status in
 * a branch that tests 403 (`if (status === 403) status = 401`) writes that status.
 */
function sentLocals(body: ts.Node): Map<string, ts.Expression | undefined> {
  const out = new Map<string, ts.Expression | undefined>();
  const initializers = new Map<string, ts.Expression | undefined>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && ts.isExpression(node) && node.parent) {
      const parent = node.parent;
      const slot =
        (!(ts.isBinaryExpression(parent) && parent.left === node) && inSetterSlot(node, body)) ||
        (ts.isPropertyAssignment(parent) &&
          parent.initializer === node &&
          /^(?:statusCode|status)$/.test(parent.name.getText()));
      if (slot) out.set(node.text, undefined);
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name))
      initializers.set(node.name.text, node.initializer);
    node.forEachChild(visit);
  };
  visit(body);
  for (const name of out.keys()) out.set(name, initializers.get(name));
  return out;
}

/** Whether a name stands where a status is written: the branch itself, `.status(x)`, `x.statusCode = x`, `c ? x : …`. */
function inSetterSlot(node: ts.Expression, branch: ts.Node): boolean {
  if (node === branch) return true;
  const parent = node.parent;
  if (ts.isBinaryExpression(parent))
    return (
      parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      parent.right === node &&
      /\.(?:statusCode|status)$/.test(parent.left.getText())
    );
  if (ts.isCallExpression(parent))
    return (
      parent.arguments.includes(node) &&
      ts.isPropertyAccessExpression(parent.expression) &&
      /^(?:status|code|sendStatus|writeHead|json|text|send)$/.test(parent.expression.name.text)
    );
  return ts.isConditionalExpression(parent) && parent.whenTrue === node;
}
