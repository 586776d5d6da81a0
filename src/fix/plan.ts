import type { ResolvedConfig } from '../config/resolve.js';
import { findMtlsFixError } from '../errors.js';
import {
  encodePointer,
  getAtPath,
  forbiddenKeys,
  isObject,
  type DocumentSet,
  type JsonPath,
  type Located,
  type OperationAnalysis,
  type SourceFile,
} from '../openapi/index.js';
import { analysisFor, computeFindings, toEffectiveOptions, type MtlsFinding } from '../findings/findings.js';
import {
  finishIntegrationResponses,
  planGatewayResponses,
  startIntegrationResponses,
} from './integration.js';
import { bodyStatusEdits } from './body-status.js';
import { planGatewayDefaults } from './gateway-defaults.js';
import { planKongPlugins } from './kong-plugins.js';
import { planComponentRenames } from './components.js';
import { missingParts } from './conflict.js';
import { mergeOps } from './merge.js';
import { collectRefSites, isPrefix } from './ref-sites.js';
import type { DataOp } from './ops.js';
import type { ForeignReader } from './shared.js';
import { TreeCache } from './trees.js';
import type { ComponentChange, ConflictMode, FixChange, FixSuppressed, KeyGroup } from './types.js';
import { responsesUsers } from './users.js';
import { addWwwAuthenticate } from './www-authenticate.js';
import { keyAt, mergeSupplies, nodeAt, type SourceTree } from './yaml-ast.js';
import {
  aliasedFromOutside,
  sharedFrom,
  sharedOnTheWay,
  type AnchorConflict,
  type AnchorSite,
} from './anchors.js';
import { pathKey } from '../openapi/locate-yaml.js';
import { compareText } from '../util/compare.js';

export interface PlanOptions {
  onConflict: ConflictMode;
  renameComponents?: boolean | string;
  wwwAuthenticate?: string;
  /** Overlay mode: an Overlay addresses the root document only, so keys in other files are skipped. */
  rootOnly: boolean;
  /** Readers, in other documents, of 403 keys in these files (absolute) that those documents do not migrate. */
  sharedReaders?: (files: ReadonlySet<string>) => readonly ForeignReader[];
}

export interface DocumentPlan {
  changes: FixChange[];
  /** Suppressed `mtls-no-403` findings, left as they are: one per place as written. */
  suppressed: FixSuppressed[];
  components: ComponentChange[];
  /** The operations per file, in order. */
  ops: Map<SourceFile, DataOp[]>;
  /** The 403 key change each operation was planned for (rename, remove, merge); other operations have none. */
  owners: Map<DataOp, FixChange>;
  trees: Map<SourceFile, SourceTree>;
}

/**
 * Plans the fix of one document: for each mtls-no-403 finding (the same findings `lint` reports), the data
 * operations that rename, remove or merge its 403 key, and what to tell the user about it.
 */
export function planDocument(
  set: DocumentSet,
  config: ResolvedConfig,
  swagger2: boolean,
  options: PlanOptions,
): DocumentPlan {
  const status = String(config.status);
  const trees = new TreeCache();
  const ops = new Map<SourceFile, DataOp[]>();
  const opsFor = (file: SourceFile): DataOp[] => {
    const list = ops.get(file) ?? [];
    ops.set(file, list);
    return list;
  };
  const owners = new Map<DataOp, FixChange>();
  const effective = toEffectiveOptions(config);
  const analysis = analysisFor(set, effective);
  const operations = analysis.operations;
  // Suppressed findings (x-mtls-fix-ignore, config ignore) are the user's to keep: not edited, and a key they
  // share with a migrated operation is skipped as shared.
  const all = computeFindings(set, effective).filter((finding) => finding.rule === 'mtls-no-403');
  const findings = all.filter((finding) => finding.ignored === undefined);
  const groups = groupFindings(
    set,
    findings.filter((finding) => finding.site === undefined),
    trees,
    status,
  );
  const readerMaps = markSharedKeys(set, trees, groups, operations);
  // Responses maps where a 403 key became the agreed status: a second 403 spelling there (`'403 '` beside
  // `403`) meets that status as already documented, so one run fixes both (map id -> the renamed key).
  const renamedInto = new Map<string, string>();
  if (options.sharedReaders) markForeignReaders(trees, groups, options.sharedReaders);
  markPointedAt(set, groups);
  markAnchoredAbove(trees, groups, readerMaps);
  // An operation's API Gateway integration statusCodes and its 403 key change together or not at all.
  const integrationContext = {
    set,
    status,
    groups,
    operations,
    trees,
    rootOnly: options.rootOnly,
    opsFor,
  };
  const integrationValues = startIntegrationResponses(
    findings.filter((finding) => finding.site === 'integration-response'),
    integrationContext,
  );
  for (const group of groups.values()) {
    if (group.change.action === 'skipped') continue;
    if (options.rootOnly && group.file !== set.root) {
      skip(group, `in ${group.change.file}; an Overlay addresses the root document only (run fix in place)`);
      continue;
    }
    const fileOps = opsFor(group.file);
    const before = fileOps.length;
    planKey(set, group, status, swagger2, options, fileOps, trees, renamedInto);
    for (const op of fileOps.slice(before)) owners.set(op, group.change);
  }
  const components = options.renameComponents
    ? planComponentRenames(set, [...groups.values()], {
        status: config.status,
        name: typeof options.renameComponents === 'string' ? options.renameComponents : undefined,
        wwwAuthenticate: options.wwwAuthenticate,
        swagger2,
        rootOnly: options.rootOnly,
        trees,
        opsFor,
      })
    : [];
  const integrations = [
    ...finishIntegrationResponses(integrationValues, integrationContext),
    ...planGatewayResponses(
      findings.filter((finding) => finding.site === 'gateway-response'),
      integrationContext,
    ),
    ...planGatewayDefaults(
      findings.filter((finding) => finding.site === 'gateway-default'),
      analysis.gatewayDefaults,
      integrationContext,
      options.wwwAuthenticate,
    ),
    ...planKongPlugins(
      findings.filter((finding) => finding.site === 'kong-plugin'),
      analysis.kongDenials,
      integrationContext,
    ),
  ];
  for (const [file, list] of ops) if (list.length === 0) ops.delete(file);
  return {
    suppressed: suppressedOf(set, all),
    changes: [...[...groups.values()].map((group) => group.change), ...integrations].sort(
      (a, b) => compareText(a.file, b.file) || a.line - b.line,
    ),
    components,
    ops,
    owners,
    trees: trees.parsed(),
  };
}

/** One group per 403 key as written: several operations reach one key through shared path items or aliases. */
function groupFindings(
  set: DocumentSet,
  findings: readonly MtlsFinding[],
  trees: TreeCache,
  status: string,
): Map<string, KeyGroup> {
  const groups = new Map<string, KeyGroup>();
  const responsesMaps = new Map<SourceFile, JsonPath[]>();
  for (const { location } of findings) {
    const list = responsesMaps.get(location.file) ?? [];
    list.push(location.path.slice(0, -1));
    responsesMaps.set(location.file, list);
  }
  for (const [file, paths] of responsesMaps) trees.prepare(file, paths);
  for (const finding of findings) {
    const { file, path: keyPath } = finding.location;
    const code = String(keyPath[keyPath.length - 1]);
    const mapPath = keyPath.slice(0, -1);
    const tree = trees.get(file);
    const located = tree ? keyAt(tree, mapPath, code) : undefined;
    const offset = located?.start; // trees.keyOffset, already looked up
    const id = `${file.path}#${offset ?? encodePointer(keyPath)}`;
    const name = `${finding.operation.method} ${finding.operation.path}`;
    const existing = groups.get(id);
    if (existing) {
      if (!existing.operations.includes(name)) existing.operations.push(name);
      continue;
    }
    const operations = [name];
    const change: FixChange = {
      action: 'renamed',
      operations,
      file: set.displayPath(file),
      line: trees.lineAt(file, offset, mapPath, code),
      pointer: encodePointer(keyPath),
      from: code,
      to: status,
      lost: [],
      added: [],
    };
    const group: KeyGroup = { file, keyPath, code, operations, change };
    if (!tree) skip(group, 'the file does not parse exactly enough to edit in place; rename it by hand');
    else if (offset === undefined) skip(group, 'the key was not found in the text; rename it by hand');
    else if (located?.viaMerge) {
      // Named where lint names it (the `<<` that brings the 403 into this operation's responses), with the
      // anchored entry it comes from: the user acts on the former, and must know the latter is shared.
      const anchored = change.line;
      const range = file.rangeOf(keyPath, true);
      if (range) change.line = range.start.line + 1;
      skip(
        group,
        `the 403 is inherited through a YAML merge key (<<)${anchored !== change.line ? ` from the entry at line ${anchored}` : ''}; give the operation its own 403 entry first`,
      );
    } else if (mergeSupplies(tree, mapPath, code)) {
      skip(group, 'a YAML merge key (<<) in the same responses also brings a 403, which would show through');
    }
    groups.set(id, group);
  }
  return groups;
}

/**
 * A key also reached by a reader that is not being migrated (a webhook, a callback, a non-mTLS operation
 * sharing the path item, responses map or YAML anchor) must not change for it: skip the key.
 */
function markSharedKeys(
  set: DocumentSet,
  trees: TreeCache,
  groups: Map<string, KeyGroup>,
  analyzed: readonly OperationAnalysis[],
): Set<string> {
  const readerMaps = new Set<string>();
  if (groups.size === 0) return readerMaps;
  const files = new Set([...groups.values()].map((group) => group.file));
  // Only maps holding a 403 come back (the analysis' operations, not listed again).
  const users = responsesUsers(
    set,
    analyzed.map(({ operation }) => operation),
  );
  for (const file of files) {
    trees.prepare(
      file,
      users.filter(({ responses }) => responses.file === file).map((user) => user.responses.path),
    );
  }
  for (const user of users) {
    const { file, path: mapPath, value } = user.responses;
    readerMaps.add(nodeId(file, mapPath));
    if (!files.has(file) || !isObject(value)) continue;
    const tree = trees.get(file);
    // Every spelling that counts as 403 (`403`, `'403 '`): one map may hold several.
    for (const code of forbiddenKeys(file, mapPath, value)) {
      const offset = tree ? trees.keyOffset(file, mapPath, code) : undefined;
      const group = offset === undefined ? undefined : groups.get(`${file.path}#${offset}`);
      if (!group || group.operations.includes(user.name) || group.change.action === 'skipped') continue;
      skip(
        group,
        `the key is shared with ${user.name}, which is not migrated; give it its own 403 entry first`,
      );
    }
  }
  return readerMaps;
}

/** The id of a responses map (or any node) as written: its file and path, as {@link markAnchoredAbove} compares them. */
function nodeId(file: SourceFile, path: JsonPath): string {
  return `${file.path}#${pathKey(path)}`;
}

/**
 * A key whose responses map, or a node above it (path item, operation), is a YAML anchor that a place other than a
 * reader of the key reads (`x-copy: *common`, a merge key in an extension): renaming or removing the key would
 * change that place too. Readers that are operations, webhooks or callbacks were weighed by markSharedKeys (a
 * migrated one shares the change, another skipped the key); any other place skips the key, named.
 */
function markAnchoredAbove(trees: TreeCache, groups: Map<string, KeyGroup>, readerMaps: Set<string>): void {
  for (const group of groups.values()) {
    if (group.change.action === 'skipped') continue;
    const tree = trees.get(group.file);
    if (!tree) continue;
    const mapPath = group.keyPath.slice(0, -1);
    const conflict = sharedOnTheWay(tree, mapPath, 0, (site, depth) =>
      readerMaps.has(nodeId(group.file, [...site.path, ...mapPath.slice(depth)])),
    );
    if (conflict)
      skip(
        group,
        `the 403 is under YAML anchor ${anchorText(trees, group.file, conflict)}, which this run does not migrate; ` +
          'give the operation its own copy of it (or move the anchor), then run again',
      );
  }
}

/**
 * `&common (line 9), also read at line 20 (#/x-copy)`: a node shared through a YAML anchor and its first other reader,
 * lines 1-based; the others counted.
 */
function anchorText(trees: TreeCache, file: SourceFile, conflict: AnchorConflict): string {
  const { shared, others } = conflict;
  const line = (site: AnchorSite): number => trees.lineAt(file, site.offset, site.path, '');
  const first = others[0];
  const more = others.length > 1 ? ` and ${others.length - 1} more place${others.length > 2 ? 's' : ''}` : '';
  const how =
    first.kind === 'merge'
      ? 'through a merge key (<<) '
      : first.kind === 'anchor'
        ? 'where it is written '
        : '';
  return `&${shared.anchor} (line ${line(shared.sites[0])}), also read ${how}at line ${line(first)} (${siteName(first.path)})${more}`;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** `GET /b` for a place under an operation of `paths`, else its JSON pointer (`#/x-copy`). */
function siteName(path: JsonPath): string {
  const method = String(path[2] ?? '').toLowerCase();
  return path[0] === 'paths' && path.length >= 3 && METHODS.has(method)
    ? `${method.toUpperCase()} ${String(path[1])}`
    : `#${encodePointer(path)}`;
}

/**
 * A key in a file that another document also reads (`common/status.yaml` $ref'd by a public API), from a
 * reader that document does not migrate, must not change either: skip it and name the other document.
 */
function markForeignReaders(
  trees: TreeCache,
  groups: Map<string, KeyGroup>,
  sharedReaders: (files: ReadonlySet<string>) => readonly ForeignReader[],
): void {
  const open = [...groups.values()].filter((group) => group.change.action !== 'skipped');
  if (open.length === 0) return;
  const files = new Map(open.map((group) => [group.file.path, group.file]));
  const readers = sharedReaders(new Set(files.keys()));
  const byGroup = new Map<KeyGroup, ForeignReader[]>();
  for (const reader of readers) {
    const file = files.get(reader.file);
    const tree = file ? trees.get(file) : undefined;
    // The other document parsed the same file: its path leads to the same key in this document's text.
    const offset = file && tree ? trees.keyOffset(file, reader.mapPath, reader.code) : undefined;
    const group = offset === undefined ? undefined : groups.get(`${reader.file}#${offset}`);
    if (!group || group.change.action === 'skipped') continue;
    byGroup.set(group, [...(byGroup.get(group) ?? []), reader]);
  }
  for (const [group, list] of byGroup) {
    const first = list[0];
    const others = new Set(list.map((reader) => `${reader.reader} of ${reader.document}`)).size - 1;
    const more = others > 0 ? ` (and ${others} more reader${others === 1 ? '' : 's'})` : '';
    skip(
      group,
      `the key is shared with ${first.reader} of ${first.document}${more}, which is not migrated; ` +
        'give this document its own 403 entry first',
    );
  }
}

/**
 * A 403 entry that a `$ref` points at (`$ref: '#/paths/~1a/get/responses/403'`, or into it) cannot be renamed
 * or removed: that `$ref` would lead nowhere afterwards, and `lint` does not follow every `$ref` (a `404: {$ref:
 * ...}` would break in silence). Skip the key and name the `$ref`.
 */
function markPointedAt(set: DocumentSet, groups: Map<string, KeyGroup>): void {
  const open = [...groups.values()].filter((group) => group.change.action !== 'skipped');
  if (open.length === 0) return;
  const sites = collectRefSites(set);
  for (const group of open) {
    const site = sites.find(
      (candidate) => candidate.target?.file === group.file && isPrefix(group.keyPath, candidate.target.path),
    );
    if (!site) continue;
    const range = site.file.rangeOf([...site.path, '$ref'], true);
    const at = `${set.displayPath(site.file)}${range ? `:${range.start.line + 1}` : ''}`;
    skip(
      group,
      `a $ref points at this entry (${at}: '${site.ref}'), which would lead nowhere; move the response to ` +
        'components, $ref it from both places, then run again',
    );
  }
}

function planKey(
  set: DocumentSet,
  group: KeyGroup,
  status: string,
  swagger2: boolean,
  options: PlanOptions,
  fileOps: DataOp[],
  trees: TreeCache,
  renamedInto: Map<string, string>,
): void {
  const { file, keyPath, code, change } = group;
  // Content added through a YAML alias would land in the anchored node and every other user of it.
  const aliased = (path: JsonPath): boolean => {
    const tree = trees.get(file);
    return tree ? (nodeAt(tree, path)?.viaAlias ?? false) : true;
  };
  const mapPath = keyPath.slice(0, -1);
  const responses = getAtPath(file.data, mapPath);
  if (!isObject(responses)) return skip(group, 'the responses map was not found');
  const written = responses[code];
  const mapId = `${file.path}#${encodePointer(mapPath)}`;
  const renamedFrom = responses[status] === undefined ? renamedInto.get(mapId) : undefined;
  // The kept response as the text has it: the agreed status, or the other 403 spelling renamed to it.
  const keptKey = renamedFrom ?? status;
  const kept = responses[keptKey];
  if (kept === undefined) {
    fileOps.push({ kind: 'rename-key', map: mapPath, from: code, to: status });
    renamedInto.set(mapId, code);
    change.action = 'renamed';
    // Its own body says the status too (a problem details `status`): it follows the key (breaker35 #04).
    // A member reached through an alias or a merge key, or under an anchor, is shared with other nodes: left.
    const shared = (path: JsonPath): boolean => {
      const tree = trees.get(file);
      if (!tree) return true;
      const original = path.map((segment, index) => (index === mapPath.length ? code : segment));
      for (let end = mapPath.length + 1; end <= original.length; end++) {
        const found = nodeAt(tree, original.slice(0, end));
        if (!found || found.viaAlias || found.viaMerge || found.node.anchor) return true;
      }
      return false;
    };
    const body = bodyStatusEdits([...mapPath, status], written, status, swagger2, shared);
    if (body.ops.length) {
      fileOps.push(...body.ops);
      change.body = body.edited;
    }
    if (
      !options.wwwAuthenticate &&
      status === '401' &&
      !hasChallenge(follow(set, { file, path: keyPath, value: written })?.value)
    )
      change.noChallenge = true;
    if (options.wwwAuthenticate && status === '401' && isObject(written)) {
      if (typeof written.$ref === 'string') {
        change.reason = `it is a $ref, so WWW-Authenticate belongs in ${written.$ref} (see --rename-components)`;
        return;
      }
      if (aliased(keyPath)) {
        change.reason = 'it is a YAML alias shared with other nodes; add WWW-Authenticate by hand';
        return;
      }
      const op = addWwwAuthenticate([...mapPath, status], written, options.wwwAuthenticate, swagger2);
      // The response (or its headers) an anchor other nodes alias: the header would show there too.
      const tree = trees.get(file);
      const anchored = op && tree ? sharedFrom(tree, original(op, mapPath, code), keyPath.length) : undefined;
      if (anchored) {
        change.reason = `it is a YAML anchor other nodes alias: ${anchorText(trees, file, anchored)}; add WWW-Authenticate by hand`;
        return;
      }
      if (op) {
        fileOps.push(op);
        change.added.push('header WWW-Authenticate');
      }
    }
    return;
  }
  const removed = follow(set, { file, path: keyPath, value: written });
  const keptAt: Located = { file, path: [...mapPath, keptKey], value: kept };
  const keptFollowed = follow(set, keptAt);
  // What the 403 holds beyond the documented status cannot be told (nor merged) when that status cannot be
  // read: removing the 403 then could drop what the user wrote there for good.
  const unreadable = readError(set, keptAt);
  if (unreadable) {
    skip(
      group,
      `the documented ${status} cannot be read (${unreadable}); fix it and run again, the 403 is kept until then`,
    );
    return;
  }
  change.lost = missingParts(removed?.value, keptFollowed?.value);
  // Removing a node whose anchor an alias elsewhere reads would leave that alias undefined.
  const tree = trees.get(file);
  const orphaned = options.onConflict !== 'report' && tree ? aliasedFromOutside(tree, keyPath) : undefined;
  if (orphaned) {
    skip(
      group,
      `the 403 holds YAML anchor ${anchorText(trees, file, orphaned)}: removing it would leave that alias undefined; ` +
        `move the anchor to a node that stays (or copy the response there), then run again`,
    );
    return;
  }
  if (options.onConflict === 'report') {
    change.action = 'conflict';
    change.reason =
      renamedFrom === undefined
        ? `${status} is already documented (--on-conflict report)`
        : `the key ${JSON.stringify(renamedFrom)} of the same responses becomes ${status} (--on-conflict report)`;
    return;
  }
  if (options.onConflict === 'merge' && change.lost.length > 0) {
    const unmergeable = !isObject(kept)
      ? `the kept ${status} is not an object`
      : typeof kept.$ref === 'string'
        ? `the kept ${status} is a $ref (${kept.$ref}); fold the rest into it by hand`
        : !removed || !isObject(removed.value)
          ? 'the 403 could not be read'
          : removed.file !== file
            ? `the 403 is defined in ${set.displayPath(removed.file)}, whose $refs would not resolve here`
            : aliased([...mapPath, keptKey])
              ? `the kept ${status} is a YAML alias shared with other nodes; fold the rest into it by hand`
              : undefined;
    const merge =
      unmergeable === undefined && isObject(kept) && removed && isObject(removed.value)
        ? mergeOps([...mapPath, status], kept, removed.value, swagger2)
        : undefined;
    // A kept response (or a part of it) that is an anchor other nodes alias would change for them too.
    const anchored = merge && tree ? anchoredEdit(tree, merge.ops, mapPath, keptKey) : undefined;
    if (anchored) {
      change.reason = `the kept ${status} is a YAML anchor other nodes alias: ${anchorText(trees, file, anchored)}; fold the rest into it by hand`;
    } else if (merge) {
      fileOps.push(...merge.ops, { kind: 'remove-key', map: mapPath, key: code });
      change.action = 'merged';
      change.added = merge.added;
      change.lost = merge.left;
      if (renamedFrom !== undefined)
        change.reason = `the key ${JSON.stringify(renamedFrom)} of the same responses became ${status}`;
      return;
    } else {
      change.reason = unmergeable;
    }
  }
  fileOps.push({ kind: 'remove-key', map: mapPath, key: code });
  change.action = 'removed';
  if (renamedFrom !== undefined && change.reason === undefined)
    change.reason = `the key ${JSON.stringify(renamedFrom)} of the same responses became ${status}`;
}

/**
 * A path of an operation planned for the response renamed to `status` (`responses/401/headers`), as the text
 * writes it before the rename (`responses/403/headers`): where the anchors are looked for.
 */
function original(op: DataOp, mapPath: JsonPath, code: string): JsonPath {
  const path = op.kind === 'replace-value' ? op.path : op.map;
  return path.map((segment, index) => (index === mapPath.length ? code : segment));
}

/**
 * The first of a merge's operations into the kept response (`mapPath`, the agreed status written as `keptKey`) that
 * edits a node other places read through a YAML anchor, or replaces one holding an anchor read elsewhere.
 */
function anchoredEdit(
  tree: SourceTree,
  ops: readonly DataOp[],
  mapPath: JsonPath,
  keptKey: string,
): AnchorConflict | undefined {
  for (const op of ops) {
    const path = original(op, mapPath, keptKey);
    const found =
      sharedFrom(tree, path, mapPath.length + 1) ??
      (op.kind === 'replace-value' ? aliasedFromOutside(tree, path) : undefined);
    if (found) return found;
  }
  return undefined;
}

function skip(group: KeyGroup, reason: string): void {
  group.change.action = 'skipped';
  group.change.reason = reason;
}

/** Why the entry at `start` cannot be read (an unresolvable `$ref`, a file that does not parse), or undefined. */
function readError(set: DocumentSet, start: Located): string | undefined {
  try {
    set.follow(start);
    return undefined;
  } catch (error) {
    const inputError = findMtlsFixError(error);
    if (!inputError) throw error;
    return inputError.toLine();
  }
}

function follow(set: DocumentSet, start: Located): Located | undefined {
  try {
    return set.follow(start);
  } catch {
    return undefined;
  }
}

/** The suppressed findings among `findings`, one per place as written (operations sharing it listed together). */
function suppressedOf(set: DocumentSet, findings: readonly MtlsFinding[]): FixSuppressed[] {
  const byPlace = new Map<string, FixSuppressed>();
  for (const { ignored, location, operation } of findings) {
    if (!ignored) continue;
    const name = `${operation.method} ${operation.path}`;
    const pointer = encodePointer(location.path);
    const id = `${location.file.path}#${pointer}`;
    const existing = byPlace.get(id);
    if (existing) {
      if (!existing.operations.includes(name)) existing.operations.push(name);
      continue;
    }
    byPlace.set(id, {
      operations: [name],
      file: set.displayPath(location.file),
      line: (location.file.rangeOf(location.path, true)?.start.line ?? -1) + 1,
      pointer,
      by: ignored.by,
      reason: ignored.reason,
    });
  }
  return [...byPlace.values()];
}

/** Whether a response object has a `WWW-Authenticate` header (any case); false for what is not a response. */
function hasChallenge(response: unknown): boolean {
  if (!isObject(response) || !isObject(response.headers)) return false;
  return Object.keys(response.headers).some((name) => name.toLowerCase() === 'www-authenticate');
}
