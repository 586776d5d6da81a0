import path from 'node:path';
import type { DocumentSet, Located } from './document-set.js';
import type { Operation } from './operations.js';
import { isObject, type JsonPath } from './pointer.js';
import { lookupScheme, schemesContainer } from './security.js';
import { effectiveServers } from './servers.js';
import type { SourceFile } from './source.js';
import { hasMutualTlsType, type SpecVersion } from './version.js';

/** Words that say a document's endpoints are (or may be) served over mTLS, with the regime they belong to. */
const MENTIONS: { term: string; pattern: RegExp }[] = [
  { term: 'FAPI', pattern: /\bFAPI\b/ },
  { term: 'x-fapi-* header', pattern: /\bx-fapi-[a-z-]+/i },
  { term: 'eIDAS', pattern: /\beIDAS\b/i },
  { term: 'QWAC', pattern: /\bQWACs?\b/ },
  { term: 'tls_client_auth', pattern: /\b(?:self_signed_)?tls_client_auth\b/ },
  { term: 'certificate-bound tokens', pattern: /certificate[-_ ]bound|x5t#S256/i },
  {
    term: 'mutual TLS',
    // Not mtls-fix's own words: the `x-mtls` / `x-mtls-fix-ignore` markers and the tool's name.
    pattern: /\bmutual[- ]?(?:TLS|SSL)\b|(?<!\bx-)\bma?TLS\b(?!-fix\b)|\b(?:two|2)[- ]way[- ](?:TLS|SSL)\b/i,
  },
  {
    term: 'client certificate',
    // Also the headers a terminator passes the certificate in (RFC 9440 Client-Cert, Envoy XFCC, Azure, ALB).
    pattern:
      /\bclient[- ]certificates?\b|\b(?:X-)?(?:SSL-|ARR-|Amzn-Mtls-|Forwarded-)Client-?Cert\b|\bClient-Cert(?:-Chain)?\b/i,
  },
];

/** One mTLS word in a document's text. */
export interface MtlsMention {
  term: string;
  /** 1-based line of its first occurrence, in the root file or in {@link file}. */
  line: number;
  /** The matched text as written. */
  text: string;
  /**
   * The file it is in when that is not the root file: a file the document is made of (a path item, an operation,
   * a security scheme or a response `$ref`'d from another file), `/`-separated, relative to the root file's folder.
   */
  file?: string;
}

/**
 * The first occurrence of each mTLS word in the document's text (FAPI, x-fapi-* headers, eIDAS, QWAC,
 * tls_client_auth, certificate-bound tokens, mutual TLS / mTLS, client certificate): the root file's, in line
 * order, then the words it lacks from the other files read so far (by `$ref`: path items, operations, the
 * security schemes and responses the analysis followed), file by file in the order they were read. Before
 * session 41 only the root file was read, so a document split into files whose path item says "only over mTLS"
 * read "nothing in it declares mTLS".
 */
export function findMtlsMentions(set: DocumentSet): MtlsMention[] {
  const found: MtlsMention[] = [];
  const seen = new Set<string>();
  const folder = path.dirname(set.root.path);
  for (const file of set.loadedFiles()) {
    const inFile: MtlsMention[] = [];
    const text = file.text;
    for (const { term, pattern } of MENTIONS) {
      if (seen.has(term)) continue;
      const match = pattern.exec(text);
      if (!match) continue;
      const where =
        file === set.root ? {} : { file: path.relative(folder, file.path).split(path.sep).join('/') };
      inFile.push({ term, line: lineAt(text, match.index), text: match[0], ...where });
    }
    for (const mention of inFile) seen.add(mention.term);
    found.push(...inFile.sort((a, b) => a.line - b.line));
  }
  return found;
}

/** ` at line 12` in the root file, ` at paths/a.yaml:12` in another one. */
export function mentionPlace(mention: MtlsMention): string {
  return mention.file ? ` at ${mention.file}:${mention.line}` : ` at line ${mention.line}`;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1))
    line++;
  return line;
}

/** A security scheme whose `type` means mTLS but is not written `mutualTLS`, so nothing reads it as mTLS. */
export interface SchemeTypeTypo {
  name: string;
  type: string;
  /** Set when the scheme is `type: http` with an mTLS-like `scheme` value (`scheme: mtls`). */
  httpScheme?: string;
  /** The file the scheme is written in (the root, or the file its `$ref` leads to). */
  file: SourceFile;
  /** Where the `type` key (or, for `http`, the `scheme` key) is in that file. */
  path: JsonPath;
}

/**
 * Scheme types that read as a client certificate but are not `mutualTLS`: its other spellings (`mutualTls`, `mtls`,
 * `mutual_tls`, `x-mutualTLS`, `'mutualTLS '`, any `mutual...`), and since session 37 the names other formats and
 * authors give it: AsyncAPI's `X509` (its Security Scheme Object's client-certificate type), `cert`,
 * `certificate`, `clientCert(ificate)`, `tls`, `ssl`, `tls_client_auth`, `two-way-tls`. None is an OpenAPI type
 * (`apiKey`, `http`, `mutualTLS`, `oauth2`, `openIdConnect`; Swagger 2.0 `basic`, `apiKey`, `oauth2`).
 */
const MTLS_TYPE =
  /^\s*(?:x-)?(?:mutual[-_ ]?\w*|m-?tls|tls|ssl|x[-.]?509|(?:client[-_ ]?)?cert(?:ificate)?s?|tls[-_ ]?client[-_ ]?auth|(?:two|2)[-_ ]?way[-_ ]?(?:tls|ssl))\s*$/i;
/**
 * HTTP authentication scheme values that stand for a client certificate (none is one: IANA has no such scheme).
 * Not `Mutual`: RFC 8120 registers it, a password protocol (near-misses.ts names it when nothing declares mTLS).
 */
const MTLS_HTTP_SCHEME =
  /^\s*(?:mutual[-_ ]?(?:tls|ssl)|m-?tls|tls|ssl|x[-.]?509|(?:client[-_ ]?)?cert(?:ificate)?s?|(?:two|2)[-_ ]?way[-_ ]?(?:tls|ssl))\s*$/i;

/**
 * Security schemes typed `mutualTls`, `mtls`, `mutual_tls`, `x-mutualTLS`, `X509`, `clientCertificate`, ...
 * (see MTLS_TYPE), or `type: http` with `scheme: mtls` / `tls` / `x509` / `cert` / `clientCert` (HTTP authentication goes in
 * the `Authorization` header; no registered HTTP scheme is a client certificate). Schemes written as a `$ref`
 * are followed (one that cannot be is left to the model's own error).
 */
export function schemeTypeTypos(set: DocumentSet, version: SpecVersion): SchemeTypeTypo[] {
  const typos: SchemeTypeTypo[] = [];
  for (const { name, followed } of followedSchemes(set, version)) {
    const scheme = followed.value;
    if (!isObject(scheme) || typeof scheme.type !== 'string') continue;
    const { file, path } = followed;
    if (scheme.type !== 'mutualTLS' && MTLS_TYPE.test(scheme.type)) {
      typos.push({ name, type: scheme.type, file, path: [...path, 'type'] });
    } else if (
      scheme.type.trim().toLowerCase() === 'http' &&
      typeof scheme.scheme === 'string' &&
      MTLS_HTTP_SCHEME.test(scheme.scheme)
    ) {
      typos.push({ name, type: scheme.type, httpScheme: scheme.scheme, file, path: [...path, 'scheme'] });
    }
  }
  return typos;
}

/** A security scheme typed `mutualTLS` in a document whose OpenAPI version has no such type (OAS 3.0, Swagger 2.0). */
export interface EarlyMutualTls {
  name: string;
  /** The file the scheme is written in (the root, or the file its `$ref` leads to). */
  file: SourceFile;
  /** Where its `type` key is in that file. */
  path: JsonPath;
}

/**
 * Security schemes written `type: mutualTLS` in an OAS 3.0 or Swagger 2.0 document (session 39). `mutualTLS` is an
 * OAS 3.1 type (OAS 3.1.0 §4.8.27 Security Scheme Object); 3.0 (§4.7.33: apiKey, http, oauth2, openIdConnect) and
 * 2.0 (basic, apiKey, oauth2) do not have it, so their validators reject the document and their tools ignore the
 * scheme. mtls-fix still reads it as mTLS. Empty for OAS 3.1+. Schemes written as a `$ref` are followed; each scheme is listed once.
 */
export function mutualTlsBeforeOas31(set: DocumentSet, version: SpecVersion): EarlyMutualTls[] {
  if (hasMutualTlsType(version)) return [];
  const found: EarlyMutualTls[] = [];
  const seen = new Set<string>();
  for (const { name, followed } of followedSchemes(set, version)) {
    if (!isObject(followed.value) || followed.value.type !== 'mutualTLS') continue;
    // Two names leading to one scheme (`a: { $ref: '#/components/securitySchemes/b' }`): one place, said once.
    const at = `${followed.file.path}#${JSON.stringify(followed.path)}`;
    if (seen.has(at)) continue;
    seen.add(at);
    found.push({ name, file: followed.file, path: [...followed.path, 'type'] });
  }
  return found;
}

/** The names of the security schemes the root document defines. */
export function definedSchemes(set: DocumentSet, version: SpecVersion): { names: string[]; path: JsonPath } {
  const container = schemeContainer(set, version);
  return { names: Object.keys(container.schemes), path: container.written };
}

/**
 * Each security scheme the document defines, by name, with where it is written: its entry, or the place its `$ref`
 * leads to. A `$ref` that cannot be followed is skipped (the model names it).
 */
function* followedSchemes(
  set: DocumentSet,
  version: SpecVersion,
): Generator<{ name: string; followed: Located }> {
  const container = schemeContainer(set, version);
  for (const [name, written] of Object.entries(container.schemes)) {
    let followed: Located | undefined;
    try {
      followed = set.follow({ file: container.file, path: [...container.path, name], value: written });
    } catch {
      continue;
    }
    if (followed) yield { name, followed };
  }
}

function schemeContainer(
  set: DocumentSet,
  version: SpecVersion,
): { file: SourceFile; schemes: Record<string, unknown>; path: JsonPath; written: JsonPath } {
  const written = version.kind === 'swagger2' ? ['securityDefinitions'] : ['components', 'securitySchemes'];
  let found: ReturnType<typeof schemesContainer>;
  try {
    found = schemesContainer(set, version);
  } catch {
    // A container `$ref` that leads nowhere: the model names it; nothing to list here.
    return { file: set.root, schemes: {}, path: written, written };
  }
  return { file: found.file, schemes: found.schemes ?? {}, path: found.path, written };
}

/** Every effective server URL of the given operations (variable defaults, then enum values), each once. */
export function serverUrls(
  set: DocumentSet,
  version: SpecVersion,
  operations: readonly Operation[],
): string[] {
  const urls = new Set<string>();
  for (const operation of operations) {
    for (const server of effectiveServers(set.root.data, version, operation)) {
      urls.add(server.url);
      for (const url of server.alternatives ?? []) urls.add(url);
    }
  }
  return [...urls];
}

/** A security requirement naming a scheme the document does not define, so nothing reads it as mTLS. */
export interface UnknownSchemeName {
  name: string;
  /** The file and path of the name's key in its requirement (the first place it is written). */
  file: SourceFile;
  path: JsonPath;
}

/**
 * Security requirement names (root `security`, then each operation's own) that lead to no scheme: neither a key
 * of the schemes container nor (OAS 3.2) a URI reference that resolves. Each name once, where first written;
 * names in `configured` (mtls.schemes) are left out, they already mean mTLS.
 */
export function unknownSchemeNames(
  set: DocumentSet,
  version: SpecVersion,
  operations: readonly Operation[],
  configured: readonly string[],
): UnknownSchemeName[] {
  const found = new Map<string, UnknownSchemeName>();
  const visit = (list: unknown, file: SourceFile, at: JsonPath): void => {
    if (!Array.isArray(list)) return;
    list.forEach((requirement, index) => {
      if (!isObject(requirement)) return;
      for (const name of Object.keys(requirement)) {
        if (found.has(name) || configured.includes(name)) continue;
        if (lookupScheme(set, version, name).how !== 'missing') continue;
        found.set(name, { name, file, path: [...at, index, name] });
      }
    });
  };
  const root = isObject(set.root.data) ? set.root.data : {};
  visit(root.security, set.root, ['security']);
  for (const operation of operations) {
    visit(operation.location.value.security, operation.location.file, [
      ...operation.location.path,
      'security',
    ]);
  }
  return [...found.values()];
}
