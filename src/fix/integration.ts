import { findMtlsFixError } from '../errors.js';
import type { MtlsFinding } from '../findings/findings.js';
import { integrationForbiddenEntries } from '../openapi/aws-integration.js';
import { yaml11ForbiddenValue } from '../openapi/yaml11.js';
import {
  encodePointer,
  isObject,
  operationName,
  type DocumentSet,
  type OperationAnalysis,
  type SourceFile,
} from '../openapi/index.js';
import type { DataOp } from './ops.js';
import type { TreeCache } from './trees.js';
import type { FixChange, KeyGroup } from './types.js';
import { sharedFrom } from './anchors.js';
import { nodeAt } from './yaml-ast.js';

/** What {@link planIntegrationResponses} needs of the plan around it. */
export interface IntegrationPlanContext {
  set: DocumentSet;
  /** The agreed status. */
  status: string;
  /** The plan's 403 key groups, after their actions were decided. */
  groups: ReadonlyMap<string, KeyGroup>;
  /** Every operation of the document (mTLS-secured or not), as the analysis lists them. */
  operations: readonly OperationAnalysis[];
  trees: TreeCache;
  /** Overlay mode: only the root document can be edited. */
  rootOnly: boolean;
  opsFor: (file: SourceFile) => DataOp[];
}

/** One integration `statusCode` value as written, the operations that reach it, and what becomes of it. */
export interface IntegrationValue {
  change: FixChange;
  finding: MtlsFinding;
}

/**
 * Plans the `statusCode` of each Amazon API Gateway integration response that answers 403 on an mTLS-secured
 * operation, in two steps around the 403 keys' own plan. API Gateway answers an integration response only with a
 * status the method documents (its method responses: the operation's `responses`), so an operation's
 * integration `statusCode` and its 403 key change together or not at all.
 *
 * This first step (before the keys are planned) groups `findings` (the `mtls-no-403` findings with `site:
 * 'integration-response'`, suppressed ones left out) by value as written (several operations may reach one
 * through an alias) and skips, with the reason, the values that cannot change whatever the keys do: shared (a YAML
 * alias, a `$ref`) with an operation that is not migrated, in another file under overlay mode, inherited through
 * a YAML merge key, in a file that does not parse exactly. The 403 keys of every operation reaching a skipped value
 * are skipped too (and, in turn, the values of the other operations sharing those keys). Call
 * {@link finishIntegrationResponses} once the keys are planned.
 */
export function startIntegrationResponses(
  findings: readonly MtlsFinding[],
  context: IntegrationPlanContext,
): IntegrationValue[] {
  const { set } = context;
  if (findings.length === 0) return [];
  const readers = readersByValue(context);
  const byValue = new Map<string, IntegrationValue>();
  for (const finding of findings) {
    const { file, path } = finding.location;
    const id = valueId(context, file, path);
    const name = `${finding.operation.method} ${finding.operation.path}`;
    const existing = byValue.get(id);
    if (existing) {
      if (!existing.change.operations.includes(name)) existing.change.operations.push(name);
      continue;
    }
    byValue.set(id, { finding, change: valueChange(context, finding, 'integration-response') });
  }
  for (const [id, { change, finding }] of byValue) {
    const { file, path } = finding.location;
    const others = (readers.get(id) ?? []).filter((name) => !change.operations.includes(name));
    const reason =
      others.length > 0
        ? `the statusCode is shared with ${others[0]}${others.length > 1 ? ` (and ${others.length - 1} more)` : ''}, which is not migrated; give it its own integration response first`
        : context.rootOnly && file !== set.root
          ? `in ${change.file}; an Overlay addresses the root document only (run fix in place)`
          : notEditable(context, file, path, 'the statusCode');
    if (reason !== undefined) skipValue(change, reason);
  }
  const values = [...byValue.values()];
  holdKeys(values, context.groups);
  return values;
}

/**
 * The second step, once the 403 keys are planned: each value not skipped yet is set to the agreed status when
 * every 403 key of its operations is renamed, removed or merged (or, for an operation without a 403 key, when it
 * documents the agreed status), else skipped with the reason; the edits go to `context.opsFor`. Returns the
 * changes, one per value.
 */
export function finishIntegrationResponses(
  values: readonly IntegrationValue[],
  context: IntegrationPlanContext,
): FixChange[] {
  const keysByOperation = new Map<string, KeyGroup[]>();
  for (const group of context.groups.values())
    for (const name of group.operations)
      keysByOperation.set(name, [...(keysByOperation.get(name) ?? []), group]);
  for (const { change, finding } of values) {
    if (change.action === 'skipped') continue;
    const blocked = change.operations
      .map((name) => followsKeys(context, name, keysByOperation.get(name) ?? []))
      .find((reason) => reason !== undefined);
    if (blocked !== undefined) {
      skipValue(change, blocked);
      continue;
    }
    replaceStatus(context, finding);
  }
  return values.map((value) => value.change);
}

/** The change for one `statusCode` value of an integration or gateway response, before any decision. */
function valueChange(
  context: IntegrationPlanContext,
  finding: MtlsFinding,
  site: 'integration-response' | 'gateway-response',
): FixChange {
  const { file, path, value } = finding.location;
  return {
    action: 'replaced',
    operations: [`${finding.operation.method} ${finding.operation.path}`],
    file: context.set.displayPath(file),
    line: (file.rangeOf(path, true)?.start.line ?? -1) + 1,
    pointer: encodePointer(path),
    // A value only YAML 1.1 reads as 403 (`0623`) is named as written, not as YAML 1.2 read it (623).
    from: yaml11ForbiddenValue(file, path, value) ?? String(value),
    to: context.status,
    lost: [],
    added: [],
    site,
    selection: String(path[path.length - 2]),
  };
}

/**
 * Why the node at `path` of `file` cannot be edited in place, or undefined when it can: the file does not parse
 * exactly, the node cannot be located, it is inherited through a YAML merge key, or (with `aliases`) it comes
 * through a YAML alias or is under an anchor that an alias or merge key elsewhere reads. `thing` names the node in the reason (`the statusCode`). Shared by the planners of values
 * and keys that are not 403 response keys (API Gateway, Kong).
 */
export function notEditable(
  context: Pick<IntegrationPlanContext, 'trees'>,
  file: SourceFile,
  path: readonly (string | number)[],
  thing: string,
  aliases = false,
): string | undefined {
  const tree = context.trees.get(file);
  if (!tree) return 'the file does not parse exactly enough to edit in place; change it by hand';
  const reached = nodeAt(tree, [...path]);
  // Not found because the `yaml` package reports an error in the file (session 33, Raidiam's trust-framework.yaml: a
  // multi-line double-quoted scalar whose last line sits at its key's indentation) is a parse failure, said so.
  if (!reached && tree.full() === undefined && !tree.regionOf([...path]))
    return 'the file does not parse exactly enough to edit in place (the yaml package reports an error in it); change it by hand';
  if (!reached) return `${thing} could not be located in the file; change it by hand`;
  if (reached.viaMerge)
    return `${thing} is inherited through a YAML merge key (<<); change it where it is written`;
  if (!aliases) return undefined;
  if (reached.viaAlias) return `${thing} comes through a YAML alias; change it where it is written`;
  // The other side of an alias: a node on the way that is an anchor other places read (breaker36 #03).
  const anchored = sharedFrom(tree, [...path], 1);
  return anchored
    ? `${thing} is under YAML anchor &${anchored.shared.anchor}, which other places alias; change it by hand where each ` +
        'needs it'
    : undefined;
}

/**
 * Plans the finding's `statusCode` set to the agreed status, an integer for an integer: also for a plain scalar
 * only YAML 1.1 reads as 403 (`4_03`, a string to YAML 1.2), so it is written plain as the user wrote it
 * (`401`), never quoted (before session 24: `"401"`, double quotes in a file that writes `'...'`).
 */
function replaceStatus(context: IntegrationPlanContext, finding: MtlsFinding): void {
  const { file, path, value } = finding.location;
  const integer = typeof value === 'number' || yaml11ForbiddenValue(file, path, value) !== undefined;
  context.opsFor(file).push({
    kind: 'replace-value',
    path,
    value: integer ? Number(context.status) : context.status,
  });
}

function skipValue(change: FixChange, reason: string): void {
  change.action = 'skipped';
  change.reason = reason;
}

/**
 * Skips the 403 keys of every operation that reaches a skipped value (its method response must keep answering
 * the 403 the integration still sends), then the values of the operations those keys also serve, until nothing
 * more changes.
 */
function holdKeys(values: readonly IntegrationValue[], groups: ReadonlyMap<string, KeyGroup>): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const { change } of values) {
      if (change.action !== 'skipped') continue;
      for (const group of groups.values()) {
        if (group.change.action === 'skipped') continue;
        const name = group.operations.find((operation) => change.operations.includes(operation));
        if (name === undefined) continue;
        group.change.action = 'skipped';
        group.change.reason =
          `${name}'s API Gateway integration answers 403 (${change.file}:${change.line}) and cannot change ` +
          '(listed there), so its 403 response stays documented';
        changed = true;
        for (const other of values) {
          if (other.change.action === 'skipped') continue;
          if (!other.change.operations.some((operation) => group.operations.includes(operation))) continue;
          skipValue(
            other.change,
            `it follows the 403 response at ${group.change.file}:${group.change.line}, which is not changed`,
          );
        }
      }
    }
  }
}

/**
 * Why the integration responses of operation `name` cannot follow its 403 keys (`keys`: the groups that name
 * it), or undefined when they can: every key renamed, removed or merged, or no key and the agreed status
 * documented.
 */
function followsKeys(
  context: IntegrationPlanContext,
  name: string,
  keys: readonly KeyGroup[],
): string | undefined {
  const left = keys.find((group) => !['renamed', 'removed', 'merged'].includes(group.change.action));
  if (left) {
    return (
      `it follows ${name}'s 403 response (${left.change.file}:${left.change.line}), which is not changed; ` +
      'API Gateway answers only a status the method documents'
    );
  }
  if (keys.length > 0) return undefined;
  const analysis = context.operations.find((entry) => operationName(entry.operation) === name);
  if (analysis && documentsStatus(context, analysis, context.status)) return undefined;
  return (
    `${name} documents no ${context.status} response, and API Gateway answers only a status the method ` +
    `documents; document ${context.status}, then run again`
  );
}

/** Whether the operation's `responses` (after `$ref`s) has the key `status`. */
function documentsStatus(
  context: IntegrationPlanContext,
  analysis: OperationAnalysis,
  status: string,
): boolean {
  const { operation } = analysis;
  try {
    const responses = context.set.follow({
      file: operation.location.file,
      path: [...operation.location.path, 'responses'],
      value: operation.location.value.responses,
    });
    return isObject(responses?.value) && Object.keys(responses.value).some((code) => code.trim() === status);
  } catch (error) {
    if (findMtlsFixError(error)) return false;
    throw error;
  }
}

/** One id per value as written: the text offset of its node when a tree has it, else its file and pointer. */
function valueId(
  context: IntegrationPlanContext,
  file: SourceFile,
  path: readonly (string | number)[],
): string {
  const tree = context.trees.get(file);
  const node = tree ? nodeAt(tree, [...path]) : undefined;
  const offset = node?.node?.range?.[0];
  return `${file.path}#${offset ?? encodePointer([...path])}`;
}

/**
 * Every operation (mTLS-secured or not) that reaches each 403 integration `statusCode` value, by value id: a value
 * shared through a YAML alias or a `$ref` with an operation this run does not migrate must stay. Operations whose
 * integration cannot be read are left out (lint names them).
 */
function readersByValue(context: IntegrationPlanContext): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  for (const { operation } of context.operations) {
    let entries;
    try {
      entries = integrationForbiddenEntries(context.set, operation);
    } catch (error) {
      if (findMtlsFixError(error)) continue;
      throw error;
    }
    for (const entry of entries) {
      const id = valueId(context, entry.location.file, entry.location.path);
      readers.set(id, [...(readers.get(id) ?? []), operationName(operation)]);
    }
  }
  return readers;
}

/**
 * Plans the `statusCode` of each API Gateway gateway response set to 403 (`findings`: the `mtls-no-403` findings
 * with `site: 'gateway-response'`, suppressed ones left out). A gateway response serves every method of the API,
 * so it becomes the agreed status only when every operation of the document is mTLS-secured; otherwise it is
 * skipped, naming an operation that is not, as a key shared with one is. Also skipped: a value that is not in
 * an exactly parsed file, or that comes through a YAML merge key. Returns one change per value.
 */
export function planGatewayResponses(
  findings: readonly MtlsFinding[],
  context: IntegrationPlanContext,
): FixChange[] {
  const open = context.operations.find((entry) => !entry.mtls);
  return findings.map((finding) => {
    const change = valueChange(context, finding, 'gateway-response');
    const reason = open
      ? `the gateway response serves every operation, and ${operationName(open.operation)} is not mTLS-secured; ` +
        'change it by hand if that is meant'
      : notEditable(context, finding.location.file, finding.location.path, 'the statusCode');
    if (reason !== undefined) skipValue(change, reason);
    else replaceStatus(context, finding);
    return change;
  });
}
