import { MtlsFixError } from '../errors.js';
import type { DocumentAnalysis } from '../openapi/analyze.js';
import { operationName } from '../openapi/operations.js';
import { effectiveServers } from '../openapi/servers.js';
import { compareText } from '../util/compare.js';

/** One path template (server base path included) and what the proxy does on it. */
export interface ProxyRoute {
  /** Full path template as a request sees it, e.g. `/v1/accounts/{id}`. */
  template: string;
  /**
   * Anchored regular expression for the request path: literal characters are escaped as one-character classes
   * (`[.]`), so it reads the same in PCRE (nginx, HAProxy) and RE2 (Caddy) and needs no backslash; each
   * `{param}` is `[^/]+`; an optional trailing slash is accepted.
   */
  pattern: string;
  /** Upper-case methods whose 403 is remapped (mTLS-secured operations; HEAD with GET unless HEAD is its own). */
  remapMethods: string[];
  /**
   * A route with no methods to remap, kept only because it takes precedence over (is more specific than) a
   * remapping route that would also match its paths: OpenAPI matches concrete paths before templated ones.
   */
  passThrough: boolean;
  /** `GET /accounts/{id} (scheme 'clientCert')` for each remapped operation, for the header comment. */
  operations: string[];
}

export interface ProxyRoutes {
  /** Most specific first: a proxy that takes the first match must test them in this order. */
  routes: ProxyRoute[];
  operationCount: number;
  mtlsOperationCount: number;
}

/** Characters RFC 3986 allows in a path segment, plus the braces of templates. */
const PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/{}]*$/;

/**
 * The routes a proxy needs to remap 403 on exactly the mTLS-secured operations of a document: each mTLS path
 * (prefixed by every base path its effective servers give), and the more specific paths that would otherwise be
 * caught by an mTLS path's pattern.
 * @throws MtlsFixError (`EUSAGE`) for a path that holds characters a URL path cannot (they could not be matched),
 * with its file:line; AggregateError of them when there are several.
 */
export function proxyRoutes(analysis: DocumentAnalysis): ProxyRoutes {
  const byTemplate = new Map<string, { mtls: Map<string, string>; declared: Set<string> }>();
  let mtlsOperationCount = 0;
  const unusable: MtlsFixError[] = [];
  const root = analysis.set.root;
  for (const { operation, mtls } of analysis.operations) {
    if (mtls) mtlsOperationCount++;
    for (const base of basePaths(analysis, operation)) {
      const template = joinPath(base, operation.path);
      if (!PATH_CHARACTERS.test(template)) {
        // Every such path is named (one line each, at its key), not only the first.
        const at = root.rangeOf(['paths', operation.path], true)?.start;
        unusable.push(
          new MtlsFixError(
            'EUSAGE',
            `${operationName(operation)}: path '${template}' holds characters a request path cannot carry unencoded (${unencodable(template)}).`,
            'Percent-encode them in the document.',
            {
              file: analysis.set.displayPath(root),
              line: at === undefined ? undefined : at.line + 1,
              column: at === undefined ? undefined : at.character + 1,
            },
          ),
        );
        continue;
      }
      let entry = byTemplate.get(template);
      if (!entry) byTemplate.set(template, (entry = { mtls: new Map(), declared: new Set() }));
      entry.declared.add(operation.method);
      if (mtls) entry.mtls.set(operation.method, `${operationName(operation)} (${mtls.why})`);
    }
  }
  if (unusable.length === 1) throw unusable[0];
  if (unusable.length > 1) throw new AggregateError(unusable, `${unusable.length} paths cannot be matched`);
  const all = [...byTemplate.entries()]
    .map(([template, entry]) => {
      const remapMethods = [...entry.mtls.keys()];
      // A HEAD request is served by the GET handler in most frameworks, 403 included.
      if (entry.mtls.has('GET') && !entry.declared.has('HEAD')) remapMethods.push('HEAD');
      return {
        template,
        segments: template.split('/'),
        pattern: templatePattern(template),
        remapMethods: sortMethods(remapMethods),
        operations: [...entry.mtls.values()],
      };
    })
    .sort((a, b) => comparePrecedence(a.segments, b.segments) || compareText(a.template, b.template));

  const routes: ProxyRoute[] = [];
  all.forEach((route, index) => {
    const remaps = route.remapMethods.length > 0;
    const shadows = all
      .slice(index + 1)
      .some((later) => later.remapMethods.length > 0 && overlap(route.segments, later.segments));
    if (!remaps && !shadows) return;
    routes.push({
      template: route.template,
      pattern: route.pattern,
      remapMethods: route.remapMethods,
      passThrough: !remaps,
      operations: route.operations,
    });
  });
  return { routes, operationCount: analysis.operations.length, mtlsOperationCount };
}

/** Path parts of the operation's effective server URLs (`https://h/v1` -> `/v1`), Swagger 2.0's `basePath`; none: `''`. */
function basePaths(
  analysis: DocumentAnalysis,
  operation: DocumentAnalysis['operations'][number]['operation'],
): string[] {
  const servers = effectiveServers(analysis.set.root.data, analysis.version, operation);
  // Swagger 2.0 without `host` has one relative server, its `basePath` (src/openapi/servers.ts).
  const bases = new Set<string>();
  for (const server of servers) {
    const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*([^?#]*)/i.exec(server.url);
    const pathPart = match ? match[1] : (server.url.split(/[?#]/)[0] ?? '');
    bases.add(pathPart.replace(/\/+$/, ''));
  }
  return bases.size > 0 ? [...bases] : [''];
}

/** The characters of `template` a URL path cannot carry, each once, as written (`' '`, `'"'`, `'ü'`). */
function unencodable(template: string): string {
  const bad = [...new Set([...template].filter((char) => !PATH_CHARACTERS.test(char)))];
  return bad.map((char) => JSON.stringify(char)).join(', ');
}

function joinPath(base: string, path: string): string {
  const full = `${base}/${path.replace(/^\/+/, '')}`;
  return full.startsWith('/') ? full : `/${full}`;
}

function templatePattern(template: string): string {
  const trimmed = template.length > 1 ? template.replace(/\/$/, '') : template;
  const body = trimmed
    .split(/(\{[^{}]*\})/)
    .map((part) =>
      /^\{.*\}$/.test(part) ? '[^/]+' : part.replace(/[.$()*+]/g, (character) => `[${character}]`),
    )
    .join('');
  return trimmed === '/' ? '^/$' : `^${body}/?$`;
}

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'QUERY'];
function sortMethods(methods: string[]): string[] {
  const rank = (method: string): number => {
    const index = METHOD_ORDER.indexOf(method);
    return index === -1 ? METHOD_ORDER.length : index;
  };
  return [...new Set(methods)].sort((a, b) => rank(a) - rank(b) || compareText(a, b));
}

const isTemplated = (segment: string): boolean => segment.includes('{');

/** Concrete before templated, segment by segment (OpenAPI: "concrete paths are matched before templated"). */
function comparePrecedence(a: string[], b: string[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const rank = Number(isTemplated(a[index])) - Number(isTemplated(b[index]));
    if (rank !== 0) return rank;
  }
  return a.length - b.length;
}

/** Whether one request path could match both templates (conservative for two templated segments). */
function overlap(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((segment, index) => {
    const other = b[index];
    if (!isTemplated(segment) && !isTemplated(other)) return segment === other;
    if (isTemplated(segment) && isTemplated(other)) return true;
    const [templated, literal] = isTemplated(segment) ? [segment, other] : [other, segment];
    return new RegExp(`^${templatePattern(templated).slice(1, -3)}$`).test(literal);
  });
}
