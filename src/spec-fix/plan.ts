import type { ResolvedConfig } from '../config/resolve.js';
import type { DocumentSet } from '../openapi/index.js';
import { analyzeDocument, encodePointer, type Located, type SourceFile } from '../openapi/index.js';
import { getAtPath, isObject, type JsonPath } from '../openapi/pointer.js';
import { computeFindings, toEffectiveOptions } from '../lint/findings.js';
import { lostInformation } from './conflict.js';
import { mergeResponses } from './merge.js';
import { planComponentRenames } from './rename-components.js';
import { removeEntryEdit, renameKeyEdit, replaceValueEdit, type TextEdit } from './text-edits.js';
import { stringify as stringifyYaml } from 'yaml';
import type { SpecVersion } from '../openapi/version.js';
import { addHeaderEdit, wwwAuthenticateHeader } from './www-authenticate.js';
import { detectVersion } from '../openapi/version.js';

export type ConflictMode = 'keep' | 'merge' | 'report';

/** One response entry mtls-fix changes (or would, or cannot). */
export interface SpecChange {
  /** `renamed`: 403 became the agreed status; `removed`: the operation already documents it, 403 dropped;
   *  `conflict`: both kept (`--on-conflict report`); `skipped`: the key cannot be edited safely. */
  action: 'renamed' | 'removed' | 'merged' | 'conflict' | 'skipped';
  operations: string[];
  /** The file holding the key (display path) and its 1-based line. */
  file: string;
  line: number;
  pointer: string;
  from: string;
  to: string;
  /** For removed and conflict: what the 403 entry held that the kept one lacks. */
  lost: string[];
  reason?: string;
  /** Follow-ups for a person, e.g. where to add `WWW-Authenticate` when the response is shared. */
  notes: string[];
}

/** The logical operation behind an edit, replayed on the parsed data to verify the edited text. */
export interface DataOperation {
  responsesPath: JsonPath;
  kind: 'rename' | 'remove' | 'add-header' | 'replace' | 'set-ref';
  from: string;
  to: string;
  /** For `add-header`: the `WWW-Authenticate` header object added to the response `to`. */
  header?: Record<string, unknown>;
  /** For `replace`: the new value of the response `to` (a merge). */
  value?: Record<string, unknown>;
}

export interface SpecFixOptions {
  onConflict: ConflictMode;
  /** For a 401 target: add a `WWW-Authenticate` header with this scheme where the new response has none. */
  wwwAuthenticate?: string;
  /** Rename 403 components whose every user is migrated; `componentName` overrides the derived name. */
  renameComponents?: boolean;
  componentName?: string;
}

export interface FilePlan {
  file: SourceFile;
  edits: TextEdit[];
  operations: DataOperation[];
}

export interface SpecPlan {
  set: DocumentSet;
  changes: SpecChange[];
  /** Document-wide notes (component renames). */
  notes: string[];
  files: FilePlan[];
}

/** Plans the edits that turn each mtls-no-403 finding into the agreed status, per file holding a key. */
export function planSpecFix(set: DocumentSet, config: ResolvedConfig, options: SpecFixOptions): SpecPlan {
  const version = detectVersion(set.root.data, set.displayPath(set.root));
  const status = String(config.status);
  const findings = computeFindings(set, toEffectiveOptions(config)).filter((f) => f.rule === 'mtls-no-403');
  // Several operations can share one key (a path item used twice); each key is edited once.
  const byKey = new Map<string, { location: Located; operations: string[] }>();
  for (const finding of findings) {
    const key = `${finding.location.file.path}#${encodePointer(finding.location.path)}`;
    const entry = byKey.get(key) ?? { location: finding.location, operations: [] };
    entry.operations.push(`${finding.operation.method} ${finding.operation.path}`);
    byKey.set(key, entry);
  }
  const ranges = new Map<SourceFile, JsonPath[]>();
  for (const { location } of byKey.values())
    ranges.set(location.file, [...(ranges.get(location.file) ?? []), location.path]);
  for (const [file, paths] of ranges) file.prepareRanges(paths);

  const sharedWithPublic = keysOfOperationsWithoutMtls(set, config);
  const changes: SpecChange[] = [];
  const plans = new Map<SourceFile, FilePlan>();
  for (const { location, operations } of byKey.values()) {
    const { file, path: keyPath } = location;
    const code = String(keyPath[keyPath.length - 1]);
    const responsesPath = keyPath.slice(0, -1);
    const responses = getAtPath(file.data, responsesPath);
    const range = file.rangeOf(keyPath, true);
    const base = {
      operations,
      file: set.displayPath(file),
      line: range ? range.start.line + 1 : 0,
      pointer: encodePointer(keyPath),
      from: code,
      to: status,
      lost: [] as string[],
      notes: [] as string[],
    };
    const publicUsers = sharedWithPublic.get(`${file.path}#${encodePointer(keyPath)}`);
    if (publicUsers) {
      changes.push({
        ...base,
        action: 'skipped',
        reason: `the key is shared with operations that are not mTLS-secured (${publicUsers.join(', ')}); give the mTLS ones their own path item first`,
      });
      continue;
    }
    const existing = isObject(responses) ? responses[status] : undefined;
    const plan = plans.get(file) ?? { file, edits: [], operations: [] };
    plans.set(file, plan);
    if (existing === undefined) {
      const edit = renameKeyEdit(file, keyPath, code, config.status);
      if (!edit) {
        changes.push({
          ...base,
          action: 'skipped',
          reason: 'the key is in a YAML flow mapping; rename it by hand',
        });
        continue;
      }
      plan.edits.push(edit);
      plan.operations.push({ responsesPath, kind: 'rename', from: code, to: status });
      const change: SpecChange = { ...base, action: 'renamed' };
      if (options.wwwAuthenticate && config.status === 401) {
        const header = wwwAuthenticateHeader(version, options.wwwAuthenticate);
        const value = isObject(responses) ? responses[code] : undefined;
        const note = challengeNote(value);
        const headerEdit = note === undefined ? addHeaderEdit(file, keyPath, code, header) : undefined;
        if (headerEdit) {
          plan.edits.push(headerEdit);
          plan.operations.push({ responsesPath, kind: 'add-header', from: code, to: status, header });
        } else if (note !== null) {
          change.notes.push(
            note ?? 'add a WWW-Authenticate header to this response by hand (it is written in flow style)',
          );
        }
      }
      changes.push(change);
      continue;
    }
    const lost = lostInformation(set, location, { file, path: [...responsesPath, status], value: existing });
    if (options.onConflict === 'report') {
      changes.push({ ...base, action: 'conflict', lost });
      continue;
    }
    if (options.onConflict === 'merge') {
      const merge = planMerge(set, version, location, {
        file,
        path: [...responsesPath, status],
        value: existing,
      });
      if (typeof merge === 'string') {
        changes.push({ ...base, action: 'conflict', lost, notes: [merge] });
        continue;
      }
      const removal = removeEntryEdit(file, keyPath, code);
      const replacement = replaceValueEdit(file, [...responsesPath, status], status, merge.merged, printYaml);
      if (!removal || !replacement) {
        changes.push({
          ...base,
          action: 'skipped',
          lost,
          reason: 'an entry is in a YAML flow mapping; merge by hand',
        });
        continue;
      }
      plan.edits.push(removal, replacement);
      plan.operations.push(
        { responsesPath, kind: 'replace', from: code, to: status, value: merge.merged },
        { responsesPath, kind: 'remove', from: code, to: status },
      );
      changes.push({ ...base, action: 'merged', lost: [], notes: merge.notes });
      continue;
    }
    const edit = removeEntryEdit(file, keyPath, code);
    if (!edit) {
      changes.push({
        ...base,
        action: 'skipped',
        lost,
        reason: 'the key is in a YAML flow mapping; remove it by hand',
      });
      continue;
    }
    plan.edits.push(edit);
    plan.operations.push({ responsesPath, kind: 'remove', from: code, to: status });
    changes.push({ ...base, action: 'removed', lost });
  }
  const rootPlan = plans.get(set.root);
  const notes: string[] = [];
  if (options.renameComponents && rootPlan) {
    const renames = planComponentRenames(set, version, rootPlan, config.status, options.componentName);
    rootPlan.edits.push(...renames.edits);
    rootPlan.operations.push(...renames.operations);
    notes.push(...renames.notes);
  }
  return { set, changes, notes, files: [...plans.values()].filter((plan) => plan.edits.length > 0) };
}

/**
 * Why the header cannot be added here (a shared `$ref`'d response), null when it is already there,
 * undefined when it can be added in place.
 */
function challengeNote(value: unknown): string | null | undefined {
  if (!isObject(value)) return 'add a WWW-Authenticate header to this response by hand';
  if (typeof value.$ref === 'string') {
    return `the response is shared through $ref '${value.$ref}': add WWW-Authenticate there if every user of it answers 401`;
  }
  const headers = isObject(value.headers) ? Object.keys(value.headers) : [];
  return headers.some((name) => name.toLowerCase() === 'www-authenticate') ? null : undefined;
}

/** The merged response, or why it cannot be merged in place. */
function planMerge(
  set: DocumentSet,
  version: SpecVersion,
  removed: Located,
  kept: Located,
): { merged: Record<string, unknown>; notes: string[] } | string {
  if (isObject(kept.value) && typeof kept.value.$ref === 'string') {
    return `the kept ${String(kept.path[kept.path.length - 1])} is shared through $ref '${kept.value.$ref}': merge into it by hand`;
  }
  const from = set.follow(removed)?.value;
  if (!isObject(kept.value) || !isObject(from)) return 'an entry is not an object: merge by hand';
  return mergeResponses(kept.value, from, version);
}

function printYaml(value: unknown, indent: number): string {
  return stringifyYaml(value, { indent, lineWidth: 0 });
}

/**
 * 403 keys written where operations that are not mTLS-secured read them too (a path item `$ref`'d from a
 * public and an mTLS path): renaming them would change the public operations' contract as well.
 */
function keysOfOperationsWithoutMtls(set: DocumentSet, config: ResolvedConfig): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const { operation, mtls } of analyzeDocument(set, config.mtls).operations) {
    if (mtls) continue;
    const responses = operation.location.value.responses;
    if (!isObject(responses) || responses['403'] === undefined) continue;
    const key = `${operation.location.file.path}#${encodePointer([...operation.location.path, 'responses', '403'])}`;
    keys.set(key, [...(keys.get(key) ?? []), `${operation.method} ${operation.path}`]);
  }
  return keys;
}
