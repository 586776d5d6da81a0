/**
 * Hosts that serve npm or JSR packages at `https://<host>/[prefix/]name[@version][/path]`, the URL imports of
 * Deno and browser-less edge code: deno.land/x (`/x/oak@v12/mod.ts`), jsr.io (`/@oak/oak/17.1.0/mod.ts`), esm.sh
 * (`/hono@4`, `/v135/hono`, `/stable/x`, `/jsr/@hono/hono`), Skypack, unpkg, jsDelivr (`/npm/x@1`), JSPM
 * (`/npm:x@1`), esm.run. Another host's path names no package.
 */
const PACKAGE_HOSTS = new Set([
  'deno.land',
  'jsr.io',
  'esm.sh',
  'cdn.esm.sh',
  'cdn.skypack.dev',
  'unpkg.com',
  'cdn.jsdelivr.net',
  'jspm.dev',
  'ga.jspm.io',
  'esm.run',
]);

/** Path segments of those hosts that come before the package name. */
const HOST_PREFIX = /^(?:x|npm|jsr|gh|stable|pin|v\d+)$/;

/**
 * The package a module specifier names, as a package.json would: `npm:hono@4/jsx` -> `hono/jsx`,
 * `jsr:@hono/hono@^4` -> `@hono/hono`, `https://deno.land/x/oak@v12.6.1/mod.ts` -> `oak/mod.ts`,
 * `https://esm.sh/v135/hono@4.0.0?target=deno` -> `hono`, `node:http` -> `http`. Any other specifier (a bare
 * package, a relative path, a URL of another host) is returned as written.
 */
export function specifierPackage(specifier: string): string {
  let rest: string;
  const scheme = /^(?:npm|jsr):\/?(.*)$/.exec(specifier);
  if (scheme) rest = scheme[1];
  else if (specifier.startsWith('node:')) return specifier.slice(5);
  else {
    const url = /^https?:\/\/([^/?#]+)\/([^?#]*)/.exec(specifier);
    if (!url || !PACKAGE_HOSTS.has(url[1].toLowerCase())) return specifier;
    const segments = url[2].split('/');
    while (segments.length > 1 && HOST_PREFIX.test(segments[0])) segments.shift();
    rest = segments.join('/').replace(/^npm:/, '');
  }
  // `@scope/name@version/path` or `name@version/path`: the version goes.
  const parts = /^(@[^/@]+\/)?([^/@]+)(?:@[^/]*)?(\/.*)?$/.exec(rest);
  return parts ? `${parts[1] ?? ''}${parts[2]}${parts[3] ?? ''}` : rest;
}
