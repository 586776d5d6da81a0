import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';
import { initHeaders } from './hono.js';
import { initObject, statusProperty } from './shared.js';

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

/** Remix / React Router loaders and actions: `json(x, { status: 403 })`, `json(x, 403)`, `data(x, { status: 403 })`. */
export const remix: Framework = {
  id: 'remix',
  title: 'Remix / React Router (json, data)',
  enablers: REMIX_MODULES,
  kinds: [ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return;
    const binding = analysis.importOf(node.expression.text);
    if (!binding || !REMIX_MODULES.includes(binding.module) || !['json', 'data'].includes(binding.name))
      return;
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
