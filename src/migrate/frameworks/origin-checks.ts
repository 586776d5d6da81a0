import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { skipOuter } from '../analysis/syntax.js';
import { SVELTE_CONFIG } from '../prefilter.js';

/**
 * Frameworks whose built-in CSRF origin check answers 403 to a request without the site's own `Origin` header, as
 * native clients (URLSession) send none:
 *
 * - SvelteKit (`kit.csrf.checkOrigin`, on unless set to `false`; svelte.dev/docs/kit/configuration#csrf, the check
 *   in @sveltejs/kit src/runtime/server/respond.js): a POST / PUT / PATCH / DELETE whose content type is a form's
 *   (`application/x-www-form-urlencoded`, `multipart/form-data`, `text/plain`: an upload from an app) gets 403
 *   "Cross-site POST form submissions are forbidden". `csrf: { trustedOrigins: ['*'] }` (SvelteKit 2.x) trusts
 *   every origin. The site is the `kit` key of svelte.config.js.
 * - Astro with `security: { checkOrigin: true }` (docs.astro.build/en/reference/configuration-reference, the
 *   middleware in astro src/core/app/middlewares.ts): on pages rendered on demand, a request other than GET / HEAD /
 *   OPTIONS with a form content type, or with none at all, whose Origin is not the site's gets 403. The site is the
 *   `checkOrigin` key. (Astro 5 may enable it by default: a config that does not set it is not named; open.)
 */
export const originChecks: Framework = {
  id: 'origin-checks',
  title: 'CSRF origin checks (SvelteKit, Astro)',
  enablers: ['@sveltejs/kit', 'astro'],
  kinds: [ts.SyntaxKind.PropertyAssignment],
  visit(node, analysis) {
    if (!ts.isPropertyAssignment(node) || analysis.options.testFile) return;
    const key = nameOf(node);
    if (key === 'kit' && isSvelteConfig(node, analysis)) svelteKit(node, analysis);
    else if (key === 'checkOrigin' && isAstroSecurity(node)) astro(node, analysis);
  },
};

function nameOf(node: ts.PropertyAssignment): string | undefined {
  return ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined;
}

/** A property of an object literal, by name. */
function property(object: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  return object.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && nameOf(p) === name,
  );
}

/** `kit: { … }` at the top of the exported config of svelte.config.js, or of a file that names SvelteKit (prefilter.ts `SVELTE_CONFIG`). */
function isSvelteConfig(node: ts.PropertyAssignment, analysis: FileAnalysis): boolean {
  if (!ts.isObjectLiteralExpression(skipOuter(node.initializer))) return false;
  const config = node.parent;
  const holder = config.parent;
  const top =
    ts.isExportAssignment(holder) ||
    (ts.isVariableDeclaration(holder) && ts.isSourceFile(holder.parent.parent.parent)) ||
    (ts.isCallExpression(holder) && ts.isExportAssignment(holder.parent));
  return (
    top && (SVELTE_CONFIG.test(analysis.text) || /(^|\/)svelte\.config\.[cm]?[jt]s$/.test(analysis.file))
  );
}

function svelteKit(node: ts.PropertyAssignment, analysis: FileAnalysis): void {
  const kit = skipOuter(node.initializer) as ts.ObjectLiteralExpression;
  const csrf = property(kit, 'csrf');
  const options = csrf && skipOuter(csrf.initializer);
  if (options && ts.isObjectLiteralExpression(options)) {
    const check = property(options, 'checkOrigin');
    if (check && skipOuter(check.initializer).kind === ts.SyntaxKind.FalseKeyword) return;
    const trusted = property(options, 'trustedOrigins');
    const list = trusted && skipOuter(trusted.initializer);
    if (
      list &&
      ts.isArrayLiteralExpression(list) &&
      list.elements.some((e) => ts.isStringLiteral(e) && e.text === '*')
    )
      return;
  }
  const n = String(analysis.target);
  analysis.addSite({
    node: csrf ?? node,
    framework: 'sveltekit',
    manual: true,
    reason: `Implicit 403: SvelteKit's CSRF check (kit.csrf.checkOrigin, on by default) answers 403 "Cross-site POST form submissions are forbidden" to a POST / PUT / PATCH / DELETE with a form body (multipart/form-data, x-www-form-urlencoded, text/plain) whose Origin header is not this site's, also to one without an Origin header, as a native client sends it. On mTLS routes set kit.csrf.checkOrigin: false and check the origin in a handle hook that answers ${n} (browsers send Origin), or list the clients' origins in kit.csrf.trustedOrigins.`,
  });
}

/** `checkOrigin: true` in `security: { … }`. */
function isAstroSecurity(node: ts.PropertyAssignment): boolean {
  if (skipOuter(node.initializer).kind !== ts.SyntaxKind.TrueKeyword) return false;
  const holder = node.parent.parent;
  return ts.isPropertyAssignment(holder) && nameOf(holder) === 'security';
}

function astro(node: ts.PropertyAssignment, analysis: FileAnalysis): void {
  const n = String(analysis.target);
  analysis.addSite({
    node,
    framework: 'astro',
    manual: true,
    reason: `Implicit 403: Astro's origin check (security.checkOrigin) answers 403 "Cross-site <METHOD> form submissions are forbidden" on pages rendered on demand to a request other than GET / HEAD / OPTIONS with a form body or no content type whose Origin header is not this site's, also to one without an Origin header, as a native client sends it. On mTLS routes turn it off and check the origin in middleware that answers ${n}.`,
  });
}
