import type { ResolvedConfig } from '../config/resolve.js';
import { MtlsFixError } from '../errors.js';
import { analyzeDocument } from '../openapi/analyze.js';
import { DocumentSet } from '../openapi/document-set.js';
import { renderCaddy } from './caddy.js';
import { renderHaproxy } from './haproxy.js';
import { renderNginx } from './nginx.js';
import { proxyRoutes, type ProxyRoute } from './routes.js';
import { PROXY_TARGETS, type ProxyTarget, type RenderInput, type Upstream } from './types.js';

export { PROXY_TARGETS, type ProxyTarget, type Upstream } from './types.js';
export type { ProxyRoute } from './routes.js';

export interface ProxyOptions {
  /** The OpenAPI document (path relative to `cwd`). */
  spec: string;
  target: ProxyTarget;
  /** `http://host:port` or `https://host:port`, no path. */
  upstream: string;
  config: ResolvedConfig;
  /** Challenge added to remapped 401 responses; default: config `migrate.wwwAuthenticate`. */
  wwwAuthenticate?: string;
  cwd?: string;
  /** The command line quoted in the header comment. */
  command?: string;
}

export interface ProxyConfig {
  target: ProxyTarget;
  /** The config text (nginx include snippet, HAProxy backend section, Caddy snippet). */
  text: string;
  status: number;
  operationCount: number;
  mtlsOperationCount: number;
  routes: ProxyRoute[];
}

const RENDERERS: Record<ProxyTarget, (input: RenderInput) => string> = {
  nginx: renderNginx,
  haproxy: renderHaproxy,
  caddy: renderCaddy,
};

/**
 * The remap config for one proxy target: 403 becomes the agreed status for exactly the document's mTLS-secured
 * operations (the model of `lint`), only for requests with a verified client certificate.
 * @throws MtlsFixError for an unreadable document, a bad upstream URL or target, or a path no proxy can match.
 */
export function generateProxyConfig(options: ProxyOptions): ProxyConfig {
  if (!(PROXY_TARGETS as readonly string[]).includes(options.target)) {
    throw new MtlsFixError(
      'EUSAGE',
      `unknown proxy target '${String(options.target)}'.`,
      `Use ${PROXY_TARGETS.join(', ')}.`,
    );
  }
  const upstream = parseUpstream(options.upstream);
  const cwd = options.cwd ?? process.cwd();
  const set = DocumentSet.load(options.spec, { cwd, allowRemoteRefs: options.config.allowRemoteRefs });
  const analysis = analyzeDocument(set, options.config.mtls);
  const routes = proxyRoutes(analysis);
  const status = options.config.status;
  const text = RENDERERS[options.target]({
    ...routes,
    upstream,
    status,
    wwwAuthenticate: options.wwwAuthenticate ?? options.config.raw.migrate?.wwwAuthenticate,
    specDisplay: set.displayPath(set.root),
    command:
      options.command ??
      `mtls-fix proxy --spec ${set.displayPath(set.root)} --target ${options.target} --upstream ${upstream.url}`,
  });
  return { target: options.target, text, status, ...routes };
}

/**
 * Parses `--upstream`.
 * @throws MtlsFixError (`EUSAGE`) unless it is an http(s) URL with a host and no path, query or credentials.
 */
export function parseUpstream(value: string): Upstream {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw upstreamError(value, 'is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw upstreamError(value, 'must be http:// or https://');
  if (url.username || url.password) throw upstreamError(value, 'must not carry credentials');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw upstreamError(value, 'must have no path, query or fragment (requests keep their own path)');
  }
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
  return { url: `${protocol}://${url.host}`, protocol, host, port };
}

function upstreamError(value: string, why: string): MtlsFixError {
  return new MtlsFixError(
    'EUSAGE',
    `--upstream '${value}' ${why}.`,
    'Use e.g. --upstream http://127.0.0.1:8080.',
  );
}
