import leven from 'leven';
import { findMtlsFixError } from '../errors.js';
import { classifyScheme, effectiveSecurity, lookupScheme, schemesContainer } from './security.js';
import { pathItemField } from './classify.js';
import type { DocumentSet, Located } from './document-set.js';
import { gatewayMarkerTypos } from './gateway-markers.js';
import { schemeTypeTypos } from './mentions.js';
import type { Operation } from './operations.js';
import { encodePointer, isObject, type JsonPath } from './pointer.js';
import { prepareRangesOf, type SourceFile } from './source.js';
import { hasMutualTlsType, type SpecVersion } from './version.js';

/**
 * The extension keys mtls-fix reads by exact name: its mTLS marker and suppression, and the gateway extensions
 * that turn on client certificates (gateway-markers.ts). A key equal to one of these but for case and separators
 * (`x-mTLS`, `x_mtls`, `x-WSO2-mutual-ssl`) is a slip, never a key of its own.
 */
const READ_KEYS = [
  'x-mtls',
  'x-mtls-fix-ignore',
  'x-wso2-mutual-ssl',
  'x-tyk-api-gateway',
  'x-kong-plugin-mtls-auth',
] as const;

/**
 * Other names authors give the `x-mtls` marker (folded: lower case, `-` separators), read as a slip when their
 * value is a boolean: `x-mtls-enabled`, `x-mtls-required`, `x-enable-mtls`, `x-require-mtls`, `x-mutual-tls`,
 * `x-mutualtls`, `x-mtls-only`, `x-mtls-auth`.
 */
const MARKER_ALIAS =
  /^x-(?:(?:enable|require|use)[sd]?-)?(?:m-?tls|mutual-?tls)(?:-(?:enabled?|required?|only|on|auth(?:entication)?))?$/;

/** A suppression written under another name (`x-mtls-ignore`, `x-mtls-fix-ignored`), read so when its value is a string. */
const IGNORE_ALIAS = /^x-mtls-?(?:fix-?)?ignored?$/;

/**
 * The key mtls-fix reads that `key` (with its `value`) was meant to be, or undefined: the same but for case and
 * separators (`x-mTLS`, `X_MTLS`, `x-Mtls-Fix-Ignore`), whatever its value; with a boolean value, one edit from
 * `x-mtls` keeping its `m` (`x-mtl`, `x-mtlss`, `x-mls`), two letters swapped (`x-mtsl`) or an alias
 * ({@link MARKER_ALIAS}); with a string value, an alias of `x-mtls-fix-ignore`.
 */
export function meantKey(key: string, value: unknown): string | undefined {
  if ((READ_KEYS as readonly string[]).includes(key)) return undefined;
  const folded = key
    .trim()
    .toLowerCase()
    .replace(/[\s_.]+/g, '-');
  const bare = (text: string): string => text.replace(/-/g, '');
  const same = READ_KEYS.find((read) => read === folded || bare(read) === bare(folded));
  if (same) return same;
  if (typeof value === 'string' && IGNORE_ALIAS.test(folded)) return 'x-mtls-fix-ignore';
  if (typeof value !== 'boolean' || !folded.startsWith('x')) return undefined;
  if (MARKER_ALIAS.test(folded)) return 'x-mtls';
  const oneEdit = leven(folded, 'x-mtls') <= 1 && folded.includes('m');
  const swapped = folded.length === 6 && [...folded].sort().join('') === [...'x-mtls'].sort().join('');
  return oneEdit || swapped ? 'x-mtls' : undefined;
}

/** A key written where mtls-fix reads a marker, meaning one but not spelt as one, so it is not read. */
export interface MarkerKeyTypo {
  /** The key as written (`x-mTLS`). */
  written: string;
  value: unknown;
  /** The key mtls-fix reads (`x-mtls`). */
  expected: string;
  /** `root`, `path item`, `operation`, `server`, `security scheme`, `response`. */
  on: string;
  file: SourceFile;
  /** Where the key is, in that file. */
  path: JsonPath;
  /** The operation it belongs to (on the operation, its path item, its own servers or responses); else undefined. */
  operation?: Operation;
}

/**
 * Marker keys spelt otherwise than mtls-fix reads them ({@link meantKey}) on the root, the root servers, each
 * operation's path item, the operation itself, their servers and responses, and each security scheme; each
 * written place once, in that order. A `$ref` that cannot be followed is skipped (the model names it).
 */
export function markerKeyTypos(
  set: DocumentSet,
  version: SpecVersion,
  operations: readonly Operation[],
): MarkerKeyTypo[] {
  const found = new Map<string, MarkerKeyTypo>();
  const visit = (at: Located, on: string, operation?: Operation): void => {
    if (!isObject(at.value)) return;
    for (const [key, value] of Object.entries(at.value)) {
      const expected = meantKey(key, value);
      if (!expected) continue;
      const path = [...at.path, key];
      const id = `${at.file.path}#${encodePointer(path)}`;
      if (!found.has(id))
        found.set(id, { written: key, value, expected, on, file: at.file, path, operation });
    }
  };
  const list = (at: Located, on: string, operation?: Operation): void => {
    if (!Array.isArray(at.value)) return;
    at.value.forEach((value: unknown, index) =>
      visit({ file: at.file, path: [...at.path, index], value }, on, operation),
    );
  };
  const root = isObject(set.root.data) ? set.root.data : {};
  visit({ file: set.root, path: [], value: root }, 'root');
  list({ file: set.root, path: ['servers'], value: root.servers }, 'server');
  for (const operation of operations) {
    // Every key of the path item, where it is written (a `$ref`'s sibling in `paths`, else the item it leads to).
    for (const key of Object.keys(operation.pathItem)) {
      const at = pathItemField(set, operation, key);
      const expected = meantKey(key, at.value);
      if (expected)
        visit({ ...at, path: at.path.slice(0, -1), value: { [key]: at.value } }, 'path item', operation);
    }
    list(pathItemField(set, operation, 'servers'), 'server', operation);
    visit(operation.location, 'operation', operation);
    const { file, path, value } = operation.location;
    list({ file, path: [...path, 'servers'], value: value.servers }, 'server', operation);
    const responses = value.responses;
    if (!isObject(responses)) continue;
    for (const [code, response] of Object.entries(responses)) {
      const written = { file, path: [...path, 'responses', code], value: response };
      visit(written, 'response', operation);
      visit(follow(set, written) ?? written, 'response', operation);
    }
  }
  const container = schemes(set, version);
  for (const [name, scheme] of Object.entries(container.schemes)) {
    const written = { file: container.file, path: [...container.path, name], value: scheme };
    visit(follow(set, written) ?? written, 'security scheme');
  }
  // Every caller places each typo: one scan per file for all of them, not one scan of the file per typo (a
  // document with `x-mTLS` on each of 8,000 operations took 100 s to lint, quadratic).
  prepareRangesOf(found.values());
  return [...found.values()];
}

/** A security scheme that means mTLS but that no operation's effective `security` names, so nothing reads it. */
export interface UnusedMtlsScheme {
  name: string;
  /** Why it means mTLS: `type mutualTLS`, `x-mtls: true`, `apiKey header 'X-Forwarded-Client-Cert'`, `listed in mtls.schemes`. */
  reason: string;
  /** Its entry in the schemes container. */
  file: SourceFile;
  path: JsonPath;
}

/**
 * The security schemes the document defines that mean mTLS (type `mutualTLS`, `x-mtls: true`, a client-certificate
 * header `apiKey`, or a name in `configured`) but that no operation's effective `security` (its own, else the
 * root's) names, by name or (OAS 3.2) by a URI reference to it. Webhooks and callbacks are not operations: a
 * scheme named only there is unused. A scheme that cannot be read is left to the model's own error.
 */
export function unusedMtlsSchemes(
  set: DocumentSet,
  version: SpecVersion,
  operations: readonly Operation[],
  configured: readonly string[],
): UnusedMtlsScheme[] {
  const container = schemes(set, version);
  const used = new Set<string>();
  const lists = new Set<unknown>();
  for (const operation of operations) {
    const effective = effectiveSecurity(set, operation);
    if (lists.has(effective.list)) continue;
    lists.add(effective.list);
    for (const name of effective.alternatives.flatMap((requirement) => Object.keys(requirement))) {
      used.add(`name:${name}`);
      const target = safely(() => lookupScheme(set, version, name).scheme);
      if (target) used.add(`at:${target.file.path}#${encodePointer(target.path)}`);
    }
  }
  const unused: UnusedMtlsScheme[] = [];
  for (const name of Object.keys(container.schemes)) {
    if (used.has(`name:${name}`)) continue;
    const target = safely(() => lookupScheme(set, version, name).scheme);
    if (target && used.has(`at:${target.file.path}#${encodePointer(target.path)}`)) continue;
    const verdict = safely(() => classifyScheme(set, version, name, configured));
    if (!verdict?.mtls) continue;
    const reason = (verdict.reason ?? 'mTLS')
      .replace(/^type: /, 'type ')
      .replace(/ carries the client certificate$/, '');
    unused.push({ name, reason, file: container.file, path: [...container.path, name] });
  }
  return unused;
}

/** One thing a document writes to declare mTLS that is not read as a declaration, in words, placed. */
export interface NearMiss {
  /** `x-mTLS (line 4, on the root) is not read: the marker is x-mtls, lower case` */
  text: string;
  /** The operation it concerns alone (a marker on it or its path item); undefined: the whole document. */
  operation?: Operation;
  /** For an mTLS scheme no security names ({@link unusedMtlsSchemes}): that scheme, the declaration to advise. */
  unused?: UnusedMtlsScheme;
}

/**
 * Everything a document writes that reads as declaring mTLS but is not read as one: mTLS schemes no operation's
 * security names ({@link unusedMtlsSchemes}), scheme types that mean a client certificate but are not
 * `mutualTLS` (mentions.ts `schemeTypeTypos`), `type: http` with RFC 8120's `scheme: Mutual` (a password
 * protocol), marker keys spelt otherwise ({@link markerKeyTypos}), gateway extensions with a value the gateway does
 * not read. `mtls-unchecked` and `explain` name these instead of "nothing in it declares mTLS" (session 37).
 */
export function mtlsNearMisses(
  set: DocumentSet,
  version: SpecVersion,
  operations: readonly Operation[],
  configured: readonly string[],
): NearMiss[] {
  const mutualTlsType = hasMutualTlsType(version);
  const place = (file: SourceFile, path: JsonPath): string => placeOf(set, file, path);
  const found: NearMiss[] = [];
  for (const scheme of unusedMtlsSchemes(set, version, operations, configured)) {
    found.push({
      text:
        `scheme '${scheme.name}' (${scheme.reason}${place(scheme.file, scheme.path)}) is defined but no operation's ` +
        `security names it: add security: [{${scheme.name}: []}] at the root or on the mTLS operations`,
      unused: scheme,
    });
  }
  const fix = mutualTlsType
    ? 'the OpenAPI type is mutualTLS'
    : `${version.kind === 'swagger2' ? 'Swagger 2.0' : 'OAS 3.0'} has no mTLS type: list it in mtls.schemes or mark it x-mtls: true`;
  for (const typo of schemeTypeTypos(set, version)) {
    const written = typo.httpScheme
      ? `type http with scheme '${typo.httpScheme}'${place(typo.file, typo.path)}, which is no HTTP authentication scheme`
      : `type '${typo.type}'${place(typo.file, typo.path)}, which OpenAPI does not define`;
    found.push({ text: `scheme '${typo.name}' has ${written} (${fix})` });
  }
  for (const mutual of rfc8120Schemes(set, version)) {
    found.push({
      text:
        `scheme '${mutual.name}' has type http with scheme '${mutual.scheme}'${place(mutual.file, mutual.path)}, ` +
        `RFC 8120 Mutual (a password protocol, not a client certificate)${mutualTlsType ? '; for mutual TLS the type is mutualTLS' : ''}`,
    });
  }
  for (const typo of markerKeyTypos(set, version, operations)) {
    found.push({
      text: `${typo.written} on the ${typo.on}${place(typo.file, typo.path)} is not read: the key read is ${typo.expected}${typo.written.toLowerCase() === typo.expected ? ', lower case' : ''}`,
      operation: typo.on === 'root' || typo.on === 'security scheme' ? undefined : typo.operation,
    });
  }
  for (const typo of gatewayMarkerTypos(set, operations)) {
    found.push({
      text: `${typo.written}${place(typo.file, typo.path)} is not a value the gateway reads (${typo.expected})`,
    });
  }
  return found;
}

/** ` at line 12` in the root file, ` at schemes.yaml:12` in another one ('' when it cannot be placed). */
function placeOf(set: DocumentSet, file: SourceFile, path: JsonPath): string {
  const range = file.rangeOf(path, true);
  if (!range) return '';
  const line = range.start.line + 1;
  return file === set.root ? ` at line ${line}` : ` at ${set.displayPath(file)}:${line}`;
}

/** `type: http` schemes with `scheme: Mutual` (RFC 8120, registered by IANA; not a client certificate). */
function rfc8120Schemes(
  set: DocumentSet,
  version: SpecVersion,
): { name: string; scheme: string; file: SourceFile; path: JsonPath }[] {
  const container = schemes(set, version);
  const found: { name: string; scheme: string; file: SourceFile; path: JsonPath }[] = [];
  for (const [name, written] of Object.entries(container.schemes)) {
    const scheme = follow(set, { file: container.file, path: [...container.path, name], value: written });
    if (!scheme || !isObject(scheme.value)) continue;
    const { type, scheme: value } = scheme.value;
    if (typeof type !== 'string' || type.trim().toLowerCase() !== 'http') continue;
    if (typeof value !== 'string' || !/^\s*mutual\s*$/i.test(value)) continue;
    found.push({ name, scheme: value, file: scheme.file, path: [...scheme.path, 'scheme'] });
  }
  return found;
}

function schemes(
  set: DocumentSet,
  version: SpecVersion,
): { file: SourceFile; path: JsonPath; schemes: Record<string, unknown> } {
  const found = safely(() => schemesContainer(set, version));
  const path = version.kind === 'swagger2' ? ['securityDefinitions'] : ['components', 'securitySchemes'];
  return found ? { ...found, schemes: found.schemes ?? {} } : { file: set.root, path, schemes: {} };
}

/** Where a `$ref` leads, or undefined when it cannot be followed (the model names that). */
function follow(set: DocumentSet, at: Located): Located | undefined {
  return safely(() => set.follow(at));
}

/** `read()`, or undefined when it throws: what cannot be read here is named by the model where it is read. */
function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (findMtlsFixError(error)) return undefined;
    throw error;
  }
}
