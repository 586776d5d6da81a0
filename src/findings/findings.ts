import path from 'node:path';
import type { MtlsFixError } from '../errors.js';
import type { ResolvedConfig } from '../config/resolve.js';
import type { IgnoreEntry, RuleSettings } from '../config/schema.js';
import { analyzeDocument, type DocumentAnalysis } from '../openapi/analyze.js';
import type { MtlsClassification, MtlsDetection, MtlsVia } from '../openapi/classify.js';
import { DocumentSet, type Located } from '../openapi/document-set.js';
import { operationName, type Operation } from '../openapi/operations.js';
import { getAtPath, type JsonPath } from '../openapi/pointer.js';
import { AWS_GATEWAY_RESPONSES, AWS_INTEGRATION } from '../openapi/aws-integration.js';
import type { NoStatus } from '../openapi/aws-gateway-defaults.js';
import { forbiddenInDescription } from '../openapi/responses.js';
import { sourceFileFromData } from '../openapi/source.js';
import { IGNORE_EXTENSION, ignoreDecision, type Suppression } from './ignore.js';
import { uncheckedReport, type UncheckedReport } from './unchecked.js';

export interface EffectiveRuleOptions {
  status: number;
  detection: MtlsDetection;
  allowRemoteRefs: boolean;
  /** Config `ignore` entries (suppressions with their reasons). */
  ignore: readonly IgnoreEntry[];
  /** Config `rules`: `off` drops a rule; `warn`/`error` (and `info` for `mtls-unchecked`) set its severity. */
  rules: RuleSettings;
  /** Identifies these options in the analysis cache. */
  key: string;
}

/** The same options from a resolved config; the key lets a run reuse one analysis for every rule. */
export function toEffectiveOptions(config: ResolvedConfig): EffectiveRuleOptions {
  const key = JSON.stringify([
    config.status,
    config.mtls.schemes,
    config.mtls.servers.map((regex) => regex.source),
    config.mtls.everywhere,
    config.allowRemoteRefs,
    config.raw.ignore ?? [],
    config.raw.rules ?? {},
  ]);
  return {
    status: config.status,
    detection: config.mtls,
    allowRemoteRefs: config.allowRemoteRefs,
    ignore: config.raw.ignore ?? [],
    rules: config.raw.rules ?? {},
    key,
  };
}

/** The rules of the ruleset; `mtls-unchecked` is about the document, the others are findings of operations. */
export type MtlsRuleId = FindingRuleId | 'mtls-unchecked';

/** The rules whose results are {@link MtlsFinding}s (an operation's response key). */
export type FindingRuleId = 'mtls-no-403' | 'mtls-4xx-range';

/** One rule result with everything the JSON output adds to Spectral's shape. */
export interface MtlsFinding {
  rule: FindingRuleId;
  message: string;
  /** Where the response key is written (maybe another file than the root). */
  location: Located;
  /** The path reported to Spectral: the key itself in the root document, else the path item's `$ref` entry. */
  spectralPath: JsonPath;
  operation: { method: string; path: string };
  mtls: { via: MtlsVia; detail: string };
  /** Set when `x-mtls-fix-ignore` or config `ignore` suppresses it: kept, counted and shown, not reported. */
  ignored?: Suppression;
  /**
   * What `location` is: unset for a response key (`responses.403`); `integration-response` for the `statusCode`
   * of an Amazon API Gateway integration response (`x-amazon-apigateway-integration.responses.<pattern>`)
   * that answers 403 (an `mtls-no-403` finding; `fix` changes the value instead of renaming a key);
   * `gateway-response` for the `statusCode` of an API Gateway gateway response (`x-amazon-apigateway-gateway-
   * responses.<type>`) set to 403, which serves every operation (`operation` names the first mTLS-secured one);
   * `gateway-default` for a gateway response type an API Gateway REST API sends with its default 403 to mTLS-secured
   * operations (`location` is what makes it happen: an authorizer, an API key scheme, `paths` for an undefined
   * route; `gatewayResponse` names the type; `fix` adds the gateway response); `kong-plugin` for an
   * `x-kong-plugin-*` extension whose Kong plugin answers 403 (`kongPlugin` names it).
   */
  site?: 'integration-response' | 'gateway-response' | 'gateway-default' | 'kong-plugin';
  /** For `site: 'gateway-default'`: the gateway response type (`ACCESS_DENIED`). */
  gatewayResponse?: string;
  /** For `site: 'kong-plugin'`: the Kong plugin (`acl`) of the `x-kong-plugin-*` extension at `location`. */
  kongPlugin?: string;
}

/** What an `mtls-4xx-range` message says of an operation documenting only `default` (human reports group them). */
export const DEFAULT_ONLY = "documents 'default' and neither 403 nor 4XX";

const IOS_EFFECT = 'iOS reports a 403 on a client-certificate connection as NSURLErrorDomain -1206';

/** Document sets built by `mtls-fix lint`, keyed by the data object Spectral hands the rule functions. */
const registeredSets = new WeakMap<object, DocumentSet>();
const cache = new WeakMap<object, Map<string, MtlsFinding[]>>();
const unreadCache = new WeakMap<object, Map<string, MtlsFixError[]>>();
/** The document set {@link findingsFor} read each data object from (registered or built from the data). */
const setsRead = new WeakMap<object, DocumentSet>();

/** Lets the rule functions reuse the files `mtls-fix lint` already parsed (and their positions). */
export function registerDocumentSet(set: DocumentSet): void {
  if (set.root.data !== null && typeof set.root.data === 'object') registeredSets.set(set.root.data, set);
}

/** All findings of both rules for one document and one set of options, computed once per run. */
export function findingsFor(
  data: object,
  source: string | null,
  options: EffectiveRuleOptions,
): MtlsFinding[] {
  let byOptions = cache.get(data);
  if (!byOptions) {
    byOptions = new Map();
    cache.set(data, byOptions);
  }
  const cached = byOptions.get(options.key);
  if (cached) return cached;
  const set =
    registeredSets.get(data) ??
    new DocumentSet(sourceFileFromData(path.resolve(source ?? 'openapi.yaml'), data), {
      allowRemoteRefs: options.allowRemoteRefs,
    });
  setsRead.set(data, set);
  const findings = computeFindings(set, options);
  byOptions.set(options.key, findings);
  const analysis = analysisFor(set, options);
  const unread = unreadCache.get(data) ?? new Map<string, MtlsFixError[]>();
  unread.set(options.key, [...analysis.unreadOperations, ...analysis.unreadResponses]);
  unreadCache.set(data, unread);
  return findings;
}

/**
 * How a result naming a part mtls-fix could not read begins (a path item, an operation, a response of an
 * mTLS-secured operation); `mtls-fix lint` reports those as `mtls-fix-input` and drops these from its Spectral engine's run.
 */
export const UNREAD_PREFIX = 'mtls-fix could not read this part: ';

/**
 * What {@link findingsFor} could not read in the same document under the same options: path items, operations
 * and responses of mTLS-secured operations (DocumentAnalysis.unreadOperations, unreadResponses), one input error
 * each. Empty before findingsFor ran for them.
 */
export function unreadFor(data: object, options: EffectiveRuleOptions): MtlsFixError[] {
  return unreadCache.get(data)?.get(options.key) ?? [];
}

/**
 * The `mtls-unchecked` report of a document {@link findingsFor} read under the same options (computing the
 * findings first when it has not): undefined when an operation is mTLS-secured, when there is none, or when a
 * path item or operation could not be read (those are named instead).
 * @throws MtlsFixError when a 403 entry of an operation cannot be followed.
 */
export function uncheckedFor(
  data: object,
  source: string | null,
  options: EffectiveRuleOptions,
): UncheckedReport | undefined {
  findingsFor(data, source, options);
  const set = registeredSets.get(data) ?? setsRead.get(data);
  if (!set) return undefined;
  const analysis = analysisFor(set, options);
  return analysis.operationsUnread > 0 ? undefined : uncheckedReport(analysis, options);
}

const analyses = new WeakMap<object, Map<string, DocumentAnalysis>>();

/** The model's analysis of a document for these options, computed once per run (findings and summary share it). */
export function analysisFor(set: DocumentSet, options: EffectiveRuleOptions): DocumentAnalysis {
  const data = set.root.data;
  if (data === null || typeof data !== 'object') return analyzeDocument(set, options.detection);
  let byOptions = analyses.get(data);
  if (!byOptions) {
    byOptions = new Map();
    analyses.set(data, byOptions);
  }
  const cached = byOptions.get(options.key);
  if (cached && cached.set === set) return cached;
  const analysis = analyzeDocument(set, options.detection);
  byOptions.set(options.key, analysis);
  return analysis;
}

/**
 * Forgets the cached analyses of `set`'s document (every option set), so they can be collected while the
 * document itself stays: `fix` reads none once its plan and summary are made (~1 KB per operation).
 */
export function releaseAnalyses(set: DocumentSet): void {
  const data = set.root.data;
  if (data !== null && typeof data === 'object') analyses.delete(data);
}

export function computeFindings(set: DocumentSet, options: EffectiveRuleOptions): MtlsFinding[] {
  const analysis = analysisFor(set, options);
  const findings: MtlsFinding[] = [];
  /** `at`: the entry whose `x-mtls-fix-ignore` counts (default: the finding's location). */
  const add = (operation: Operation, finding: MtlsFinding, response: unknown, at?: Located): void => {
    findings.push(withSuppression(operation, finding, response, options, at));
  };
  for (const {
    operation,
    mtls,
    forbiddenEntries,
    clientErrorRangeEntries,
    defaultEntry,
    integrationForbidden,
  } of analysis.operations) {
    if (!mtls) continue;
    const subject = `${operationName(operation)} is mTLS-secured (${mtls.why})`;
    const common = { operation: { method: operation.method, path: operation.path }, mtls: toJsonMtls(mtls) };
    // Each key is a finding: a responses map may spell 403 twice (`403` and `'403 '`), and fix fixes both.
    for (const forbidden of options.rules['mtls-no-403'] === 'off' ? [] : forbiddenEntries) {
      const through = forbidden.refs.length > 0 ? ` through $ref '${forbidden.refs.join("' -> '")}'` : '';
      add(
        operation,
        {
          rule: 'mtls-no-403',
          message:
            `${subject} and documents 403${written(forbidden.code, forbidden.status)}${through}${elsewhere(set, forbidden.location)}; ` +
            `${IOS_EFFECT}. Answer ${options.status} (the agreed status) instead.`,
          location: forbidden.location,
          spectralPath: spectralPath(set, forbidden.location, operation.entryPath),
          ...common,
        },
        forbidden.response,
      );
    }
    // API Gateway answers these with 403 whatever `responses` says: each is a finding at its `statusCode`.
    for (const entry of options.rules['mtls-no-403'] === 'off' ? [] : integrationForbidden) {
      const responsePath = entry.location.path.slice(0, -1);
      const response: Located = {
        file: entry.location.file,
        path: responsePath,
        value: getAtPath(entry.location.file.data, responsePath),
      };
      add(
        operation,
        {
          rule: 'mtls-no-403',
          message:
            `${subject} and its API Gateway integration (${AWS_INTEGRATION}) answers 403${written(entry.code, '403')} ` +
            `for backend responses matching ${JSON.stringify(entry.selection)}${elsewhere(set, entry.location)}; ` +
            `${IOS_EFFECT}. Answer ${options.status} (the agreed status) instead: set its statusCode to ` +
            `${options.status} and document that response.`,
          location: entry.location,
          spectralPath: spectralPath(set, entry.location, operation.entryPath),
          site: 'integration-response',
          ...common,
        },
        response.value,
        response,
      );
    }
    // An explicit 403 takes precedence over the range, so the range only matters when 403 is not listed; and
    // `default` documents a 403 only when neither 403 nor a 4XX range is listed.
    if (forbiddenEntries.length > 0) continue;
    const ranges =
      clientErrorRangeEntries.length > 0 ? clientErrorRangeEntries : defaultEntry ? [defaultEntry] : [];
    for (const clientErrorRange of options.rules['mtls-4xx-range'] === 'off' ? [] : ranges) {
      const described = forbiddenInDescription(clientErrorRange.response);
      const which = described
        ? `documents '${clientErrorRange.code}', whose description says it answers 403 (${JSON.stringify(described)}): change that text with the status`
        : clientErrorRange === defaultEntry
          ? `${DEFAULT_ONLY}, so a 403 it answers is documented only by 'default'`
          : `documents '${clientErrorRange.code}', so it may answer an undocumented 403`;
      add(
        operation,
        {
          rule: 'mtls-4xx-range',
          message:
            `${subject} and ${which}${elsewhere(set, clientErrorRange.location)}; ${IOS_EFFECT}. ` +
            `Make sure it answers ${options.status} (the agreed status) instead of 403.`,
          location: clientErrorRange.location,
          spectralPath: spectralPath(set, clientErrorRange.location, operation.entryPath),
          ...common,
        },
        clientErrorRange.response,
      );
    }
  }
  if (options.rules['mtls-no-403'] !== 'off')
    findings.push(
      ...gatewayFindings(analysis, options),
      ...gatewayDefaultFindings(analysis, options),
      ...kongFindings(analysis, options),
    );
  return findings;
}

/**
 * One `mtls-no-403` finding per gateway response (`x-amazon-apigateway-gateway-responses`) set to 403: API Gateway
 * sends it on every method, the mTLS-secured ones included. Named after the first mTLS-secured operation, the
 * message counting the others; suppressed by `x-mtls-fix-ignore: "<reason>"` on the gateway response itself.
 */
function gatewayFindings(analysis: DocumentAnalysis, options: EffectiveRuleOptions): MtlsFinding[] {
  const secured = analysis.operations.filter((entry) => entry.mtls);
  const first = secured[0];
  const mtls = first?.mtls;
  if (!mtls || analysis.gatewayForbidden.length === 0) return [];
  const { set } = analysis;
  const others = secured.length - 1;
  const subject =
    `${operationName(first.operation)}${others > 0 ? ` and ${others} more mTLS-secured operation${others === 1 ? '' : 's'}` : ''} ` +
    `(${mtls.why}${others > 0 ? ', the first' : ''})`;
  return analysis.gatewayForbidden.map((entry): MtlsFinding => {
    const responsePath = entry.location.path.slice(0, -1);
    const marker: unknown = (
      getAtPath(entry.location.file.data, responsePath) as Record<string, unknown> | undefined
    )?.[IGNORE_EXTENSION];
    const reason = typeof marker === 'string' && marker.trim() !== '' ? marker.trim() : undefined;
    return {
      rule: 'mtls-no-403',
      message:
        `${subject} ${others > 0 ? 'are' : 'is'} served by an API Gateway whose gateway response ${entry.type} ` +
        `(${AWS_GATEWAY_RESPONSES}) answers 403${written(entry.code, '403')}${elsewhere(set, entry.location)}; ` +
        `${IOS_EFFECT}. Answer ${options.status} (the agreed status) instead: set its statusCode to ${options.status}.`,
      location: entry.location,
      spectralPath: spectralPath(set, entry.location, first.operation.entryPath),
      site: 'gateway-response',
      operation: { method: first.operation.method, path: first.operation.path },
      mtls: toJsonMtls(mtls),
      ...(reason !== undefined ? { ignored: { reason, by: 'response' as const } } : {}),
    };
  });
}

/** The operations a document-level cause (a gateway response, a plugin) serves, as a finding names them. */
interface ServedSubject {
  /** The operation the finding is named after: the first one not suppressed on its own (else the first). */
  first: Operation;
  mtls: MtlsClassification;
  /** `GET /a and 2 more mTLS-secured operations (scheme 'tls', the first)` */
  subject: string;
  /** `is` or `are`, agreeing with {@link subject}. */
  verb: string;
  /** Set when every operation served is suppressed on its own (the first one's suppression). */
  suppression?: Suppression;
}

/**
 * Names the mTLS-secured `operations` a document-level cause at `location` serves. Operations suppressed on their
 * own (x-mtls-fix-ignore on the operation or path item, config `ignore`) are not counted; when every one is, so is
 * the finding. Undefined when the first operation is not mTLS-secured (it always is for the analysis' entries).
 */
function servedSubject(
  analysis: DocumentAnalysis,
  operations: readonly Operation[],
  location: Located,
  options: EffectiveRuleOptions,
): ServedSubject | undefined {
  const decisions = operations.map((operation) => ({
    operation,
    decision: ignoreDecision(
      'mtls-no-403',
      operation,
      { ...location, value: undefined },
      undefined,
      options.ignore,
    ),
  }));
  const open = decisions.filter(({ decision }) => !decision || !('suppression' in decision));
  const reached = open.length > 0 ? open : decisions;
  const first = reached[0]?.operation;
  const mtls = analysis.operations.find((candidate) => candidate.operation === first)?.mtls;
  if (!first || !mtls) return undefined;
  const others = reached.length - 1;
  return {
    first,
    mtls,
    subject:
      `${operationName(first)}${others > 0 ? ` and ${others} more mTLS-secured operation${others === 1 ? '' : 's'}` : ''} ` +
      `(${mtls.why}${others > 0 ? ', the first' : ''})`,
    verb: others > 0 ? 'are' : 'is',
    ...(open.length === 0
      ? { suppression: (decisions[0].decision as { suppression: Suppression }).suppression }
      : {}),
  };
}

/**
 * One `mtls-no-403` finding per gateway response type an API Gateway REST API sends with its default 403 to
 * mTLS-secured operations (DocumentAnalysis.gatewayDefaults), at what makes it happen (the authorizer, the API key
 * scheme, `paths`), named after the first operation it reaches, the message counting the others. Suppressed by
 * `x-mtls-fix-ignore: "<reason>"` on the gateway response of that type (written without a `statusCode`), or when
 * every operation it reaches is suppressed ({@link servedSubject}).
 */
function gatewayDefaultFindings(analysis: DocumentAnalysis, options: EffectiveRuleOptions): MtlsFinding[] {
  const { set } = analysis;
  const findings: MtlsFinding[] = [];
  for (const entry of analysis.gatewayDefaults) {
    const served = servedSubject(analysis, entry.operations, entry.location, options);
    if (!served) continue;
    const marker: unknown = entry.written?.value[IGNORE_EXTENSION];
    const reason = typeof marker === 'string' && marker.trim() !== '' ? marker.trim() : undefined;
    const suppression = reason !== undefined ? { reason, by: 'response' as const } : served.suppression;
    findings.push({
      rule: 'mtls-no-403',
      message:
        `${served.subject} ${served.verb} served by an API Gateway REST API that answers 403 ${entry.cause}: ` +
        `gateway response ${entry.type} is left at its default status${elsewhere(set, entry.location)}` +
        `${noStatusNote(set, entry.noStatus)}; ` +
        `${IOS_EFFECT}. Answer ${options.status} (the agreed status) instead: set ` +
        `${AWS_GATEWAY_RESPONSES}.${entry.type}.statusCode to '${options.status}'.`,
      location: entry.location,
      spectralPath: spectralPath(set, entry.location, served.first.entryPath),
      site: 'gateway-default',
      gatewayResponse: entry.type,
      operation: { method: served.first.method, path: served.first.path },
      mtls: toJsonMtls(served.mtls),
      ...(suppression ? { ignored: suppression } : {}),
    });
  }
  return findings;
}

/**
 * One `mtls-no-403` finding per `x-kong-plugin-*` extension whose Kong plugin answers 403 on mTLS-secured operations
 * (DocumentAnalysis.kongDenials), at the extension, named after the first operation it applies to, the message
 * counting the others. Suppressed when every operation it applies to is ({@link servedSubject}); never by a marker
 * inside the plugin's value, which decK hands to Kong (its plugin schema rejects unknown fields).
 */
function kongFindings(analysis: DocumentAnalysis, options: EffectiveRuleOptions): MtlsFinding[] {
  const { set } = analysis;
  const findings: MtlsFinding[] = [];
  for (const entry of analysis.kongDenials) {
    const served = servedSubject(analysis, entry.operations, entry.location, options);
    if (!served) continue;
    const { setting } = entry.denial;
    const how =
      setting.kind === 'field'
        ? `set its config.${setting.field} to ${options.status}`
        : `${setting.why}: answer ${options.status} where Kong answers (its exit-transformer plugin, or your own plugin), or suppress it with x-mtls-fix-ignore and the reason on the operations`;
    findings.push({
      rule: 'mtls-no-403',
      message:
        `${served.subject} ${served.verb} served by Kong, whose ${entry.plugin} plugin ` +
        `(${String(entry.location.path[entry.location.path.length - 1])}) answers 403 ${entry.denial.when}` +
        `${elsewhere(set, entry.location)}; ${IOS_EFFECT}. Answer ${options.status} (the agreed status) instead: ${how}.`,
      location: entry.location,
      spectralPath: spectralPath(set, entry.location, served.first.entryPath),
      site: 'kong-plugin',
      kongPlugin: entry.plugin,
      operation: { method: served.first.method, path: served.first.path },
      mtls: toJsonMtls(served.mtls),
      ...(served.suppression ? { ignored: served.suppression } : {}),
    });
  }
  return findings;
}

/**
 * Marks a suppressed finding, or says in its message why a marker without a reason did not count. `response`:
 * the Response Object the finding's entry resolves to (the analysis followed its `$ref`s already).
 */
function withSuppression(
  operation: Operation,
  finding: MtlsFinding,
  response: unknown,
  options: EffectiveRuleOptions,
  at: Located = finding.location,
): MtlsFinding {
  const decision = ignoreDecision(finding.rule, operation, at, response, options.ignore);
  if (!decision) return finding;
  if ('note' in decision) return { ...finding, message: `${finding.message} (${decision.note}.)` };
  return { ...finding, ignored: decision.suppression };
}

/**
 * ` (written '403 ')` for a key that counts as 403 but is not written as plain `403` ('' for `403`); a key only
 * YAML 1.1 reads as 403 says who reads it so.
 */
function written(code: string, status = code.trim()): string {
  if (code === '403') return '';
  const yaml11 =
    code.trim() === status
      ? ''
      : code.includes(',')
        ? ", which Ruby's YAML reader (Psych, by default) reads as 403; YAML 1.2 reads it otherwise"
        : ', which YAML 1.1 readers (PyYAML, Ruby, Go yaml, SnakeYAML) read as 403; YAML 1.2 reads it otherwise';
  return ` (written ${JSON.stringify(code)}${yaml11})`;
}

function toJsonMtls(mtls: MtlsClassification): { via: MtlsVia; detail: string } {
  return { via: mtls.via, detail: mtls.detail };
}

/**
 * ` (its statusCode '0623', line 12, is no HTTP status, so it does not replace the default 403)`, naming the
 * gateway response (this type's, or DEFAULT_4XX's) whose written status is none; '' when there is none.
 */
function noStatusNote(set: DocumentSet, noStatus: NoStatus | undefined): string {
  if (!noStatus) return '';
  const { location } = noStatus;
  const line = (location.file.rangeOf(location.path, true)?.start.line ?? -1) + 1;
  const where = location.file === set.root ? `line ${line}` : `${set.displayPath(location.file)}:${line}`;
  return (
    ` (the statusCode of ${noStatus.type}, ${noStatus.written} at ${where}, is no HTTP status, so it does not ` +
    'replace the default 403)'
  );
}

/** Keys in another file are named relative to the root document, so the message is the same from any folder. */
function elsewhere(set: DocumentSet, location: Located): string {
  if (location.file === set.root) return '';
  const relative = path.relative(path.dirname(set.root.path), location.file.path).split(path.sep).join('/');
  return ` (in ${relative})`;
}

function spectralPath(set: DocumentSet, location: Located, entryPath: JsonPath): JsonPath {
  return location.file === set.root ? location.path : entryPath;
}
