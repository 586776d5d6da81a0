import path from 'node:path';
import type { ResolvedConfig } from '../config/resolve.js';
import type { DocumentAnalysis } from '../openapi/analyze.js';
import type { IgnoreEntry, RuleSettings } from '../config/schema.js';
import type { MtlsDetection, MtlsVia } from '../openapi/classify.js';
import { normalizeOperation } from '../findings/ignore.js';
import { reportsUnchecked, uncheckedReport } from '../findings/unchecked.js';
import { operationName } from '../openapi/operations.js';
import { gatewayMarkerTypos } from '../openapi/gateway-markers.js';
import { markerKeyTypos, unusedMtlsSchemes } from '../openapi/near-misses.js';
import {
  definedSchemes,
  mutualTlsBeforeOas31,
  schemeTypeTypos,
  serverUrls,
  unknownSchemeNames,
} from '../openapi/mentions.js';
import type { JsonPath } from '../openapi/pointer.js';
import { DEFAULT_RANGE } from '../openapi/range.js';
import type { SourceFile } from '../openapi/source.js';
import { remoteRefsSkipped } from '../openapi/remote.js';
import { hasMutualTlsType } from '../openapi/version.js';
import type { CheckedSummary, LintHint, LintResult } from './types.js';
import { displayName } from '../openapi/display-name.js';

export type { CheckedSummary, LintHint };

/** The rule id of the config and typo warnings (Spectral shape, severity warn); not part of the Spectral ruleset. */
export const CONFIG_RULE = 'mtls-config';

export function emptySummary(): CheckedSummary {
  return {
    documents: 0,
    operations: 0,
    mtlsSecured: 0,
    byVia: { scheme: 0, server: 0, everywhere: 0, extension: 0 },
  };
}

/** Adds one document's counts to a summary. */
export function addToSummary(summary: CheckedSummary, analysis: DocumentAnalysis): void {
  const skipped = analysis.set.skippedRemote.length;
  if (skipped > 0) summary.remoteRefsSkipped = (summary.remoteRefsSkipped ?? 0) + skipped;
  if (analysis.operationsUnread > 0)
    summary.operationsUnread = (summary.operationsUnread ?? 0) + analysis.operationsUnread;
  summary.documents++;
  summary.operations += analysis.operations.length;
  for (const { mtls } of analysis.operations) {
    if (!mtls) continue;
    summary.mtlsSecured++;
    summary.byVia[mtls.via]++;
  }
}

/** `3 documents, 120 operations, 14 mTLS-secured (scheme: 10, server: 4)` */
export function formatSummary(summary: CheckedSummary): string {
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  const parts = (Object.entries(summary.byVia) as [MtlsVia, number][])
    .filter(([, count]) => count > 0)
    .map(([via, count]) => `${via}: ${count}`);
  return (
    `${plural(summary.documents, 'document')}, ${plural(summary.operations, 'operation')}, ` +
    `${summary.mtlsSecured} mTLS-secured${parts.length ? ` (${parts.join(', ')})` : ''}` +
    (summary.remoteRefsSkipped
      ? `; not checked: ${plural(summary.remoteRefsSkipped, 'remote $ref')} (--allow-remote-refs, never fetched)`
      : '') +
    (summary.operationsUnread
      ? `; not read: ${plural(summary.operationsUnread, 'operation')} (each an mtls-fix-input error)`
      : '')
  );
}

/**
 * Every hint for one document: {@link hintFor}, and what remote `$ref`s skipped under --allow-remote-refs left
 * unchecked (a run that could not read part of a document must not read as clean).
 */
export function hintsFor(
  analysis: DocumentAnalysis,
  cwd: string,
  options: { detection: MtlsDetection; ignore: readonly IgnoreEntry[]; rules?: RuleSettings },
): LintHint[] {
  const hints: LintHint[] = [];
  const mtls = hintFor(analysis, cwd, options);
  if (mtls) hints.push(mtls);
  const remote = remoteRefsHint(analysis, cwd);
  if (remote) hints.push(remote);
  return hints;
}

/** How many skipped remote refs a hint names one by one; the rest are counted. */
const REMOTE_NAMED = 5;

/**
 * The hint for a document with remote `$ref`s skipped under --allow-remote-refs: where each is and what it hid
 * (path items and operations not checked, security schemes whose type is unknown), at the first of them.
 */
function remoteRefsHint(analysis: DocumentAnalysis, cwd: string): LintHint | undefined {
  const skipped = remoteRefsSkipped(analysis.set);
  const first = skipped[0];
  if (!first) return undefined;
  const named = skipped
    .slice(0, REMOTE_NAMED)
    .map(
      (skip) =>
        `${skip.what} ('${skip.ref}' at ${display(cwd, skip.source)}${skip.line ? `:${skip.line}` : ''})`,
    );
  const more = skipped.length > REMOTE_NAMED ? `; and ${skipped.length - REMOTE_NAMED} more` : '';
  const count = skipped.length === 1 ? '1 remote $ref was' : `${skipped.length} remote $refs were`;
  return {
    source: first.source,
    line: first.line ?? 1,
    terms: [],
    message:
      `${display(cwd, first.source)}:${first.line ?? 1}: ${count} skipped, not fetched (--allow-remote-refs), so ` +
      `what they point to was not checked: ${named.join('; ')}${more}. Bundle the document with its remote ` +
      `parts (e.g. \`redocly bundle\`) and lint the bundle to check them.`,
  };
}

/**
 * The hint for a document none of whose operations is mTLS-secured (the `mtls-unchecked` result's message, placed):
 * at the first mTLS word of its text, else at its first 403 that a declaration would check (in the file that holds
 * it), else at its first line. Undefined when an operation is mTLS-secured or there is none. `fix` prints it;
 * `lint` reports the result and uses the hint's `noMtls` for its digest of many such documents.
 * @throws MtlsFixError when a 403 entry cannot be followed.
 */
export function hintFor(
  analysis: DocumentAnalysis,
  cwd: string,
  options: { detection: MtlsDetection; ignore: readonly IgnoreEntry[]; rules?: RuleSettings },
): LintHint | undefined {
  const report = uncheckedReport(analysis, options);
  if (!report) return undefined;
  const { set } = analysis;
  const file = display(cwd, set.root.path);
  const total = report.operations;
  const counted = report.forbidden.length;
  const gateway = report.gateway.length;
  // A digest line must not read "0 ... document a 403" as clean where a 4XX range or default may send one.
  const ranged = report.ranges.length;
  const shows =
    `${counted} of its ${total} operation${total === 1 ? '' : 's'} document${counted === 1 ? 's' : ''} a 403` +
    (gateway ? `, ${gateway} more answered by a gateway it configures` : '') +
    (ranged
      ? ` (${ranged}${counted ? ' more' : ''} a 4XX range or default response, under which a 403 may be sent)`
      : '');
  const schemes = report.schemes.length ? `; schemes: ${report.schemes.join(', ')}` : '';
  // What it writes to declare mTLS that is not read comes first, as in the result's message: since session 41 the
  // digest line is the only place a many-document report names an unused mTLS scheme (mtls-config leaves it to
  // mtls-unchecked), and "nothing about mTLS" beside `x-mtls: true` on a scheme would deny what the author wrote.
  const [nearMiss, ...otherMisses] = report.nearMisses;
  const notReadText = nearMiss
    ? `not read: ${nearMiss}${otherMisses.length ? ` (and ${otherMisses.length} more)` : ''}; `
    : '';
  const [mention] = report.mentions;
  if (mention) {
    const term = `${mention.term}${mention.text === mention.term ? '' : ` ('${mention.text}')`}`;
    // A word in another file of the document (a path item's): the hint is there, named with the document.
    const source = mention.file ? path.resolve(path.dirname(set.root.path), mention.file) : set.root.path;
    const at = `${display(cwd, source)}:${mention.line}`;
    const where = mention.file ? `${file} (${at})` : at;
    return {
      source,
      line: mention.line,
      terms: report.mentions,
      noMtls: {
        where,
        brief: `${notReadText}mentions ${term}; ${shows}${schemes}`,
        document: set.root.path,
        forbidden: counted + gateway,
        ...(nearMiss ? { notRead: true } : {}),
      },
      message: `${where}: ${report.message}`,
    };
  }
  // The first 403 a declaration would check: an operation's, else one a gateway of the document answers.
  const first = report.forbidden[0]?.entry ?? report.gateway[0];
  const range = first?.location.file.rangeOf(first.location.path, true);
  const line = range ? range.start.line + 1 : 1;
  // The 403 may sit in a path-item file several documents share: the hint names the document and where it is.
  const at = first ? `${display(cwd, first.location.file.path)}:${line}` : `${file}:1`;
  const where = !first || first.location.file === set.root ? at : `${file} (first 403 at ${at})`;
  return {
    source: first ? first.location.file.path : set.root.path,
    line,
    terms: [],
    noMtls: {
      where,
      brief: notReadText ? `${notReadText}${shows}${schemes}` : `${shows}, nothing about mTLS${schemes}`,
      document: set.root.path,
      forbidden: counted + gateway,
      ...(nearMiss ? { notRead: true } : {}),
    },
    message: `${where}: ${report.message}`,
  };
}

/**
 * Typos and dead config, as warnings with the fix: a scheme typed `mutualTls`/`mtls` (not `mutualTLS`), a
 * security requirement naming a scheme the document does not define, a configured or flagged scheme name no
 * document defines, an `mtls.servers` regex that matches no server of
 * any document, an mTLS scheme (configured, `mutualTLS`, `x-mtls: true`, a client-certificate header) that is
 * defined but that no operation's security names (unless the document's `mtls-unchecked` result names it), a marker key spelt
 * otherwise than it is read (`x-mTLS`, `x_mtls`, `x-mtls-enabled`, `x-MTLS-fix-ignore`; near-misses.ts), a config
 * `ignore` entry that names no operation of any document, a gateway mTLS extension
 * (`x-wso2-mutual-ssl`, Tyk, Kong) whose value the gateway does not read. Located at the key in the document when there is one, else at the document's start.
 */
export function configWarnings(
  analyses: readonly DocumentAnalysis[],
  config: ResolvedConfig,
  cwd: string,
): LintResult[] {
  const warnings: LintResult[] = [];
  // One warning at `keyPath` of `file` (a scheme's file may be one its $ref leads to, not the root).
  const warn = (file: SourceFile, keyPath: JsonPath, message: string): void => {
    warnings.push({
      code: CONFIG_RULE,
      message,
      path: keyPath,
      severity: 1,
      source: file.path,
      range: file.rangeOf(keyPath, true) ?? DEFAULT_RANGE,
    });
  };
  for (const analysis of analyses) {
    const { version } = analysis;
    // OAS 3.0 and Swagger 2.0 have no mTLS type: `type: mutualTLS` there is a document they reject.
    const versionName = version.kind === 'swagger2' ? 'Swagger 2.0' : 'OAS 3.0';
    for (const typo of schemeTypeTypos(analysis.set, analysis.version)) {
      const written = typo.httpScheme
        ? `type '${typo.type}' with scheme '${typo.httpScheme}' (HTTP authentication goes in the Authorization header; no HTTP scheme is a client certificate)`
        : `type '${typo.type}'`;
      warn(
        typo.file,
        typo.path,
        hasMutualTlsType(version)
          ? `security scheme '${typo.name}' has ${written}, which is not read as mTLS: the OpenAPI type is ` +
              `'mutualTLS' (exact case, OAS 3.1+). Write type: mutualTLS, or list '${typo.name}' in mtls.schemes ` +
              `(--mtls-scheme ${typo.name}).`
          : `security scheme '${typo.name}' has ${written}, which is not read as mTLS, and ${versionName} has no ` +
              `mTLS type (mutualTLS is OAS 3.1+). Give it a type ${versionName} has and list '${typo.name}' in ` +
              `mtls.schemes (--mtls-scheme ${typo.name}), or mark it x-mtls: true.`,
      );
    }
    // Session 39: `type: mutualTLS` in OAS 3.0 / Swagger 2.0 was read as mTLS without a word, though every tool of
    // that version rejects or ignores it. Still read as mTLS (its operations are checked); said at the key.
    for (const early of mutualTlsBeforeOas31(analysis.set, version)) {
      warn(
        early.file,
        early.path,
        `security scheme '${early.name}' has type: mutualTLS, an OpenAPI 3.1 type: ${versionName} has no such ` +
          `type, so ${versionName} validators reject the document and ${versionName} tools (code generators, ` +
          `gateway importers) ignore the scheme. mtls-fix still reads it as mTLS and checks the operations it ` +
          `secures. To keep a valid ${versionName} document, give it a type ${versionName} has and list ` +
          `'${early.name}' in mtls.schemes (--mtls-scheme ${early.name}) or mark it x-mtls: true; or ` +
          `${version.kind === 'swagger2' ? 'convert it to OpenAPI 3.1' : 'declare openapi: 3.1.0'}.`,
      );
    }
    const operations = analysis.operations.map((entry) => entry.operation);
    for (const typo of gatewayMarkerTypos(analysis.set, operations)) {
      warn(
        typo.file,
        typo.path,
        `gateway mTLS extension ${typo.written} is not a value the gateway reads (${typo.expected}), so mtls-fix ` +
          `reads ${typo.readAs}. Write ${typo.expected}.`,
      );
    }
    for (const typo of markerKeyTypos(analysis.set, analysis.version, operations)) {
      const ignore = typo.expected === 'x-mtls-fix-ignore';
      const caseOnly = typo.written.toLowerCase() === typo.expected;
      warn(
        typo.file,
        typo.path,
        `${typo.written} on the ${typo.on} is not read: the key mtls-fix reads is ${typo.expected}` +
          `${caseOnly ? ' (lower case)' : ''}, so this ${ignore ? 'suppresses nothing' : 'declares nothing'}. ` +
          `Write ${typo.expected}: ${JSON.stringify(typo.value)}${ignore ? '' : typo.expected === 'x-mtls' ? ' (true: served over mTLS, false: not)' : ''}.`,
      );
    }
    for (const unknown of unknownSchemeNames(
      analysis.set,
      analysis.version,
      operations,
      config.mtls.schemes,
    )) {
      const defined = definedSchemes(analysis.set, analysis.version).names;
      const uri = analysis.version.kind !== 'swagger2' && unknown.name.includes('#');
      warn(
        unknown.file,
        unknown.path,
        `security requirement names '${unknown.name}', which is no security scheme of ` +
          `${display(cwd, analysis.set.root.path)} (defined: ${defined.length ? defined.join(', ') : 'none'}), so it ` +
          (uri
            ? `is not read as mTLS. Fix the URI reference: it must lead to a Security Scheme Object.`
            : `is not read as mTLS. Fix the name or define the scheme${analysis.version.kind === 'swagger2' ? '' : ' (OAS 3.2: or write a URI reference to it)'}; ` +
              `if it is your mTLS scheme, --mtls-scheme '${unknown.name}'.`),
      );
    }
  }
  if (analyses.length === 0) return warnings;
  const first = analyses[0];
  const names =
    analyses.length === 1 ? display(cwd, first.set.root.path) : `any of the ${analyses.length} documents`;
  const fromConfig = config.raw.mtls?.schemes ?? [];
  for (const name of config.mtls.schemes) {
    const defined = analyses.map((analysis) => definedSchemes(analysis.set, analysis.version));
    if (defined.some((entry) => entry.names.includes(name))) continue;
    const all = [...new Set(defined.flatMap((entry) => entry.names))];
    const origin = fromConfig.includes(name)
      ? `config mtls.schemes${config.configPath ? ` (${display(cwd, config.configPath)})` : ''}`
      : '--mtls-scheme';
    warn(
      first.set.root,
      defined[0].names.length ? defined[0].path : [],
      `scheme '${name}' (${origin}) is not defined in ${names}; defined: ${all.length ? all.join(', ') : 'none'}. ` +
        `Fix the name, or it selects nothing.`,
    );
  }
  // A scheme that means mTLS but that no operation's effective security names selects nothing: a configured one
  // (session 37: following the advice `--mtls-scheme cert` changed nothing, and nothing said why), and since session
  // 39 any other (`type: mutualTLS`, `x-mtls: true`, a client-certificate header), once at the scheme: with another
  // operation mTLS-secured, an unused mTLS scheme was silent. Session 41: where no operation is mTLS-secured the
  // document's `mtls-unchecked` result names the scheme already (as stock Spectral reports it, with the
  // requirement to add): said once there, not again here. Here when that result does not speak (another
  // operation is mTLS-secured, `x-mtls: false` at the root, the rule `off`).
  for (const analysis of analyses) {
    if (reportsUnchecked(analysis, config.raw.rules)) continue;
    const operations = analysis.operations.map((entry) => entry.operation);
    for (const unused of unusedMtlsSchemes(analysis.set, analysis.version, operations, config.mtls.schemes)) {
      const configured = config.mtls.schemes.includes(unused.name);
      const origin = fromConfig.includes(unused.name) ? 'config mtls.schemes' : '--mtls-scheme';
      warn(
        unused.file,
        unused.path,
        configured
          ? `scheme '${unused.name}' (${origin}) is defined in ${display(cwd, analysis.set.root.path)} but no ` +
              `operation's security names it, so it selects nothing. Add security: [{${unused.name}: []}] at the root ` +
              `or on the operations served over mTLS.`
          : `security scheme '${unused.name}' (${unused.reason}) is defined but used by no operation (no ` +
              `operation's security, nor the root security, names it): no operation is checked as mTLS through it. ` +
              `Add security: [{${unused.name}: []}] at the root or on the operations served over mTLS, or remove it.`,
      );
    }
  }
  // A config `ignore` entry that names no operation suppresses nothing: a typo, or an operation renamed since.
  const ignores = config.raw.ignore ?? [];
  if (ignores.length > 0) {
    const operations = analyses.flatMap((analysis) =>
      analysis.operations.map((entry) => operationName(entry.operation)),
    );
    const known = new Set(operations.map(normalizeOperation));
    const origin = config.configPath ? ` (${display(cwd, config.configPath)})` : '';
    for (const entry of ignores) {
      if (known.has(normalizeOperation(entry.operation))) continue;
      const listed =
        operations.slice(0, 5).join(', ') +
        (operations.length > 5 ? `, and ${operations.length - 5} more` : '');
      warn(
        first.set.root,
        [],
        `config ignore entry '${entry.operation}'${origin} names no operation of ${names} ` +
          `(operations: ${listed || 'none'}), so it suppresses nothing. Fix the method or path, or remove the entry.`,
      );
    }
  }
  if (config.mtls.servers.length > 0) {
    const urls = analyses.flatMap((analysis) =>
      serverUrls(
        analysis.set,
        analysis.version,
        analysis.operations.map((entry) => entry.operation),
      ),
    );
    for (const regex of config.mtls.servers) {
      if (urls.some((url) => regex.test(url))) continue;
      const listed = urls.slice(0, 5).join(', ') + (urls.length > 5 ? `, and ${urls.length - 5} more` : '');
      warn(
        first.set.root,
        ['servers'],
        `mtls.servers /${regex.source}/ matches no server of ${names} (servers: ${listed || 'none'}). ` +
          `Fix the pattern, or it selects nothing.`,
      );
    }
  }
  return warnings;
}

function display(cwd: string, file: string): string {
  return displayName(cwd, file);
}

/** A hint as a Spectral-shaped result of severity hint (3), for formats made of annotations (github-actions). */
export function hintAsResult(hint: LintHint): LintResult {
  const position = { line: hint.line - 1, character: 0 };
  return {
    code: 'mtls-hint',
    message: hint.message,
    path: [],
    severity: 3,
    source: hint.source,
    range: { start: position, end: position },
  };
}
