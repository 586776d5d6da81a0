import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { renameCallee } from '../import-edits.js';
import type { Framework } from './framework.js';
import { initHeaders } from './hono.js';
import { isModuleLevelDeclaration, resultContext } from './result-types.js';
import { initObject, statusProperty } from './shared.js';

/** Modules whose `json(data, init)` helper takes a ResponseInit (the Remix family has a module of its own: remix.ts). */
const INIT_HELPERS = ['@sveltejs/kit'];
const RESPONSE_MODULES = ['next/server', 'undici', 'node-fetch', 'cross-fetch', '@whatwg-node/fetch'];

/**
 * The Web Fetch API and Next.js route handlers: `new Response(b, { status: 403, statusText })`,
 * `Response.json(x, { status: 403 })`, `NextResponse.json(…)`, and `forbidden()` from next/navigation.
 */
export const web: Framework = {
  id: 'web',
  title: 'Web Response / Next.js route handlers',
  enablers: [],
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.ObjectLiteralExpression, ts.SyntaxKind.NewExpression],
  visit(node, analysis) {
    if (ts.isCallExpression(node) && analysis.resolvesTo(node.expression, ['next/navigation'], 'forbidden')) {
      nextForbidden(analysis, node);
      return;
    }
    if (ts.isObjectLiteralExpression(node)) {
      // `const init: ResponseInit = { status: 403 }`, a function returning `ResponseInit`.
      // The key first: the context walks the function around the object, and most objects have no status.
      const status = statusProperty(node, 'status');
      const typed = status && resultContext(analysis, node) === 'web' && !isModuleLevelDeclaration(node);
      if (status && typed) analysis.statusSlot(status.value, node, 'web');
      return;
    }
    if (!ts.isNewExpression(node) && !ts.isCallExpression(node)) return;
    const kind = responseKind(analysis, node);
    if (!kind) return;
    const init = node.arguments?.[1];
    if (!init) return;
    const framework = kind === 'next' ? 'nextjs' : 'web';
    const object = initObject(init);
    if (object) {
      const status = statusProperty(object, 'status');
      // A named init is reported where it is declared, once however many responses use it.
      const form = object === init ? node : object;
      if (status) analysis.statusSlot(status.value, form, framework, () => initHeaders(analysis, object));
    } else if (kind === 'helper') {
      analysis.statusSlot(init, node, framework);
    }
  },
};

function responseKind(
  analysis: FileAnalysis,
  node: ts.NewExpression | ts.CallExpression,
): 'web' | 'next' | 'helper' | undefined {
  const callee = node.expression;
  const base = ts.isNewExpression(node)
    ? callee
    : ts.isPropertyAccessExpression(callee) && callee.name.text === 'json'
      ? callee.expression
      : undefined;
  if (base && ts.isIdentifier(base)) {
    const binding = analysis.importOf(base.text);
    if (base.text === 'NextResponse' && binding?.module === 'next/server') return 'next';
    if (base.text === 'Response' && (!binding || RESPONSE_MODULES.includes(binding.module))) return 'web';
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(callee)) {
    const binding = analysis.importOf(callee.text);
    if (binding && INIT_HELPERS.includes(binding.module) && ['json', 'data'].includes(binding.name))
      return 'helper';
  }
  return undefined;
}

/** `forbidden()` from next/navigation -> `unauthorized()` (401) or `notFound()` (404); no other status has one. */
function nextForbidden(analysis: FileAnalysis, call: ts.CallExpression): void {
  const name = analysis.target === 401 ? 'unauthorized' : analysis.target === 404 ? 'notFound' : undefined;
  if (!name) {
    analysis.addSite({
      node: call,
      framework: 'nextjs',
      manual: true,
      reason: `next/navigation has no helper for ${analysis.target}: return a Response with that status instead.`,
    });
    return;
  }
  const callee = call.expression;
  const rename = renameCallee(analysis, callee, name);
  if ('manual' in rename) {
    analysis.addSite({ node: call, framework: 'nextjs', manual: true, reason: rename.manual });
    return;
  }
  analysis.addSite({
    node: call,
    framework: 'nextjs',
    edits: rename.edits,
    imports: rename.imports,
    reason:
      name === 'unauthorized'
        ? 'app/forbidden.tsx may now be unused; unauthorized() needs experimental.authInterrupts and app/unauthorized.tsx.'
        : null,
  });
}
