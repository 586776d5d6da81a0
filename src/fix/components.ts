import {
  encodePointer,
  getAtPath,
  isObject,
  type DocumentSet,
  type JsonPath,
  type SourceFile,
} from '../openapi/index.js';
import type { DataOp } from './ops.js';
import { collectRefSites, isPrefix, resolveQuietly } from './ref-sites.js';
import type { TreeCache } from './trees.js';
import type { ComponentChange, KeyGroup } from './types.js';
import { sharedFrom } from './anchors.js';
import { addWwwAuthenticate } from './www-authenticate.js';

export interface ComponentOptions {
  status: number;
  /** The new name (`--rename-components NAME`); default: derived from the old name and the status. */
  name?: string;
  wwwAuthenticate?: string;
  swagger2: boolean;
  rootOnly: boolean;
  trees: TreeCache;
  opsFor: (file: SourceFile) => DataOp[];
}

/** Reason phrases (RFC 9110 and registered 4xx) as component names. */
const REASON_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  402: 'PaymentRequired',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  407: 'ProxyAuthenticationRequired',
  408: 'RequestTimeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'PreconditionFailed',
  421: 'MisdirectedRequest',
  422: 'UnprocessableContent',
  423: 'Locked',
  428: 'PreconditionRequired',
  429: 'TooManyRequests',
  451: 'UnavailableForLegalReasons',
};

/**
 * `Forbidden` -> `Unauthorized`, `403Error` -> `401Error`, `FORBIDDEN` -> `UNAUTHORIZED`, `forbidden` ->
 * `unauthorized`; the number and the reason word change together (`FORBIDDEN_403_Post` -> `UNAUTHORIZED_401_Post`,
 * `Forbidden403` -> `Unauthorized401`).
 */
export function defaultComponentName(old: string, status: number): string {
  const reason = REASON_NAMES[status] ?? `Status${status}`;
  const hasNumber = old.includes('403');
  if (!/forbidden/i.test(old)) return hasNumber ? old.replace(/403/g, String(status)) : reason;
  const renamed = hasNumber ? old.replace(/403/g, String(status)) : old;
  return renamed.replace(/forbidden/gi, (match) =>
    match === 'FORBIDDEN'
      ? reason.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toUpperCase()
      : match.startsWith('f')
        ? reason.charAt(0).toLowerCase() + reason.slice(1)
        : reason,
  );
}

/**
 * `--rename-components`: a 403 response component whose every `$ref` comes from a migrated 403 entry is
 * renamed to the agreed status's name, and each remaining `$ref` to it follows. Components with any other
 * user keep their name (they still serve non-mTLS operations).
 */
export function planComponentRenames(
  set: DocumentSet,
  groups: readonly KeyGroup[],
  options: ComponentOptions,
): ComponentChange[] {
  const migrated = groups.filter((group) => ['renamed', 'removed', 'merged'].includes(group.change.action));
  const byTarget = new Map<string, { file: SourceFile; path: JsonPath; groups: KeyGroup[] }>();
  for (const group of migrated) {
    const written = getAtPath(group.file.data, group.keyPath);
    if (!isObject(written) || typeof written.$ref !== 'string') continue;
    const target = resolveQuietly(set, group.file, written.$ref, [...group.keyPath, '$ref']);
    if (!target) continue;
    const id = `${target.file.path}#${encodePointer(target.path)}`;
    const entry = byTarget.get(id) ?? { ...target, groups: [] };
    entry.groups.push(group);
    byTarget.set(id, entry);
  }
  if (byTarget.size === 0) return [];
  const sites = collectRefSites(set);
  const taken = new Set<string>();
  const changes: ComponentChange[] = [];
  for (const target of byTarget.values()) {
    const parentPath = target.path.slice(0, -1);
    const old = String(target.path[target.path.length - 1] ?? '');
    const name = options.name || defaultComponentName(old, options.status);
    const change: ComponentChange = {
      action: 'skipped',
      file: set.displayPath(target.file),
      line: options.trees.line(target.file, parentPath, old),
      pointer: encodePointer(target.path),
      from: old,
      to: name,
      refs: 0,
    };
    changes.push(change);
    const parent = getAtPath(target.file.data, parentPath);
    const ownSites = new Set(target.groups.map((group) => siteId(group.file, group.keyPath)));
    const users = sites.filter(
      (site) => site.target && site.target.file === target.file && isPrefix(target.path, site.target.path),
    );
    const other = users.find(
      (site) =>
        !ownSites.has(siteId(site.file, site.path)) || site.target!.path.length !== target.path.length,
    );
    const takenId = `${target.file.path}#${encodePointer([...parentPath, name])}`;
    const encodedOld = `/${encodeSegment(old)}`;
    const reason =
      target.path.length === 0 || !isObject(parent)
        ? 'it is a whole file, not a named component'
        : other
          ? `it is also used by ${set.displayPath(other.file)}#${encodePointer(other.path)}`
          : name === old
            ? 'it already has that name'
            : taken.has(takenId)
              ? `another component is renamed to '${name}'`
              : parent[name] !== undefined
                ? `a component named '${name}' exists; pass --rename-components=NAME`
                : options.rootOnly &&
                    (target.file !== set.root || users.some((site) => site.file !== set.root))
                  ? 'it or a $ref to it is in another file; an Overlay addresses the root document only'
                  : users.some((site) => !site.ref.endsWith(encodedOld))
                    ? 'a $ref to it is written in a form mtls-fix does not rewrite'
                    : undefined;
    const renamedGroups = target.groups.filter((group) => group.change.action === 'renamed');
    const why =
      reason ??
      (renamedGroups.length === 0 ? 'no $ref to it is left after the fix (it is unused now)' : undefined);
    if (why) {
      change.reason = why;
      continue;
    }
    taken.add(takenId);
    change.action = 'renamed';
    options.opsFor(target.file).push({ kind: 'rename-key', map: parentPath, from: old, to: name });
    for (const group of renamedGroups) {
      const written = getAtPath(group.file.data, group.keyPath) as { $ref: string };
      const value = `${written.$ref.slice(0, -encodedOld.length)}/${encodeSegment(name)}`;
      const refPath = [...group.keyPath.slice(0, -1), group.change.to, '$ref'];
      options.opsFor(group.file).push({ kind: 'replace-value', path: refPath, value });
      change.refs++;
    }
    addChallenge(target, parentPath, name, renamedGroups, options);
  }
  return changes;
}

/** `--www-authenticate`: a renamed component now answers 401, so it is where the challenge header goes. */
function addChallenge(
  target: { file: SourceFile; path: JsonPath },
  parentPath: JsonPath,
  name: string,
  renamed: readonly KeyGroup[],
  options: ComponentOptions,
): void {
  if (!options.wwwAuthenticate || options.status !== 401 || renamed.length === 0) return;
  const value = getAtPath(target.file.data, target.path);
  if (!isObject(value) || typeof value.$ref === 'string') return;
  const op = addWwwAuthenticate([...parentPath, name], value, options.wwwAuthenticate, options.swagger2);
  for (const group of renamed) group.change.reason = undefined;
  if (!op) return;
  // A component that is also a YAML anchor other nodes alias (breaker36 #03): the header would show there too.
  const tree = options.trees.get(target.file);
  const anchored = tree
    ? sharedFrom(
        tree,
        op.kind === 'add-key' ? [...target.path, ...op.map.slice(target.path.length)] : target.path,
        target.path.length,
      )
    : undefined;
  if (anchored) {
    for (const group of renamed)
      group.change.reason = `component ${name} is YAML anchor &${anchored.shared.anchor}, which other nodes alias; add WWW-Authenticate by hand`;
    return;
  }
  options.opsFor(target.file).push(op);
  for (const group of renamed) group.change.added.push(`header WWW-Authenticate (in component ${name})`);
}

function siteId(file: SourceFile, path: JsonPath): string {
  return `${file.path}#${encodePointer(path)}`;
}

function encodeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
