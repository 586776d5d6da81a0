import { SEPARATE_DEFAULTS } from '../lint/format/group-default.js';
import type { FixAction, FixChange, FixLeft, FixReport, FixSuppressed } from './types.js';

const VERBS: Record<FixAction, (change: FixChange) => string> = {
  renamed: (c) => `${key(c.from)} -> ${c.to}`,
  removed: (c) => `${key(c.from)} removed: ${c.to} is already documented`,
  merged: (c) => `${key(c.from)} merged into the documented ${c.to}`,
  conflict: (c) => `${key(c.from)} left beside the documented ${c.to} (--on-conflict report)`,
  skipped: (c) => `${integration(c)}${shown(c)} not changed`,
  replaced: (c) => `${integration(c)}${shown(c)} -> ${c.to}`,
};

/**
 * `integration response ".*Forbidden.*" statusCode ` (or `gateway response ACCESS_DENIED statusCode `) before an
 * API Gateway integration or gateway response's change.
 */
function integration(change: FixChange): string {
  return change.site === 'integration-response'
    ? `integration response ${JSON.stringify(change.selection ?? '')} statusCode `
    : change.site === 'gateway-response'
      ? `gateway response ${change.selection ?? ''} statusCode `
      : change.site === 'gateway-default'
        ? `gateway response ${change.selection ?? ''} statusCode (default) `
        : change.site === 'kong-plugin'
          ? `Kong plugin ${change.selection ?? ''} status `
          : '';
}

/** Who a suppression comes from, as the human report names it. */
const SUPPRESSED_BY: Record<FixSuppressed['by'], string> = {
  response: 'x-mtls-fix-ignore on the response',
  operation: 'x-mtls-fix-ignore on the operation',
  'path-item': 'x-mtls-fix-ignore on the path item',
  config: 'a config ignore entry',
};

/** `403`, or a key that counts as 403 quoted as written (`"403 "`), so two spellings read apart. */
function key(code: string): string {
  return code === '403' ? code : JSON.stringify(code);
}

/**
 * What a change replaces: a response key as `key` shows it; a status value (API Gateway, Kong) as the file writes
 * it, quotes included (`'0623'`, `"0623"`, `4_03`, `!!str 0623`), since `from` holds it as written (before
 * session 26 it was quoted again: `"\"0623\""`); an empty one (`statusCode:`) as `(empty)`.
 */
function shown(change: FixChange): string {
  if (change.site === undefined) return key(change.from);
  return change.from.trim() === '' ? '(empty)' : change.from;
}

/**
 * The human report: per file, each 403 key with its operations, what became of it and where; for removed
 * entries, what the 403 held that the kept response lacks; then one summary line.
 */
export function formatFixReport(report: FixReport, overlayFile?: string): string {
  const out: string[] = [];
  for (const document of report.documents) {
    const byFile = new Map<string, string[]>();
    const add = (file: string, lines: string[]): void => {
      // In place: copying the list per change made the report quadratic in the number of changes.
      const list = byFile.get(file);
      if (list) list.push(...lines);
      else byFile.set(file, lines);
    };
    for (const change of document.changes) {
      const lines = [
        `  ${change.operations.join(', ')}  ${VERBS[change.action](change)}  (${change.file}:${change.line})`,
      ];
      if (change.added.length > 0) lines.push(`      added: ${change.added.join('; ')}`);
      if (change.body?.length)
        lines.push(`      its body said 403, now ${change.to}: ${change.body.join('; ')}`);
      if (change.lost.length > 0) {
        const held =
          change.action === 'merged'
            ? 'still to fold in by hand'
            : `the 403 held what the ${change.to} lacks`;
        lines.push(`      ${held}: ${change.lost.join('; ')}`);
      }
      if (change.reason) lines.push(`      ${change.reason}`);
      add(change.file, lines);
    }
    for (const item of document.suppressed) {
      add(item.file, [
        `  ${item.operations.join(', ')}  403 left as it is: suppressed by ${SUPPRESSED_BY[item.by]} ` +
          `(${JSON.stringify(item.reason)})  (${item.file}:${item.line})`,
      ]);
    }
    const defaults = groupedDefaults(document.left);
    for (const left of document.left) {
      const group = defaults.get(left);
      if (group === null) continue;
      if (group) {
        add(left.file, [groupedLine(group, report.status)]);
        continue;
      }
      const described = left.described
        ? `; its description says it answers 403 (${JSON.stringify(left.described)}): change that text with the code`
        : '';
      add(left.file, [
        `  ${left.operations.join(', ')}  ${left.code} left as it is: ${leftWhy(left.code)}; make sure the ` +
          `code answers ${report.status} instead of 403 (\`mtls-fix migrate\`)${described}  (${left.file}:${left.line})`,
      ]);
    }
    for (const component of document.components) {
      const what =
        component.action === 'renamed'
          ? `component ${component.from} -> ${component.to} (${component.refs} $ref${component.refs === 1 ? '' : 's'} rewritten)`
          : `component ${component.from} not renamed: ${component.reason ?? ''}`;
      add(component.file, [`  ${what}  (${component.file}:${component.line})`]);
    }
    for (const [file, lines] of byFile) out.push(file, ...lines);
  }
  out.push(...(out.length > 0 ? [''] : []), summaryLine(report, overlayFile));
  return out.join('\n');
}

/** `default` keys of one file named one by one in a grouped line; the rest are counted. */
const GROUP_NAMED = 3;

/**
 * Like lint's human reports (lint/format/group-default.ts): more than {@link SEPARATE_DEFAULTS} `default` keys
 * left in one file make one line. Maps the first of each such group to the group and the others to null; a
 * `default` in a smaller group, and every `4XX`, is not in the map (its own line). `--json` lists each.
 */
function groupedDefaults(left: readonly FixLeft[]): Map<FixLeft, FixLeft[] | null> {
  const byFile = new Map<string, FixLeft[]>();
  for (const entry of left) {
    // One whose description names a 403 keeps its own line, which quotes that text.
    if (entry.code.trim() !== 'default' || entry.described) continue;
    const list = byFile.get(entry.file);
    if (list) list.push(entry);
    else byFile.set(entry.file, [entry]);
  }
  const grouped = new Map<FixLeft, FixLeft[] | null>();
  for (const list of byFile.values()) {
    if (list.length <= SEPARATE_DEFAULTS) continue;
    list.forEach((entry, index) => grouped.set(entry, index === 0 ? list : null));
  }
  return grouped;
}

/**
 * `  6 'default' responses left as they are (GET /a (line 9); ... and 3 more): why; what to do. ...lists each.`
 * The lines are in the file the report's heading names (a group is one file's).
 */
function groupedLine(group: readonly FixLeft[], status: number): string {
  const named = group
    .slice(0, GROUP_NAMED)
    .map((entry) => `${entry.operations.join(', ')} (line ${entry.line})`);
  const more = group.length > GROUP_NAMED ? ` and ${group.length - GROUP_NAMED} more` : '';
  return (
    `  ${group.length} 'default' responses left as they are (${named.join('; ')}${more}): ${leftWhy('default')}; ` +
    `make sure the code answers ${status} instead of 403 (\`mtls-fix migrate\`). \`fix --json\` lists each.`
  );
}

/** Why a range key is not renamed. */
function leftWhy(code: string): string {
  return code.trim() === 'default'
    ? "'default' stands for every status not listed, a 403 included, and is not one status to rename"
    : 'a range is not one status to rename, and a 403 may be sent under it';
}

/** `response`, `responses`, or `parts` when path items or operations are among them (the pointer says which). */
function unreadWhat(unread: FixReport['unread']): string {
  const responses = unread.every((error) => /\/responses\//.test(error.location?.key ?? ''));
  return responses ? `response${unread.length === 1 ? '' : 's'}` : `part${unread.length === 1 ? '' : 's'}`;
}

function summaryLine(report: FixReport, overlayFile?: string): string {
  const changes = report.documents.flatMap((document) => document.changes);
  const failed = report.errors.length;
  const unread = report.unread.length;
  const notFixed =
    (failed > 0
      ? ` ${failed} document${failed === 1 ? '' : 's'} could not be fixed (errors on stderr).`
      : '') +
    (unread > 0 ? ` ${unread} ${unreadWhat(report.unread)} could not be read (errors on stderr).` : '');
  const left = report.documents.reduce((sum, document) => sum + document.left.length, 0);
  const leftText =
    left > 0
      ? ` ${left} 4XX/default response${left === 1 ? '' : 's'} left as ${left === 1 ? 'it is' : 'they are'} (listed above).`
      : '';
  const suppressed = report.documents.reduce((sum, document) => sum + document.suppressed.length, 0);
  const suppressedText =
    suppressed > 0
      ? ` ${suppressed} suppressed 403${suppressed === 1 ? '' : 's'} left as ${suppressed === 1 ? 'it is' : 'they are'} (listed above).`
      : '';
  // Documents with no mTLS-secured operation whose operations document a 403: none was checked (breaker36 #04).
  const unchecked = uncheckedOf(report);
  const uncheckedText = unchecked ? ` ${uncheckedPhrase(unchecked)}.` : '';
  // Not one document read: nothing was checked, and the line must not read as clean.
  if (changes.length === 0 && failed > 0 && report.documents.length === 0)
    return `No document could be read, so no 403 was checked:${notFixed}`;
  if (changes.length === 0 && unchecked && unchecked.documents >= report.documents.length)
    return `Nothing checked: ${uncheckedPhrase(unchecked)}.${suppressedText}${leftText}${notFixed}`;
  if (changes.length === 0)
    return failed > 0
      ? `No 403 response on an mTLS-secured operation in the documents read.${uncheckedText}${suppressedText}${leftText}${notFixed}`
      : left > 0 || suppressed > 0 || unchecked
        ? `No 403 response on an mTLS-secured operation to rename.${uncheckedText}${suppressedText}${leftText}${notFixed}`
        : `No 403 response on an mTLS-secured operation: nothing to do.${notFixed}`;
  const keys = changes.filter((change) => change.site === undefined);
  const statuses = changes.length - keys.length;
  const count = (action: FixAction): number => keys.filter((change) => change.action === action).length;
  // A file that several documents of the run edit is one file.
  const files = new Set(report.documents.flatMap((document) => document.files.map((file) => file.file))).size;
  const tail =
    report.mode === 'overlay'
      ? `overlay with ${report.overlay?.actions.length ?? 0} actions written to ${overlayFile ?? 'the --overlay file'}; the document is unchanged`
      : report.mode === 'write'
        ? `${files} file${files === 1 ? '' : 's'} written`
        : `${files} file${files === 1 ? '' : 's'} would change; nothing written`;
  const parts = [
    `${count('renamed')} renamed`,
    `${count('removed')} removed`,
    `${count('merged')} merged`,
    `${count('conflict')} conflicts`,
    `${count('skipped')} skipped`,
  ];
  // Statuses a gateway sends (API Gateway statusCodes, Kong plugin settings), counted per gateway.
  const gatewayText = (label: string, plural: string, list: readonly FixChange[]): string => {
    const set = list.filter((change) => change.action === 'replaced').length;
    return `${list.length} ${list.length === 1 ? label : plural}: ${set} set to ${report.status}, ${list.length - set} skipped`;
  };
  const aws = changes.filter((change) => change.site !== undefined && change.site !== 'kong-plugin');
  const kong = changes.filter((change) => change.site === 'kong-plugin');
  const integrations =
    statuses > 0
      ? `${keys.length > 0 ? '; ' : ''}${[
          ...(aws.length > 0 ? [gatewayText('API Gateway statusCode', 'API Gateway statusCodes', aws)] : []),
          ...(kong.length > 0 ? [gatewayText('Kong plugin status', 'Kong plugin statuses', kong)] : []),
        ].join('; ')}`
      : '';
  const keysText =
    keys.length > 0 || statuses === 0
      ? `${keys.length} 403 key${keys.length === 1 ? '' : 's'}: ${parts.join(', ')}`
      : '';
  const bare = keys.filter((change) => change.action === 'renamed' && change.noChallenge).length;
  const challengeText =
    bare > 0
      ? ` ${bare} new 401${bare === 1 ? '' : 's'} carr${bare === 1 ? 'ies' : 'y'} no WWW-Authenticate header (RFC 9110 ` +
        `§15.5.2: a 401 MUST carry one; --www-authenticate Bearer adds it).`
      : '';
  return `${keysText}${integrations}; ${tail}.${challengeText}${uncheckedText}${suppressedText}${leftText}${notFixed}`;
}

/** Documents of the run with no mTLS-secured operation, and how many of their operations document a 403. */
interface Unchecked {
  documents: number;
  operations: number;
}

/** From the run's hints (lint's `mtls-unchecked`): undefined when every documented 403 was checked. */
function uncheckedOf(report: FixReport): Unchecked | undefined {
  const hints = (report.hints ?? []).filter((hint) => (hint.noMtls?.forbidden ?? 0) > 0);
  if (hints.length === 0) return undefined;
  const operations = hints.reduce((sum, hint) => sum + (hint.noMtls?.forbidden ?? 0), 0);
  return { documents: new Set(hints.map((hint) => hint.noMtls?.document)).size, operations };
}

/** `1 document has no mTLS-secured operation: the 403 of 1 operation was not checked (see the hint: ...)`. */
function uncheckedPhrase({ documents, operations }: Unchecked): string {
  return (
    `${documents} document${documents === 1 ? ' has' : 's have'} no mTLS-secured operation: the 403 of ` +
    `${operations} operation${operations === 1 ? ' was' : 's were'} not checked (see the hint: declare mTLS, or ` +
    'write x-mtls: false)'
  );
}

/** Exit 1 when mtls-no-403 findings remain (conflicts left, keys skipped) or, under --check, anything would change. */
export function fixExitCode(report: FixReport): 0 | 1 {
  const changes = report.documents.flatMap((document) => document.changes);
  if (changes.some((change) => change.action === 'conflict' || change.action === 'skipped')) return 1;
  if (report.mode === 'check' && changes.length > 0) return 1;
  return 0;
}

/** The report as JSON, without file texts. */
export function fixReportJson(report: FixReport): string {
  const documents = report.documents.map(({ document, changes, suppressed, left, components, files }) => ({
    document,
    changes,
    suppressed,
    left,
    components,
    files: files.map((file) => file.file),
  }));
  const errors = report.errors.map((error) => ({
    code: error.code,
    message: error.hint ? `${error.message} ${error.hint}` : error.message,
    ...error.location,
  }));
  const unread = report.unread.map((error) => ({
    code: error.code,
    message: error.hint ? `${error.message} ${error.hint}` : error.message,
    ...error.location,
  }));
  const unchecked = uncheckedOf(report);
  return JSON.stringify(
    {
      status: report.status,
      mode: report.mode,
      // The human report's last line: never "nothing to do" while a 403 was not checked (breaker36 #04).
      summary: summaryLine(report),
      ...(unchecked ? { unchecked } : {}),
      documents,
      errors,
      unread,
      skipped: report.skipped,
    },
    null,
    2,
  );
}
