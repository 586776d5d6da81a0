import { MtlsFixError } from '../errors.js';
import type { DocumentSet, Followed, RefCache } from './document-set.js';
import type { Operation } from './operations.js';
import { isObject, type JsonPath } from './pointer.js';
import type { SourceFile } from './source.js';
import { markerValue } from './marker-value.js';
import { expectMap } from './shape.js';
import type { SpecVersion } from './version.js';

export type SecurityRequirement = Record<string, unknown>;

export interface EffectiveSecurity {
  /** The alternatives (OR); each names schemes that must all hold (AND). Empty: no security. */
  alternatives: SecurityRequirement[];
  from: 'operation' | 'root' | 'none';
  /** The `security` array read (the operation's own, else the root's; null: neither): a cache key. */
  list: readonly unknown[] | null;
}

/** `operation.security` if present, else the root `security`; `[]` means none (OAS 3.1 §4.8.10). */
export function effectiveSecurity(set: DocumentSet, operation: Operation): EffectiveSecurity {
  const own = operation.location.value.security;
  if (Array.isArray(own)) return { alternatives: own.filter(isObject), from: 'operation', list: own };
  const rootSecurity = isObject(set.root.data) ? set.root.data.security : undefined;
  if (Array.isArray(rootSecurity))
    return { alternatives: rootSecurity.filter(isObject), from: 'root', list: rootSecurity };
  return { alternatives: [], from: 'none', list: null };
}

export interface SchemeVerdict {
  mtls: boolean;
  /** Why the scheme means mTLS: `type: mutualTLS`, `config mtls.schemes`, `x-mtls: true`. */
  reason?: string;
}

/**
 * Request headers in which the TLS terminator hands the verified client certificate to the API: RFC 9440
 * `Client-Cert` / `Client-Cert-Chain`, Envoy `X-Forwarded-Client-Cert`, Azure App Service `X-ARR-ClientCert`,
 * AWS ALB `X-Amzn-Mtls-Clientcert`, ingress-nginx `ssl-client-cert`, and the common `X-SSL-Client-Cert`,
 * `X-Client-Cert(ificate)`. An `apiKey` scheme in such a header (Swagger 2.0 and OAS 3.0 have no mTLS type)
 * means the client presents a certificate.
 */
const CLIENT_CERT_HEADER =
  /^(?:x-)?(?:ssl-|arr-|amzn-mtls-|forwarded-)?client-?cert(?:ificate)?(?:-chain)?$/i;

/** Where a security requirement's name leads: a scheme, or nothing the document defines. */
export interface SchemeLookup {
  /** The Security Scheme Object (after `$ref`s), or undefined when the name leads nowhere. */
  scheme?: Followed;
  /** `component`: a key of the schemes container; `uri`: an OAS 3.2 URI reference; `missing`: neither. */
  how: 'component' | 'uri' | 'missing';
}

/**
 * The security schemes container of a root document: `securityDefinitions` in Swagger 2.0, else
 * `components.securitySchemes`; undefined when it is absent or not a map.
 */
export function securitySchemesOf(
  root: Record<string, unknown>,
  version: SpecVersion,
): Record<string, unknown> | undefined {
  const container =
    version.kind === 'swagger2'
      ? root.securityDefinitions
      : isObject(root.components)
        ? root.components.securitySchemes
        : undefined;
  return isObject(container) ? container : undefined;
}

/**
 * Where a document's security schemes are written: `securityDefinitions` (Swagger 2.0) or
 * `components.securitySchemes`, followed when the container itself is a `$ref` (`securityDefinitions: {$ref:
 * ./security/index.yaml}`, OBIE's split sources; before session 24 its schemes were "not defined", "defined:
 * $ref"). `schemes` is undefined when it is absent or not a map; a `$ref` that leads nowhere throws its error.
 */
export function schemesContainer(
  set: DocumentSet,
  version: SpecVersion,
  refs?: RefCache,
): { file: SourceFile; path: JsonPath; schemes: Record<string, unknown> | undefined } {
  const root = isObject(set.root.data) ? set.root.data : {};
  const path = version.kind === 'swagger2' ? ['securityDefinitions'] : ['components', 'securitySchemes'];
  const written = securitySchemesOf(root, version);
  if (typeof written?.$ref !== 'string') return { file: set.root, path, schemes: written };
  const followed = set.follow({ file: set.root, path, value: written }, refs);
  if (!followed) return { file: set.root, path, schemes: undefined };
  return {
    file: followed.file,
    path: followed.path,
    schemes: isObject(followed.value) ? followed.value : undefined,
  };
}

/**
 * Finds the Security Scheme Object a security requirement names: a key of `components.securitySchemes`
 * (`securityDefinitions` in Swagger 2.0), else, when the name reads as a URI reference (it holds a `#`), the
 * node it points at, relative to the root file (OAS 3.2 §4.8.30: "a name ... that is not a component name is a
 * URI reference"; `'#/components/securitySchemes/tls'`, `'common.yaml#/components/securitySchemes/tls'`).
 * A reference that does not resolve is `missing`, never an error: the requirement is then not mTLS, and
 * `lint` warns about the name.
 */
export function lookupScheme(
  set: DocumentSet,
  version: SpecVersion,
  name: string,
  refs?: RefCache,
): SchemeLookup {
  const { file, path: containerPath, schemes: container } = schemesContainer(set, version, refs);
  if (container?.[name] !== undefined) {
    const scheme = set.follow({ file, path: [...containerPath, name], value: container[name] }, refs);
    // `clientCert: mutualTLS` (a string, not a Security Scheme Object) is broken, never read as "not mTLS".
    if (scheme) expectMap(set, scheme, false);
    return { scheme, how: 'component' };
  }
  if (version.kind === 'swagger2' || !name.includes('#')) return { how: 'missing' };
  try {
    const target = set.resolve(set.root, name, ['security']);
    const scheme = target ? set.follow(target, refs) : undefined;
    return scheme && isObject(scheme.value) ? { scheme, how: 'uri' } : { how: 'missing' };
  } catch (error) {
    if (error instanceof MtlsFixError && error.code === 'EREF') return { how: 'missing' };
    throw error;
  }
}

/**
 * Whether the named scheme means mTLS: its type, our `x-mtls` marker, or the configured names. The name is a
 * component name or (OAS 3.2) a URI reference, see {@link lookupScheme}. `refs`: see {@link DocumentSet.follow}.
 */
export function classifyScheme(
  set: DocumentSet,
  version: SpecVersion,
  name: string,
  configuredSchemes: readonly string[],
  refs?: RefCache,
): SchemeVerdict {
  if (configuredSchemes.includes(name)) return { mtls: true, reason: 'listed in mtls.schemes' };
  const { scheme } = lookupScheme(set, version, name, refs);
  if (!scheme || !isObject(scheme.value)) return { mtls: false };
  const marker = { ...scheme, path: [...scheme.path, 'x-mtls'], value: scheme.value['x-mtls'] };
  if (markerValue(set, marker) === true) return { mtls: true, reason: 'x-mtls: true' };
  if (scheme.value.type === 'mutualTLS') return { mtls: true, reason: 'type: mutualTLS' };
  const header = scheme.value.name;
  if (
    scheme.value.type === 'apiKey' &&
    scheme.value.in === 'header' &&
    typeof header === 'string' &&
    CLIENT_CERT_HEADER.test(header.trim())
  ) {
    return { mtls: true, reason: `apiKey header '${header}' carries the client certificate` };
  }
  return { mtls: false };
}
