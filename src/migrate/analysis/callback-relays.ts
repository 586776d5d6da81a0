import ts from '../../typescript.cjs';

/** Keys a library's result carries its HTTP status under (got, request, http.IncomingMessage, axios, fetch). */
const RELAYED_STATUS_KEYS = new Set(['status', 'statusCode', 'status_code', 'httpStatus', 'httpStatusCode']);

/**
 * The call a function is handed to as a callback, when a status slot reads one of its parameters: `response` of
 * `got(url).then((response) => { res.statusCode = response.statusCode })`, `up` of `http.get(url, (up) =>
 * res.writeHead(up.statusCode))`, `response` of `request(options, (error, response) => …)`. The parameter's value
 * is whatever that call passes in (most often an upstream's answer); no call of the project passes it, so a shared
 * helper's "find its callers" cannot be followed (session 52: ging/fiware-pep-proxy's proxy relay read so).
 *
 * @param fn the function whose parameter the status is (call-sites.ts `addHelper`).
 * @param property the key read of the parameter (`statusCode`), or undefined when the parameter is the status.
 * @returns the callee as written with its arguments elided (`got(…).then`), or undefined when `fn` is no callback
 *   argument or the key is no status key.
 */
export function callbackCallee(fn: ts.Node, property: string | undefined): string | undefined {
  if (property !== undefined && !RELAYED_STATUS_KEYS.has(property)) return undefined;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const call = fn.parent;
  if (!(ts.isCallExpression(call) || ts.isNewExpression(call)) || !call.arguments?.some((a) => a === fn))
    return undefined;
  return elided(call.expression, 0);
}

/** `got(…).then`, `http.get`: a callee with its calls' arguments elided; `…` past a few steps or other forms. */
function elided(node: ts.Expression, depth: number): string {
  if (depth > 4) return '…';
  if (ts.isIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node)) return `${elided(node.expression, depth + 1)}.${node.name.text}`;
  if (ts.isCallExpression(node)) return `${elided(node.expression, depth + 1)}(…)`;
  if (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node)) return elided(node.expression, depth);
  return '…';
}

/**
 * The reason for a status slot that answers a status a callback is handed (`read`, e.g. `response.statusCode`,
 * by `callee`, as {@link callbackCallee} gives it): a 403 that call passes in answers 403 here, so it is mapped
 * here or kept on purpose.
 */
export function callbackRelayReason(read: string, callee: string, target: number): string {
  return `Relayed status: the status is ${read}, a parameter of the callback handed to ${callee}(…), so whatever that call passes in (an upstream's answer, an error's status) is answered as it is: a 403 it passes answers 403 here, and no call of the project passes it to change instead. Map 403 to ${target} here (${read} === 403 ? ${target} : ${read}), or keep it on purpose with // mtls-fix-ignore: <why>.`;
}
