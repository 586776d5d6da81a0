/**
 * Dynamic status slots that the analysis reads and reports ("Dynamic status", "Shared helper") but that
 * prefilter.ts's DYNAMIC_STATUS / PASS_THROUGH / STATUS_ARGUMENT did not name, so a file holding only such a slot
 * (and no 403 text) was never parsed and read clean (session 29, breaker29 #08: a Hono middleware turning every
 * TRPCError into `new HTTPException(getHTTPStatusCodeFromError(e))`, where tRPC's table answers 403 for FORBIDDEN).
 * Each form is tied to its call, as a RegExp source (CANDIDATE is case-insensitive; every alternative has literals
 * for anchored-test.ts):
 * - Hono `new HTTPException(status, …)`: the status is the first argument (Nest's `HttpException` has it second;
 *   the case-insensitive pattern also makes a Nest file whose body is a name a candidate: a parse, no report);
 * - a positional status in parentheses (`c.json(b, (e as X).code)`, `c.text(b, (s))`), not an arrow callback;
 * - itty-router `new StatusError(code, …)`, routing-controllers `new HttpError(code)` is in PASS_THROUGH; Marble.js
 *   `new HttpError(m, code)` (second argument);
 * - Oak `createHttpError(code)`, LoopBack `HttpErrors(code, m)`, Koa / Oak `ctx.assert(cond, code)`;
 * - tsoa `this.setStatus(code)`;
 * - ts-rest results `{ status: code, body }` / `{ body, status }` (tied to `body`: a lone `status:` key is every
 *   domain object's);
 * - tRPC `new TRPCError({ code })` / `{ code: c }` (a name, not a quoted code: those are named by the census);
 * - a Boom or http-errors factory chosen by a run-time key (`Boom[kind](m)`, `new createError[name]()`; session 39,
 *   frameworks/run-time-factories.ts);
 * - Encore `new APIError(code, m)` (session 30: the code is the first argument; Payload's `APIError(m, status)`
 *   with a message in a name makes the file a candidate too: a parse, no report).
 */
export const MORE_DYNAMIC_STATUS =
  String.raw`\bnew\s+HTTPException\s*\(\s*[^\d'"` +
  '`' +
  String.raw`)\s{]|\.(?:json|text|body|html|newResponse)\s*\((?:[^(){},;]|\([^()]*\)|\{(?:[^{}]|\{[^{}]*\})*\})*,\s*\((?:[^()]|\([^()]*\))+\)(?!\s*=>)|\bnew\s+StatusError\s*\(\s*[^\d'"` +
  '`' +
  String.raw`)\s{]|\bnew\s+HttpError\s*\(\s*(?:'[^']*'|"[^"]*"|[\w$.]+)\s*,\s*(?!HttpStatus\.)[A-Za-z_$(]|\b(?:createHttpError|HttpErrors)\s*\(\s*[^\d'"` +
  '`' +
  String.raw`)\s{]|\.assert\s*\((?:[^(),;]|\([^()]*\))*,\s*(?![\d'"` +
  '`' +
  String.raw`\s)])|\.setStatus\s*\(\s*[^\d'"` +
  '`' +
  String.raw`)\s]|\bstatus\s*(?::\s*(?![\d'"` +
  '`' +
  String.raw`\s])[\w$.?]+(?:\([^()]*\))?)?\s*,\s*body\b|\bbody\s*(?::\s*[^,{}();]+)?,\s*status\s*(?::\s*(?![\d'"` +
  '`' +
  String.raw`\s])|[,}])|\bnew\s+TRPCError\s*\(\s*\{[^}]*\bcode\s*(?::\s*(?![\s'"` +
  '`' +
  String.raw`])|[,}])|\bnew\s+APIError\s*\(\s*[^\d'"` +
  '`' +
  String.raw`)\s]|\b(?:Boom|createError)\s*\[\s*[^\d'"` +
  '`' +
  String.raw`\s\]]`;
