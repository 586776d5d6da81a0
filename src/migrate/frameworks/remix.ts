import ts from '../../typescript.cjs';
import { renameSite } from './class-rename.js';
import type { Framework } from './framework.js';
import { initHeaders } from './hono.js';
import { challengeNote, initObject, statusProperty } from './shared.js';

/**
 * The Remix family: every package whose `json(data, init)` / `data(data, init)` takes a ResponseInit or a status
 * number, as `@remix-run/node` does (https://remix.run/docs/en/main/utils/json, https://reactrouter.com/api/utils/data).
 * `remix` is Remix 1.0-1.5's "magic" package (`import { json } from 'remix'`, filled in by `remix setup node` from
 * the platform's package; breaker50, b0b4456/remix-mini): before, its `json(x, { status: 403 })` was a shape
 * mtls-fix did not know and a helper around it left its callers' 403 unread.
 */
export const REMIX_MODULES = [
  'remix',
  '@remix-run/node',
  '@remix-run/server-runtime',
  '@remix-run/cloudflare',
  '@remix-run/deno',
  '@remix-run/architect',
  '@vercel/remix',
  'react-router',
  'react-router-dom',
];

/**
 * Other packages' response helpers with Remix's `(data, init?: number | ResponseInit)` shape, by module:
 * remix-typedjson's `typedjson` (its `TypedJsonFunction` type, https://github.com/kiliman/remix-typedjson).
 */
const JSON_HELPERS: Readonly<Record<string, readonly string[]>> = {
  'remix-typedjson': ['typedjson'],
};

/** Where remix-utils (v1 to v6) exports its JSON response helpers (`forbidden(data, init?)` and its siblings). */
const REMIX_UTILS_MODULES = ['remix-utils', 'remix-utils/server'];

/**
 * remix-utils' JSON response helpers by status, each `json(data, { status })` with Remix's `json`
 * (remix-utils README, "Responses": badRequest, unauthorized, forbidden, notFound, unprocessableEntity,
 * serverError).
 */
const REMIX_UTILS_HELPERS: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  404: 'notFound',
  422: 'unprocessableEntity',
  500: 'serverError',
};

/**
 * Remix / React Router loaders and actions: `json(x, { status: 403 })`, `json(x, 403)`, `data(x, { status: 403 })`,
 * remix-typedjson's `typedjson(x, { status: 403 })`, and remix-utils' `forbidden(x)` -> `unauthorized(x)`.
 */
export const remix: Framework = {
  id: 'remix',
  title: 'Remix / React Router (json, data, typedjson, remix-utils)',
  enablers: [...REMIX_MODULES, ...Object.keys(JSON_HELPERS), ...REMIX_UTILS_MODULES],
  kinds: [ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (!ts.isCallExpression(node)) return;
    // `forbidden(x)`, `utils.forbidden(x)` (a namespace import), a CommonJS binding.
    if (analysis.resolvesTo(node.expression, REMIX_UTILS_MODULES, 'forbidden')) {
      renameSite(analysis, {
        form: node,
        callee: node.expression,
        to: REMIX_UTILS_HELPERS[analysis.target],
        framework: 'remix',
        missing: `remix-utils has no helper for ${analysis.target}: return json(data, { status: ${analysis.target} }) here.`,
        reason: challengeNote(analysis),
      });
      return;
    }
    if (!ts.isIdentifier(node.expression)) return;
    const binding = analysis.importOf(node.expression.text);
    if (!binding) return;
    const helper = REMIX_MODULES.includes(binding.module)
      ? ['json', 'data'].includes(binding.name)
      : (JSON_HELPERS[binding.module]?.includes(binding.name) ?? false);
    if (!helper) return;
    const init = node.arguments[1];
    if (!init) return;
    const object = initObject(init);
    if (!object) {
      analysis.statusSlot(init, node, 'remix');
      return;
    }
    const status = statusProperty(object, 'status');
    if (status)
      analysis.statusSlot(status.value, object === init ? node : object, 'remix', () =>
        initHeaders(analysis, object),
      );
  },
};
