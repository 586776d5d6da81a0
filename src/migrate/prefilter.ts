import { MIDDLEWARE_403_MODULES } from './middleware-403-table.js';
import { NAMED_NUMBER_SOURCE, OCCURRENCE_SOURCE } from './occurrence-source.js';
import { MORE_DYNAMIC_STATUS } from './prefilter-dynamic-kinds.js';
import { lazyAnchoredTest, type TextTest } from '../util/anchored-test.js';
import { escapeRegExp } from '../util/regexp.js';

/** `'koa-ip'` or `"koa-ip"` (an import or require of the package), as a RegExp source. */
function quotedModule(name: string): string {
  return `['"]${escapeRegExp(name)}['"]`;
}

/**
 * A response status slot given something other than a literal (`res.status(err.status || 500)`,
 * `reply.code(upstream.statusCode)`, `res.writeHead(r.status)`, uWebSockets.js `res.writeStatus(code)`, `ctx.status =
 * e.status`, moleculer-web's `ctx.meta.$statusCode = r.status`): it can pass a 403
 * through with no 403 in the file's text, so such a file is parsed too and the slot reported.
 */
const DYNAMIC_STATUS = String.raw`\.(?:status|sendStatus|code|writeHead|writeStatus)\(\s*[^\d'"\`)\s]|\.(?:status|statusCode|\$statusCode)\s*=\s*[^\d'"\`=\s]`;

/**
 * Status slots of error constructors and helpers given something other than a literal (a status passed through
 * from an upstream answer or an error object, with no 403 in the file's text): Koa's `ctx.throw(err.status)` (a
 * bare `err` / `error` / `e` carries its own status and is no slot), http-errors `createError(r.status, m)`, restify
 * `makeErrFromCode(code)`, routing-controllers `new HttpError(code)`, Nest `new HttpException(body, status)`,
 * Moleculer `new MoleculerError(m, code)` and Payload `new APIError(m, status)` (the status is the second argument;
 * a library constant such as `HttpStatus.BAD_REQUEST` is a known status, not a pass-through), Boom's
 * `Boom.boom(m, { statusCode })` / `boomify` / `new Boom(…)`, and an options object whose `statusCode` is read off
 * another object (`{ statusCode: r.status }`: h3 `createError`, Boom, custom errors). A `status:` key is left out:
 * domain objects carry one everywhere (`{ status: report.status }`), which made a quarter of a real tree's files
 * candidates with no site among them.
 */
const PASS_THROUGH =
  String.raw`\.throw\(\s*(?!(?:err|error|e)\s*[,)])[^\d'"` +
  '`' +
  String.raw`)\s]|\b(?:createError|makeErrFromCode)\(\s*[^\d'"` +
  '`' +
  String.raw`)\s{]|\bnew\s+HttpError\s*\(\s*[^\d'"` +
  '`' +
  String.raw`)\s{]|\bnew\s+(?:HttpException|Moleculer(?:Client|Server|Retryable)?Error|APIError)\s*\((?:[^(),]|\([^()]*\))*,\s*(?!HttpStatus\.|StatusCodes\.)[A-Za-z_$]|\bBoom\.boom(?:ify)?\(|\bnew\s+Boom(?:\.Boom)?\s*\(|\bstatusCode\s*:\s*[\w$]+(?:\??\.[\w$]+)*\??\.(?:status|statusCode)\b`;

/**
 * Status slots of the response helpers that take the status as an argument or an init object, given something
 * other than a literal (an upstream's `response.status` handed on, with no 403 and no `.status(` call in the
 * file: a Next.js route handler relaying its upstream's answer read clean). Each form is tied to its call, so a
 * domain object's `status:` key elsewhere does not make the file a candidate:
 * - a Fetch `ResponseInit` (https://fetch.spec.whatwg.org/#responseinit): `new Response(b, { status: r.status })`,
 *   `Response.json(b, { status })` (shorthand too), Next.js `NextResponse.json` / `new NextResponse`, Remix /
 *   SvelteKit / React Router `json(b, init)` / `data(b, init)`, Hono's `c.json(b, { status })`;
 * - a positional status: Hono `c.json(b, r.status)` / `c.text` / `c.body` / `c.html` / `c.newResponse`, SvelteKit
 *   and itty-router `error(r.status, m)`, Elysia `error(code, m)` / `status(code, m)`, h3
 *   `setResponseStatus(event, code)`, micro `send(res, code, body)`, AdonisJS `response.abort(body, code)` /
 *   `abortIf` / `abortUnless`, Feathers `new FeathersError(m, name, code, …)`;
 * - a Lambda result's `statusCode` key given a name (`{ statusCode: code }`, `{ statusCode, body }`); PASS_THROUGH
 *   only knew `{ statusCode: r.status }`.
 */
const STATUS_ARGUMENT =
  String.raw`(?:\bnew\s+(?:Next)?Response|(?<![\w$])(?:Next)?Response\.json|(?<![.\w$])(?:json|data)|\.(?:json|text|body|html|newResponse))\s*\([^;]{0,800}?\bstatus\s*(?::\s*[^\d'"` +
  '`' +
  String.raw`\s]|[,}])|\.(?:json|text|body|html|newResponse)\s*\((?:[^(){},;]|\([^()]*\)|\{(?:[^{}]|\{[^{}]*\})*\})*,\s*(?![\d'"` +
  '`' +
  String.raw`\s{\[(),])|(?<![.\w$])(?:error|status)\s*\(\s*(?![\d'"` +
  '`' +
  String.raw`)\s])|\bsetResponseStatus\s*\([^,)]*,\s*(?![\d'"` +
  '`' +
  String.raw`\s])|(?<![.\w$])send\s*\(\s*[\w$]+\s*,\s*(?![\d'"` +
  '`' +
  String.raw`\s])|\.abort(?:If|Unless)?\s*\([^)\s]|\bnew\s+FeathersError\s*\(|\bstatusCode\s*(?::\s*(?![\d'"` +
  '`' +
  String.raw`\s])|[,}])`;

/**
 * A status slot whose value may fold to 403 with no 403 written (analysis/fold.ts; session 32, breaker32 #04:
 * `res.status(400 + 3)` read clean): within 80 characters after a status slot's opening (`status(`, `code:`,
 * `statusCode =`, `writeHead(`) or a status call's name (`createError(`, `json(`), in the same statement, either literals joined by an operator (`400 + 3`, `806 / 2`, `0x190 | 3`, `'4' + '03'`,
 * `` `${400 + 3}` ``; a string only when it holds a number, so a message split over `+` stays out) or a number
 * spelled other than in decimal digits (`4.03e2`, `0x0193`, `4_0_3`, `0o0623`, legacy octal `0623`, `'0403'`).
 * The value itself is left to the analysis: a file with `60 * 1000` next to a `status` is parsed and read. Tied to
 * the slot's opening, this costs the prefilter ~9% on a gen-code tree (a bare `status` anchor cost ~33%).
 */
const FOLDED_STATUS =
  String.raw`(?:(?:status|code|writehead)['"]?\s*[(:=]|(?:error|exception|throw|json|text|html|body|send|abort|assert)\()[^;]{0,80}?(?:(?<![\w$.])(?:\d[\w.]*|'[-+\d\s._xob]*'|"[-+\d\s._xob]*"|` +
  '`' +
  String.raw`[-+\d\s._xob]*` +
  '`' +
  String.raw`)\s*(?:\*\*|>>>?|<<|[-+*%^]|\/(?![/*])|\|(?!\|)|&(?!&))(?![-+=])\s*[(\s+~-]*[\d.'"` +
  '`' +
  String.raw`]|(?<![\w$.])(?:0[xob][\da-f_]+|0[0-7_]+|\d[\d_]*(?:\.\d*)?e[-+]?\d+|\d+(?:_\d+)+)(?![\w$])|['"` +
  '`' +
  String.raw`]\s*(?:0\d|\d[\d.]*e[-+]?\d))`;

/**
 * A value written to fold to 403 away from any status slot (session 33: `export const DENIED = 806 / 2` in a
 * constants file, read as `res.status(DENIED)` in another: the route was a site, the constants file unparsed, its
 * 403 missing from the census). FOLDED_STATUS needs a slot's opening, and literal arithmetic in general cannot be
 * told from `60 * 1000` by a pattern without parsing a large share of every tree, so these are the spellings that
 * can make 403 with one of their literals written as it is: a 4xx base (`400 + 3`, `3 + 400`, `404 - 1`,
 * `400 | 3`), a multiple of 403 divided (`806 / 2`, `1209 / 3`, `4030 / 10`) or shifted (`806 >> 1`), `13 * 31`,
 * a hex 0x180-0x19f joined by `|` / `+` / `^` (`0x190 | 3`), numeric strings joined (`'4' + '03'`, `'40' + '3'`,
 * `4 + '03'`), and `parseInt` / `parseFloat` of a string that starts with digits (`parseInt('403px')`).
 * Each holds a literal of three characters or more, so anchored-test.ts runs it only where that literal is.
 */
const FOLDED_VALUE =
  String.raw`(?<![\w$.])(?:400|401|402)(?: \+|\+| \|(?!\|)|\|(?!\|))|(?:\+ |\+)(?:400|401|402)(?![\w$.])|(?<![\w$.])(?:404|405|406|407|408|409|410|500)(?: -|-)\s*[(\s]*\d|(?<![\w$.])(?:806|1209|1612|2015|2418|4030|40300)(?: \/|\/|>>| >>)(?![/*])|13\*31|13 \* 31|31\*13|31 \* 13|\b0x1[89][\da-f]\s*[|+^]|(?:'4'|"4"|'40'|"40")\s*\+|\+\s*(?:'03'|"03")|\b(?:parseInt|parseFloat)\s*\(\s*['"` +
  '`' +
  String.raw`]\s*[-+]?\d`;

/**
 * Error classes that answer 403 with neither 403 nor Forbidden in their name (restify `NotAuthorizedError`, Ghost
 * `NoPermissionError` / `HostLimitError`, oidc-provider `InsufficientScope`, express-oauth2-jwt-bearer
 * `InsufficientScopeError`, Strapi `PolicyError`, its policies' `policyContext`, its `createCoreRouter` routes and
 * custom routes' `handler: 'ctrl.action'`), classes extending a `…Policy` (an
 * AdonisJS policy whose project base policy extends bouncer's: middleware-403.ts follows the chain), Payload's
 * `CollectionConfig` / `GlobalConfig` (a collection with no `access` still answers 403 to a request without a user),
 * Egg.js's `E403` (egg-errors' alias of `ForbiddenError`), and Egg.js's
 * config files, where the security plugin's default 403 is configured: the config function's `appInfo` parameter
 * (not Stripe's `{ appInfo: … }` option), `EggAppConfig` / `EggAppInfo`,
 * `exports.keys = …` and `{ keys: '…' }` (every Egg app sets its cookie keys), Egg 4's `defineConfig` /
 * `defineConfigFactory` imported from `'egg'` (`defineConfig` alone is every other tool's config helper too, and
 * every TypeScript file of an Egg app imports from `'egg'`), and gRPC's PERMISSION_DENIED written as its number
 * (`callback({ code: 7, message })`, `{ 'code': 7 as status }`, `new ServerError(7, details)`, `(<Status>7)`:
 * frameworks/grpc.ts).
 */
const NAMED_403 = String.raw`\bcode['"]?\s*:\s*(?:\(\s*|<[\w$.]+>\s*)*7\b|\bnew\s+[\w$.]*Error\s*\(\s*(?:\(\s*|<[\w$.]+>\s*)*7\b|NotAuthorizedError|\bE403\b|NoPermissionError|HostLimitError|InsufficientScope|PolicyError|createCoreRouter|\bhandler\s*:\s*['"](?:(?:api|plugin)::)?[\w-]+\.[\w.-]+['"]|\bextends\s+[\w$.]*Policy\b|policyContext|E_AUTHORIZATION_FAILURE|\b(?:Collection|Global)Config\b|\(\s*appInfo\s*[:,)]|\bappInfo\s*=>|EggAppConfig|EggAppInfo|\bexports\.keys\b|\bkeys\s*:\s*['"]|\{[^}]*\bdefineConfig(?:Factory)?\b[^}]*\}\s*from\s+['"]egg['"]`;

/**
 * Web handlers that may return an upstream's Response with no 403 in the file (frameworks/fetch-pass-through.ts):
 * `return fetch(…)`, `=> fetch(…)`, `respondWith(…)`, `new Response(r.body, …)`, a service binding's
 * `env.API.fetch(…)`, h3's `proxyRequest` / `sendProxy`, a request forwarded as it is (`fetch(request)`, `fetch(c.req.raw)`), and the files that
 * export route handlers or a Worker's `fetch(request)` (where `const r = await fetch(…); return r` is read); also
 * Next.js `NextResponse.rewrite(…)`, Bun / Deno servers, a server object's `fetch: handle`, fetch held under another
 * name (`globalThis.fetch`, `fetch.bind`), ky / ofetch told not to throw on an error status, and a Hono request
 * handed to a function (`forward(c.req.raw)`, which may return the upstream's Response from another file).
 */
const FETCH_PASS_THROUGH = String.raw`\breturn\s+(?:await\s+)?fetch\s*\(|=>\s*(?:await\s+)?fetch\s*\(|\.respondWith\s*\(|\bnew\s+Response\s*\(\s*[\w$]+\.body\b|\.env\.[\w$]+\.fetch\s*\(|\bfetch\s*\(\s*(?:req|request|c\.req|event\.request)\b|\bexport\s+(?:async\s+)?(?:function|const|let)\s+(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ALL|loader|action|onRequest\w*)\b|\bas\s+(?:GET|POST|PUT|PATCH|DELETE)\b|\basync\s+fetch\s*\(\s*(?:req|request)\b|\b(?:proxyRequest|sendProxy)\s*\(|NextResponse\.rewrite\s*\(|\b(?:Bun|Deno)\.serve\b|\bfetch\s*:\s*[\w$]+\s*[,}]|globalThis\.fetch\b|\bfetch\.bind\s*\(|throwHttpErrors|ignoreResponseError|\(\s*c\.req\.raw\b`;

/**
 * File-sending helpers that answer 403 for a path the request controls (frameworks/file-senders.ts): Express
 * `res.sendFile` / `res.download` / `res.sendfile`, @fastify/static's `reply.sendFile` / `reply.download`,
 * @hapi/inert's `h.file` (the toolkit under any name: `reply.file`, `toolkit.file`; session 33).
 */
const FILE_SENDERS = String.raw`\.(?:sendFile|sendfile|download|file)\s*\(`;

/**
 * WebSocket handshake options (frameworks/socket-handshakes.ts): engine.io / Socket.IO `allowRequest`, whose
 * rejection engine.io answers 403, and ws `verifyClient`, whose `cb(false, code)` answers `code`.
 */
const HANDSHAKES = String.raw`\ballowRequest\b|\bverifyClient\b`;

/**
 * Text that marks a SvelteKit configuration (svelte.config.js): an official or community adapter, SvelteKit's
 * `Config` type, or the Svelte Vite plugin's preprocessor. Its `kit.csrf.checkOrigin` answers 403 with no 403 in
 * the text (frameworks/origin-checks.ts), so such a file is a candidate.
 */
export const SVELTE_CONFIG = /@sveltejs\/(?:adapter-|kit['"]|vite-plugin-svelte)|svelte-adapter-/;

/**
 * Files whose text cannot hold a 403 form are never parsed (DESIGN §7). The pattern is the census's own
 * occurrence pattern (so no occurrence can hide in an unparsed file), the 403 classes named otherwise (NAMED_403),
 * plus the tokens of implicit producers
 * (guards, csrf, file senders (FILE_SENDERS), WebSocket handshake options (HANDSHAKES), static serving (`require('express').static(…)`, `{ static: serve } = require('express')`,
 * Nest's `useStaticAssets`, restify's `serveStatic` / `serveStaticFiles`), scope checks, routing-controllers `@Authorized(roles)`, API Gateway authorizer results, middleware-403-table.ts packages) and the dynamic status slots
 * that hold no 403 in their text (DYNAMIC_STATUS, PASS_THROUGH, STATUS_ARGUMENT), and web handlers that may pass
 * an upstream's Response on (FETCH_PASS_THROUGH). A NUL makes a candidate too: a UTF-16 file read as UTF-8 hides its
 * 403s behind zero bytes, and the analysis names it (wide-sources.ts).
 */
export const CANDIDATE = new RegExp(
  `${OCCURRENCE_SOURCE}|${NAMED_403}|UseGuards|useGlobalGuards|APP_GUARD|canActivate|csrf|csurf|checkOrigin|${SVELTE_CONFIG.source}|ipRestriction|serve-static|serveStatic|express\\.static|\\.static\\s*\\(|\\bstatic\\s*:\\s*[\\w$]+\\s*[,}][^;]*require\\s*\\(\\s*['"]express['"]|\\bstatic\\s+as\\s+[\\w$]+|@fastify\\/static|fastify-static|useStaticAssets|${FILE_SENDERS}|${HANDSHAKES}|['"]Deny['"]|\\bisAuthorized['"]?\\s*\\]?\\s*(?::|=(?!=))|\\b(?:policyDocument|methodArn|routeArn)\\b|\\baccess\\s*:|\\bscope\\s*:|jwt-authz|requiredScopes|scopeInclude|@Authorized\\s*\\(|${DYNAMIC_STATUS}|${FOLDED_STATUS}|${FOLDED_VALUE}|${PASS_THROUGH}|${STATUS_ARGUMENT}|${MORE_DYNAMIC_STATUS}|${FETCH_PASS_THROUGH}|${MIDDLEWARE_403_MODULES.map(quotedModule).join('|')}|\\x00`,
  'i',
);

/**
 * {@link CANDIDATE}'s test, with the same answer for every text, ~5 times faster (~4 ns a character instead of ~19
 * over 217 million characters of the trial trees' code: anchored-test.ts looks for each alternative's literals
 * first). Each file of a run goes through it once, on the thread that reads the files; it is made on its first
 * use (the main thread often has none).
 */
const CANDIDATE_ANCHORED: TextTest = lazyAnchoredTest(CANDIDATE);

/** A name carrying the number (`send403`, `HTTP_403`), read case-sensitively (occurrence-source.ts). */
const NAMED_NUMBER = new RegExp(NAMED_NUMBER_SOURCE);

/**
 * The prefilter's test: {@link CANDIDATE} (case-insensitive) or a name carrying the number (case-sensitive, so
 * `'x403y'` or a hex colour `'#ffa403'` makes no candidate: session 47, tests47).
 */
export const CANDIDATE_TEST: TextTest = {
  source: CANDIDATE.source,
  flags: CANDIDATE.flags,
  also: { source: NAMED_NUMBER.source, flags: NAMED_NUMBER.flags },
  test: (text) => CANDIDATE_ANCHORED.test(text) || NAMED_NUMBER.test(text),
};

/** Whether a file's text may hold a site: {@link CANDIDATE_TEST} matches it. */
export function mayHoldSite(text: string): boolean {
  return CANDIDATE_TEST.test(text);
}
