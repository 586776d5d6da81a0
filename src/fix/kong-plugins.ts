import type { MtlsFinding } from '../findings/findings.js';
import { kongDenialEntries, type KongDenialEntry } from '../openapi/kong-plugins.js';
import { encodePointer, isObject, operationName, type JsonPath } from '../openapi/index.js';
import { notEditable, type IntegrationPlanContext } from './integration.js';
import type { FixChange } from './types.js';

/**
 * Plans the `x-kong-plugin-*` extensions whose Kong plugin answers 403 on mTLS-secured operations (`findings`: the
 * `mtls-no-403` findings with `site: 'kong-plugin'`, suppressed ones left out; `entries`: the analysis' Kong
 * denials, matched by location). A plugin with a status setting gets the agreed status there, an integer as Kong
 * reads it (`ip-restriction`: `config.status` set or added; `request-termination`: `config.status_code`); one
 * without (`acl`, `bot-detection`, a serverless function's Lua) is skipped with the reason. Also skipped: a plugin
 * that applies to an operation that is not mTLS-secured (changing it would change that operation's answers too),
 * one in another file under overlay mode, through a YAML alias or merge key, or in a file that does not parse
 * exactly. Returns one change per finding.
 */
export function planKongPlugins(
  findings: readonly MtlsFinding[],
  entries: readonly KongDenialEntry[],
  context: IntegrationPlanContext,
): FixChange[] {
  if (findings.length === 0) return [];
  const { set, status } = context;
  // The same nearest-plugin rule over every operation: who else each extension serves.
  const everyone = kongDenialEntries(
    set,
    context.operations.map((entry) => entry.operation),
  );
  const changes: FixChange[] = [];
  for (const finding of findings) {
    const { file, path } = finding.location;
    const pointer = encodePointer(path);
    const entry = entries.find(
      (candidate) => candidate.location.file === file && encodePointer(candidate.location.path) === pointer,
    );
    const setting = entry?.denial.setting;
    const config = isObject(finding.location.value) ? finding.location.value.config : undefined;
    const target: JsonPath = setting?.kind === 'field' ? [...path, 'config', setting.field] : path;
    const change: FixChange = {
      action: 'replaced',
      operations: (entry?.operations ?? []).map((operation) => operationName(operation)),
      file: set.displayPath(file),
      line: (file.rangeOf(path, true)?.start.line ?? -1) + 1,
      pointer: encodePointer(target),
      from: '403',
      to: status,
      lost: [],
      added: [],
      site: 'kong-plugin',
      selection: finding.kongPlugin ?? '',
    };
    changes.push(change);
    const served = everyone.find(
      (candidate) => candidate.location.file === file && encodePointer(candidate.location.path) === pointer,
    );
    const open = served?.operations.find(
      (operation) => !context.operations.some((entry) => entry.operation === operation && entry.mtls),
    );
    const reason = !entry
      ? 'the plugin could not be matched to the analysis; change it by hand'
      : entry.through
        ? 'the plugin is a $ref to a reusable configuration other routes may share; change it where it is written'
        : setting?.kind === 'none'
          ? `${setting.why}; answer ${status} where Kong answers (its exit-transformer plugin, or your own plugin), or suppress it with x-mtls-fix-ignore and the reason on the operations`
          : open
            ? `the plugin also serves ${operationName(open)}, which is not mTLS-secured; change it by hand if that is meant`
            : context.rootOnly && file !== set.root
              ? `in ${change.file}; an Overlay addresses the root document only (run fix in place)`
              : notEditable(context, file, path, 'the plugin', true);
    if (reason !== undefined || setting?.kind !== 'field') {
      change.action = 'skipped';
      change.reason = reason ?? 'the plugin has no status setting';
      continue;
    }
    const value = Number(status);
    const ops = context.opsFor(file);
    if (isObject(config) && config[setting.field] !== undefined) {
      ops.push({ kind: 'replace-value', path: target, value });
    } else if (isObject(config)) {
      ops.push({ kind: 'add-key', map: [...path, 'config'], key: setting.field, value });
      change.added = [`config.${setting.field}`];
    } else if (config === undefined) {
      ops.push({ kind: 'add-key', map: path, key: 'config', value: { [setting.field]: value } });
      change.added = [`config.${setting.field}`];
    } else {
      change.action = 'skipped';
      change.reason = 'its config is not a map; change it by hand';
    }
  }
  return changes;
}
