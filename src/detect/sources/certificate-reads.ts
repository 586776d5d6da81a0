import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { CERTIFICATE_HEADER, CERTIFICATE_READS, XFCC_ONLY_READS } from './certificate-signal.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/** Calls that set or send a header rather than read one (a client, or a proxy written in Node adding it). */
const SETTERS = /^(?:set|append|setHeader|add|appendHeader|writeHead)$/;

/** The names along a property chain (`ctx.req.socket` -> ctx, req, socket). */
function chainNames(node: ts.Expression): string[] {
  const names: string[] = [];
  let at: ts.Expression = node;
  for (;;) {
    if (ts.isPropertyAccessExpression(at)) {
      names.unshift(at.name.text);
      at = at.expression;
    } else if (ts.isNonNullExpression(at) || ts.isParenthesizedExpression(at)) at = at.expression;
    else break;
  }
  if (ts.isIdentifier(at)) names.unshift(at.text);
  return names;
}

/**
 * A request's TLS socket: `req.socket`, `req.connection`, `req.client` (Node / Express), `request.raw.socket`
 * (Fastify), `ctx.req.socket` / `ctx.socket` (Koa): a chain from a request object (`req`, `request`, `ctx`,
 * `context`, `c`, or a `.req` / `.raw` / `.request` member) ending in `socket`, `connection` or `client`. A
 * client's reply (`res.socket`, `tlsSocket`) is not one.
 */
function isRequestSocket(node: ts.Expression): boolean {
  const names = chainNames(node);
  const last = names.at(-1);
  if (!last || !/^(?:socket|connection|client)$/.test(last) || names.length < 2) return false;
  const before = names.slice(0, -1);
  return (
    /^(?:req|request|ctx|context|c|incoming|incomingMessage)$/.test(before[0] ?? '') ||
    before.slice(1).some((name) => /^(?:req|raw|request)$/.test(name))
  );
}

/** Cloudflare's forwarded certificate (`cf-client-cert-*`) is read like `request.cf.tlsClientAuth`. */
function headerKind(header: string): 'cloudflare' | 'header' {
  return /^cf-client-cert-/i.test(header) ? 'cloudflare' : 'header';
}

/** One place code reads a client certificate. */
interface CertificateRead {
  line: number;
  /** What it reads, for the note: `request.cf.tlsClientAuth`, the header name, `getPeerCertificate()`. */
  what: string;
  kind: 'cloudflare' | 'header' | 'socket' | 'lambda';
}

/**
 * Where JavaScript / TypeScript application code reads a client certificate or the verdict on one:
 * - Cloudflare Workers `request.cf.tlsClientAuth` (`certPresented`, `certVerified`, `certFingerprintSHA256`, ...;
 *   also destructured from `request.cf`): the edge asked for the certificate (API Shield / Access mTLS);
 * - a header a proxy or edge forwards the certificate in ({@link CERTIFICATE_HEADER}), read as a call argument
 *   (`req.get(h)`, `req.header(h)`, `request.headers.get(h)`, `ctx.get(h)`, `c.req.header(h)`, Nest `@Headers(h)`)
 *   or an element access (`req.headers[h]`), written there or in a `const` used there; setting one
 *   (`headers.set(h, …)`) is not a read;
 * - Node's TLS socket of a request: `req.socket.getPeerCertificate()`, `req.client.authorized`,
 *   `request.raw.socket.authorized` (Fastify), `ctx.req.socket.getPeerCertificate()` (Koa);
 * - API Gateway's mTLS client certificate in a Lambda event: `event.requestContext.identity.clientCert` (REST
 *   API), `event.requestContext.authentication.clientCert` (HTTP API).
 * Comments never count (the file is parsed); the caller leaves test code out.
 */
export function certificateReads(source: ts.SourceFile): CertificateRead[] {
  const reads: CertificateRead[] = [];
  const lineOf = (node: ts.Node): number => lineAndCharacterAt(source, node.getStart(source)).line + 1;
  // `const HEADER = 'x-forwarded-client-cert'`: the constants that hold a certificate header's name.
  const headerConstants = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isStringLiteralLike(node.initializer) &&
      CERTIFICATE_HEADER.test(node.initializer.text)
    )
      headerConstants.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(source);
  const headerName = (node: ts.Expression | undefined): string | undefined => {
    if (!node) return undefined;
    if (ts.isStringLiteralLike(node)) return CERTIFICATE_HEADER.test(node.text) ? node.text : undefined;
    return ts.isIdentifier(node) && headerConstants.has(node.text) ? node.text : undefined;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) {
      const name = node.name.text;
      const object = chainNames(node.expression);
      if (name === 'tlsClientAuth' && object.at(-1) === 'cf')
        reads.push({ line: lineOf(node), what: `${object.join('.')}.tlsClientAuth`, kind: 'cloudflare' });
      else if (name === 'authorized' && isRequestSocket(node.expression))
        reads.push({ line: lineOf(node), what: `${object.join('.')}.authorized`, kind: 'socket' });
      else if (
        name === 'clientCert' &&
        /^(?:identity|authentication)$/.test(object.at(-1) ?? '') &&
        object.includes('requestContext')
      )
        reads.push({ line: lineOf(node), what: `${object.join('.')}.clientCert`, kind: 'lambda' });
    }
    // `const { tlsClientAuth } = request.cf`.
    if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer &&
      chainNames(node.initializer).at(-1) === 'cf' &&
      node.name.elements.some(
        (element) => (element.propertyName ?? element.name).getText(source) === 'tlsClientAuth',
      )
    )
      reads.push({
        line: lineOf(node),
        what: `${chainNames(node.initializer).join('.')}.tlsClientAuth`,
        kind: 'cloudflare',
      });
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const method = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : '';
      if (
        method === 'getPeerCertificate' &&
        ts.isPropertyAccessExpression(callee) &&
        isRequestSocket(callee.expression)
      )
        reads.push({ line: lineOf(node), what: `${chainNames(callee).join('.')}()`, kind: 'socket' });
      else if (!SETTERS.test(method)) {
        const header = node.arguments.map(headerName).find((name) => name !== undefined);
        if (header) reads.push({ line: lineOf(node), what: header, kind: headerKind(header) });
      }
    }
    if (ts.isElementAccessExpression(node)) {
      const header = headerName(node.argumentExpression);
      // Not the target of an assignment (`headers['x-forwarded-client-cert'] = …` sets it).
      const assigned =
        ts.isBinaryExpression(node.parent) &&
        node.parent.left === node &&
        node.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
      if (header && !assigned) reads.push({ line: lineOf(node), what: header, kind: headerKind(header) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return reads;
}

/**
 * The findings of application code that reads a client certificate ({@link certificateReads}), one per kind of
 * read at its first line: the certificate was asked for in front of the app or by its own TLS socket, so every
 * request that reaches it may come on a connection where the client presented one.
 * - Cloudflare Worker: source `cloudflare`, hosts from the routes of the Wrangler configuration beside it
 *   ({@link wranglerRoutes}); none written: every host it serves.
 * - a forwarded header, a request socket, a Lambda event: source `node`, `probably`, every host it serves (the
 *   proxy, load balancer or API Gateway domain that asks is not in the file).
 * The app's own 403s are application code (`mtls-fix migrate`); the caller lists these findings as not checked.
 * `root`: the folder scanned (absolute), where the search for a Wrangler configuration stops.
 */
export function readCertificateReads(file: ScanFile, source: ts.SourceFile, root: string): DetectFinding[] {
  const reads = certificateReads(source);
  const findings: DetectFinding[] = [];
  const first = (kind: CertificateRead['kind']): CertificateRead | undefined =>
    reads.find((read) => read.kind === kind);
  const worker = first('cloudflare');
  if (worker) {
    const wrangler = wranglerRoutes(file.path, root);
    findings.push(
      file.finding(worker.line, 'cloudflare', 'optional', 'typescript', {
        hosts: wrangler?.hosts ?? [],
        note:
          `a Worker that reads the client certificate Cloudflare's edge asked for (${worker.what}): Cloudflare mTLS ` +
          `(API Shield / Access) asks the hosts it is routed on for one; ` +
          (wrangler
            ? wrangler.hosts.length
              ? `hosts from the routes of ${wrangler.file}`
              : `${wrangler.file} writes no routes (every host it serves)`
            : 'no wrangler.toml / wrangler.json(c) beside it (every host it serves)') +
          `; its own 403s are application code: run mtls-fix migrate`,
      }),
    );
  }
  const notes: string[] = [];
  const header = reads.filter((read) => read.kind === 'header');
  if (header.length)
    notes.push(
      `reads the client certificate a proxy in front forwards (${[...new Set(header.map((read) => read.what))].join(', ')}): ` +
        `the proxy, load balancer or edge that asks for it is configured outside the files scanned`,
    );
  const socket = first('socket');
  if (socket) notes.push(`reads the client certificate of the request's TLS socket (${socket.what})`);
  const lambda = first('lambda');
  if (lambda)
    notes.push(
      `reads the client certificate API Gateway passes a Lambda function (${lambda.what}): its custom domain has a truststore`,
    );
  const others = reads.filter((read) => read.kind !== 'cloudflare');
  if (others.length) {
    const finding = file.finding(
      Math.min(...others.map((read) => read.line)),
      'node',
      'optional',
      'typescript',
      {
        confidence: 'probably',
        note:
          `${notes.join('; ')}; every host it serves is taken (set mtls.servers by hand when you know them)` +
          (header.some((read) => /x-forwarded-client-cert/i.test(read.what))
            ? '; an Istio sidecar sets x-forwarded-client-cert for workload-to-workload mTLS too (detect leaves code reading only it out where this repository deploys into an Istio mesh with no gateway asking clients for a certificate): when that mesh is configured elsewhere, leave the file out with detect.exclude'
            : '') +
          '; its own 403s are application code: run mtls-fix migrate',
      },
    );
    findings.push(finding);
    if (others.every((read) => read.kind === 'header' && /x-forwarded-client-cert/i.test(read.what)))
      XFCC_ONLY_READS.add(finding);
  }
  for (const finding of findings) CERTIFICATE_READS.add(finding);
  return findings;
}

/** The Wrangler configuration of a Worker and the hosts its routes name. */
interface WranglerRoutes {
  /** The configuration file, relative to the scanned folder. */
  file: string;
  hosts: string[];
}

const WRANGLER_FILES = ['wrangler.toml', 'wrangler.jsonc', 'wrangler.json'];

/**
 * The hosts of the Wrangler configuration nearest above a Worker's file (its folder, then each parent up to
 * `root`): every `route` / `routes` pattern, `pattern` of a route object, in the top level and every `[env.*]`
 * (TOML by a line scan, JSON / JSONC the same way: no TOML parser is a dependency). A pattern's host is the part
 * before its first `/`; `*example.com` (Cloudflare: the zone and its subdomains) gives `example.com` and
 * `*.example.com`. Undefined when no configuration is found.
 */
export function wranglerRoutes(workerPath: string, root: string): WranglerRoutes | undefined {
  const top = path.resolve(root);
  for (let folder = path.dirname(workerPath); ; folder = path.dirname(folder)) {
    for (const name of WRANGLER_FILES) {
      const candidate = path.join(folder, name);
      if (!existsSync(candidate)) continue;
      let text: string;
      try {
        text = readFileSync(candidate, 'utf8');
      } catch {
        continue;
      }
      return {
        file: path.relative(top, candidate).split(path.sep).join('/') || name,
        hosts: routeHosts(text),
      };
    }
    if (folder === top || path.dirname(folder) === folder || !folder.startsWith(top)) return undefined;
  }
}

/** The hosts of every route pattern written in a Wrangler configuration's text. */
export function routeHosts(text: string): string[] {
  const patterns: string[] = [];
  // Comments out: `# ...` (TOML), `// ...` (JSONC) at the start of a line.
  const lines = text
    .split('\n')
    .filter((line) => !/^\s*(?:#|\/\/)/.test(line))
    .join('\n');
  // `route = "a/*"`, `"route": "a/*"`, `pattern = "a/*"`, `"pattern": "a/*"`.
  for (const match of lines.matchAll(/["']?\b(?:route|pattern)["']?\s*[=:]\s*["']([^"'\n]+)["']/g))
    patterns.push(match[1]);
  // `routes = ["a/*", "b/*"]`, `"routes": ["a/*"]`: the plain strings of the list (objects give `pattern` above).
  for (const match of lines.matchAll(/["']?\broutes["']?\s*[=:]\s*\[([\s\S]*?)\](?=\s*(?:\n|,|\}|$))/g)) {
    // A list item stands between `[` / `,` and `,` / `]`; a key or value of a route object (`{ pattern = "a",
    // zone_name = "b" }`) has `=` or `:` beside it, and its pattern is taken above.
    const body = match[1];
    for (const quoted of body.matchAll(/["']([^"'\n]+)["']/g)) {
      const before = body.slice(0, quoted.index).trimEnd().at(-1);
      const after = body.slice(quoted.index + quoted[0].length).trimStart()[0];
      if ((before === undefined || before === ',') && after !== ':' && after !== '=')
        patterns.push(quoted[1]);
    }
  }
  const hosts: string[] = [];
  for (const pattern of patterns) {
    const host = pattern
      .replace(/^https?:\/\//, '')
      .split('/')[0]
      .trim();
    if (!host || !/[a-z0-9]/i.test(host)) continue;
    if (host.startsWith('*') && !host.startsWith('*.')) hosts.push(host.slice(1), `*.${host.slice(1)}`);
    else hosts.push(host);
  }
  return [...new Set(hosts)];
}
