import ts from '../../typescript.cjs';
import { parseSource } from '../../migrate/parse.js';
import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode, DetectSkip } from '../types.js';
import { unresolvedSetting } from '../unresolved.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * Server code, parsed with the TypeScript parser (no type checker):
 * - Node `https.createServer` / `tls.createServer` / `http2.createSecureServer` options with
 *   `requestCert: true` (required unless `rejectUnauthorized: false`), whatever app (Express, Koa, ...) they
 *   serve; Fastify `fastify({ https: { requestCert } })`; Nest `NestFactory.create(M, { httpsOptions })`;
 *   `new https.Server(options)` / `new tls.Server(options)`; `@hono/node-server` `serverOptions`; an options object
 *   in a variable counts when it is passed to one of those in the same file.
 * - Bun: `tls: { requestCert }` of `Bun.serve({ tls })`, of Elysia's `.listen({ tls })`, of a server object with a
 *   `fetch` handler (`export default { fetch: app.fetch, tls }`, Hono on Bun); uWebSockets.js `SSLApp({
 *   ca_file_name })` (optional).
 * - Any other `requestCert` that is not false is named in `skipped` with its line (not tied to a server start).
 * - AWS CDK: `mtls: { bucket, key }` on an API Gateway domain name (host: the sibling `domainName`); Pulumi,
 *   CDKTF and the CDK L1 `CfnDomainName`: `mutualTlsAuthentication: { truststoreUri }` beside a `domainName`; and
 *   `mutualAuthentication: { mutualAuthenticationMode: VERIFY | PASS_THROUGH }` on an ALB listener.
 */
export function readServerCode(file: ScanFile, skipped: DetectSkip[] = []): DetectFinding[] {
  const source = parseSource(file.path, file.text);
  const findings: DetectFinding[] = [];
  const lineOf = (node: ts.Node): number => lineAndCharacterAt(source, node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    // `requestCert` in an object literal: its value as written (`requestCert` for the shorthand), or undefined.
    const cert = requestCertValue(node);
    // In a server start, `requestCert: mtls` / `{ requestCert }`: a value known only at run time; false turns
    // mTLS off, so the setting is named, not read as mTLS nor as nothing (true is read by the server readers).
    // Elsewhere (`new tls.TLSSocket(s, { isServer, requestCert })`, options built in one place and passed on),
    // anything but false is named with its line, never passed over (session 31; breaker31 #03).
    if (cert !== undefined && cert !== 'false' && node.parent !== undefined) {
      const written = cert.replace(/\s+/g, ' ');
      const options = node.parent as ts.ObjectLiteralExpression;
      if (serverContext(options, source)) {
        if (cert !== 'true')
          skipped.push(unresolvedSetting(file, lineOf(node), 'requestCert', written, 'false'));
      } else if (!isClientOptions(options, source))
        skipped.push({
          file: file.relative,
          line: lineOf(node),
          reason:
            `asks for a client certificate at line ${lineOf(node)} (\`requestCert: ${written}\`) in options ` +
            'detect does not tie to a server start it reads; nothing of it is in the proposal: set mtls.servers or ' +
            'mtls.everywhere by hand if that server terminates mTLS',
        });
    }
    // uWebSockets.js `SSLApp({ ca_file_name })`: uSockets loads the CA file as the client CA list and sets
    // SSL_VERIFY_PEER without SSL_VERIFY_FAIL_IF_NO_PEER_CERT (uSockets src/crypto/openssl.c,
    // create_ssl_context_from_options): a certificate is asked for and verified when sent, not required.
    if (
      ts.isCallExpression(node) &&
      /(^|\.)SSLApp$/.test(node.expression.getText(source)) &&
      node.arguments.length > 0 &&
      ts.isObjectLiteralExpression(node.arguments[0])
    ) {
      const ca = property(node.arguments[0], 'ca_file_name');
      if (ca && !(ts.isStringLiteralLike(ca) && ca.text === '')) {
        findings.push(
          file.finding(lineOf(ca), 'node', 'optional', 'typescript', {
            note: `uWebSockets.js ${node.expression.getText(source)}() with ca_file_name (the certificate is asked for and verified when sent, not required)`,
          }),
        );
      }
    }
    if (ts.isPropertyAssignment(node) && ts.isObjectLiteralExpression(node.parent)) {
      const name = propertyName(node.name);
      if (name === 'requestCert' && node.initializer.kind === ts.SyntaxKind.TrueKeyword) {
        const context = serverContext(node.parent, source);
        if (context) {
          const rejecting = property(node.parent, 'rejectUnauthorized');
          const mode: DetectMode = rejecting?.kind === ts.SyntaxKind.FalseKeyword ? 'optional' : 'required';
          findings.push(
            file.finding(lineOf(node), 'node', mode, 'typescript', {
              note: `${context}${mode === 'optional' ? ' (rejectUnauthorized: false: the certificate is asked for, not required)' : ''}`,
            }),
          );
        }
      }
      // `mtls: props.mtls` / `mtls: config` beside a `domainName`: a truststore known only at synth time; undefined
      // turns it off, so it is named (session 29; before, passed over).
      if (
        name === 'mtls' &&
        !ts.isObjectLiteralExpression(node.initializer) &&
        node.initializer.kind !== ts.SyntaxKind.UndefinedKeyword &&
        node.initializer.getText(source) !== 'undefined' &&
        !ts.isLiteralExpression(node.initializer) &&
        node.initializer.kind !== ts.SyntaxKind.TrueKeyword &&
        node.initializer.kind !== ts.SyntaxKind.FalseKeyword &&
        property(node.parent, 'domainName')
      ) {
        skipped.push(
          unresolvedSetting(
            file,
            lineOf(node),
            'API Gateway domain mtls',
            node.initializer.getText(source).replace(/\s+/g, ' '),
            'undefined',
          ),
        );
      }
      if (
        name === 'mtls' &&
        ts.isObjectLiteralExpression(node.initializer) &&
        property(node.initializer, 'bucket')
      ) {
        const domain = property(node.parent, 'domainName');
        const host = domain ? literalText(domain) : undefined;
        findings.push(
          file.finding(lineOf(node), 'aws', 'required', 'typescript', {
            hosts: host ? [host] : [],
            note: 'AWS CDK API Gateway domain name with a truststore',
          }),
        );
      }
      // Pulumi (`new aws.apigateway.DomainName(name, { domainName, mutualTlsAuthentication: { truststoreUri } })`,
      // `aws.apigatewayv2.DomainName`), CDKTF (`ApiGatewayDomainName`, `Apigatewayv2DomainName`) and the CDK L1
      // `CfnDomainName`: the same truststore, written as CloudFormation and Terraform name it (session 36; before,
      // named under "Not read" only, and its 403s were not read).
      if (
        name === 'mutualTlsAuthentication' &&
        ts.isObjectLiteralExpression(node.initializer) &&
        property(node.initializer, 'truststoreUri')
      ) {
        const domain = property(node.parent, 'domainName');
        const host = domain ? literalText(domain) : undefined;
        const created = node.parent.parent;
        const constructor =
          ts.isNewExpression(created) || ts.isCallExpression(created)
            ? created.expression.getText(source).replace(/\s+/g, '')
            : '';
        const http = /apigatewayv2|ApiGatewayV2/i.test(constructor);
        const tool = /@pulumi\//.test(file.text)
          ? 'Pulumi'
          : /@cdktf\//.test(file.text)
            ? 'CDKTF'
            : 'AWS CDK';
        findings.push(
          file.finding(lineOf(node), 'aws', 'required', 'typescript', {
            hosts: host ? [host] : [],
            note: `${tool} API Gateway domain name with a truststore (${http ? 'HTTP API' : 'REST API'}${constructor ? `, ${constructor}` : ''})`,
          }),
        );
      }
      if (name === 'mutualAuthentication' && ts.isObjectLiteralExpression(node.initializer)) {
        const modeNode =
          property(node.initializer, 'mutualAuthenticationMode') ?? property(node.initializer, 'mode');
        const text = modeNode?.getText(source) ?? '';
        const mode: DetectMode | undefined = /VERIFY|'verify'/.test(text)
          ? 'required'
          : /PASS_THROUGH|passthrough/i.test(text)
            ? 'optional'
            : undefined;
        if (mode) {
          findings.push(
            file.finding(lineOf(node), 'aws', mode, 'typescript', {
              note: 'AWS CDK ALB listener: the hosts are those routed to it, not written here',
            }),
          );
        } else if (modeNode && !/\bOFF\b|['"]off['"]/i.test(text)) {
          skipped.push(
            unresolvedSetting(
              file,
              lineOf(node),
              'ALB mutualAuthenticationMode',
              text.replace(/\s+/g, ' '),
              'OFF',
            ),
          );
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/**
 * The value of property `name` of an object literal: `name: value`, or the identifier of the shorthand `{ name }`
 * (CDK's own examples write `mtls: { bucket, key }`; before session 29 the shorthand read as no property, and
 * such a domain as no mTLS).
 */
function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const element of object.properties) {
    if (ts.isPropertyAssignment(element) && propertyName(element.name) === name) return element.initializer;
    if (ts.isShorthandPropertyAssignment(element) && element.name.text === name) return element.name;
  }
  return undefined;
}

function literalText(node: ts.Expression): string | undefined {
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return (
      node.head.text +
      node.templateSpans.map((span) => `\${${span.expression.getText()}}${span.literal.text}`).join('')
    );
  }
  return undefined;
}

const SERVER_FACTORIES = /(^|\.)(createServer|createSecureServer)$/;
/** Client calls: `requestCert` means nothing in their options (`new https.Agent`, `https.request`, `tls.connect`). */
const CLIENT_CALLS = /(^|\.)(Agent|request|get|connect|fetch)$/;

/**
 * Whether `object` is the options of a client call ({@link CLIENT_CALLS}) or holds a request option
 * ({@link CLIENT_KEYS}: `{ hostname, auth, requestCert: true, agent: false }` built for `https.request` later),
 * where `requestCert` asks nothing.
 */
function isClientOptions(object: ts.ObjectLiteralExpression, source: ts.SourceFile): boolean {
  const parent = object.parent;
  if (CLIENT_KEYS.some((key) => property(object, key))) return true;
  return (
    (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
    CLIENT_CALLS.test(parent.expression.getText(source))
  );
}

/** Request options no TLS server takes (Node `https.request` / `tls.connect`): their object is a client's. */
const CLIENT_KEYS = ['hostname', 'host', 'agent', 'auth', 'method', 'path', 'servername'];
/** Node server classes whose constructor takes TLS options: `new https.Server(options)`, `new tls.Server(...)`. */
const SERVER_CLASSES = /(^|\.)(?:https|tls)\.Server$/;

/**
 * What serves `server`, an object literal with a `tls` property, on Bun (Bun docs, "Server: TLS": `tls` takes
 * `key`, `cert`, `ca`, `requestCert`, `rejectUnauthorized`): the argument of `Bun.serve(...)` (or `serve` imported
 * from `bun`); the argument of `.listen(...)` (Elysia `app.listen({ tls })`); an object with a `fetch` handler (the
 * default-export server Bun starts: `export default { fetch: app.fetch, tls }`, Hono on Bun). Undefined otherwise.
 */
function bunServer(server: ts.ObjectLiteralExpression, source: ts.SourceFile): string | undefined {
  const parent = server.parent;
  if (ts.isCallExpression(parent) && parent.arguments.includes(server)) {
    const callee = parent.expression.getText(source);
    if (/^Bun\.serve$/.test(callee) || (callee === 'serve' && /from\s+['"]bun['"]/.test(source.text)))
      return `${callee}() tls`;
    if (/\.listen$/.test(callee)) return '.listen({ tls }) (Elysia on Bun)';
  }
  if (property(server, 'fetch'))
    return ts.isExportAssignment(parent)
      ? 'Bun default-export server { fetch, tls }'
      : 'Bun server object { fetch, tls }';
  return undefined;
}

/** What serves the options object, or undefined when it is not server options (a client's, a test's mock). */
function serverContext(object: ts.ObjectLiteralExpression, source: ts.SourceFile): string | undefined {
  const parent = object.parent;
  if (ts.isPropertyAssignment(parent)) {
    const key = propertyName(parent.name);
    if (key === 'https') return 'Fastify https option';
    if (key === 'httpsOptions') return 'Nest httpsOptions';
    if (key === 'serverOptions') return '@hono/node-server serverOptions';
    if (key === 'tls' && ts.isObjectLiteralExpression(parent.parent)) return bunServer(parent.parent, source);
    return undefined;
  }
  if (ts.isCallExpression(parent) && SERVER_FACTORIES.test(parent.expression.getText(source))) {
    return `${parent.expression.getText(source)}()`;
  }
  if (ts.isNewExpression(parent) && SERVER_CLASSES.test(parent.expression.getText(source))) {
    return `new ${parent.expression.getText(source)}()`;
  }
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    const name = parent.name.text;
    let use: string | undefined;
    const find = (node: ts.Node): void => {
      if (use) return;
      if (
        ts.isCallExpression(node) &&
        SERVER_FACTORIES.test(node.expression.getText(source)) &&
        node.arguments.some((argument) => ts.isIdentifier(argument) && argument.text === name)
      ) {
        use = `${node.expression.getText(source)}(${name})`;
      } else if (
        ts.isPropertyAssignment(node) &&
        ts.isIdentifier(node.initializer) &&
        node.initializer.text === name
      ) {
        const key = propertyName(node.name);
        if (key === 'https') use = `Fastify https: ${name}`;
        if (key === 'httpsOptions') use = `Nest httpsOptions: ${name}`;
        if (key === 'serverOptions') use = `@hono/node-server serverOptions: ${name}`;
        if (key === 'tls' && ts.isObjectLiteralExpression(node.parent)) use = bunServer(node.parent, source);
      } else if (
        ts.isShorthandPropertyAssignment(node) &&
        node.name.text === name &&
        (name === 'httpsOptions' || name === 'https')
      ) {
        use = name === 'https' ? 'Fastify https option' : 'Nest httpsOptions';
      } else if (ts.isShorthandPropertyAssignment(node) && node.name.text === name && name === 'tls') {
        use = ts.isObjectLiteralExpression(node.parent) ? bunServer(node.parent, source) : undefined;
      }
      ts.forEachChild(node, find);
    };
    find(source);
    // An options object used from another file (`export const httpsOptions = { requestCert: true }`).
    return (
      use ??
      (/https|tls|ssl|server/i.test(name)
        ? `options object '${name}' (its use is not in this file)`
        : undefined)
    );
  }
  return undefined;
}

/**
 * The value of a `requestCert` property of an object literal as written (`true`, `false`, `mtls`; `requestCert`
 * for the shorthand `{ requestCert }`), or undefined for any other node.
 */
function requestCertValue(node: ts.Node): string | undefined {
  if (node.parent === undefined || !ts.isObjectLiteralExpression(node.parent)) return undefined;
  if (ts.isShorthandPropertyAssignment(node))
    return node.name.text === 'requestCert' ? 'requestCert' : undefined;
  if (!ts.isPropertyAssignment(node) || propertyName(node.name) !== 'requestCert') return undefined;
  const kind = node.initializer.kind;
  if (kind === ts.SyntaxKind.TrueKeyword) return 'true';
  if (kind === ts.SyntaxKind.FalseKeyword) return 'false';
  return node.initializer.getText(node.getSourceFile());
}
