import path from 'node:path';
import { analyzeDocument, type DocumentAnalysis } from '../openapi/analyze.js';
import type { DocumentSet, Located } from '../openapi/document-set.js';
import { getAtPath } from '../openapi/pointer.js';
import type { IgnoreEntry, RuleSettings } from '../config/schema.js';
import { classifyOperation, declaredNotMtls, type MtlsDetection } from '../openapi/classify.js';
import { definedSchemes, findMtlsMentions, mentionPlace, type MtlsMention } from '../openapi/mentions.js';
import { mtlsNearMisses } from '../openapi/near-misses.js';
import { operationName, type Operation } from '../openapi/operations.js';
import { hasMutualTlsType } from '../openapi/version.js';
import {
  isClientErrorRange,
  isDefaultCode,
  isForbiddenCode,
  responseEntries,
  type ResponseEntry,
} from '../openapi/responses.js';
import { IGNORE_EXTENSION, ignoreDecision } from './ignore.js';

/** The rule that says a document was read but none of its operations is mTLS-secured, so no 403 was checked. */
export const UNCHECKED_RULE = 'mtls-unchecked';

/** Operations a message names; the rest are counted. */
const NAMED = 3;

/** An operation that documents a 403, with its first 403 entry. */
export interface UncheckedForbidden {
  /** `GET /accounts/{id}` */
  operation: string;
  entry: ResponseEntry;
}

/** The extension keys of the gateways whose 403s {@link gatewayForbidden} reads (API Gateway, Kong via decK). */
const GATEWAY_KEYS = /x-amazon-apigateway-|x-kong-plugin-/;

/** A 403 a gateway written in the document answers (see {@link UncheckedReport.gateway}). */
export interface UncheckedGateway {
  /** `API Gateway gateway response MISSING_AUTHENTICATION_TOKEN (left at its default 403)` */
  what: string;
  /** Where the finding would be reported. */
  location: Located;
}

/**
 * What a document with operations but no mTLS-secured one holds: the 403s a declaration of mTLS would put under
 * check, and the ones it would not (operations opted out with `x-mtls: false`, 403s suppressed by
 * `x-mtls-fix-ignore` or config `ignore`), the mTLS words of its text and its security schemes.
 */
export interface UncheckedReport {
  /** Operations read (all of them: none is mTLS-secured). */
  operations: number;
  /** Operations that would be checked once mTLS is declared and that document a 403, in operation order. */
  forbidden: UncheckedForbidden[];
  /** Operations with `x-mtls: false` (operation or path item) that document a 403: never checked, not counted. */
  optedOut: string[];
  /** Operations whose 403 a suppression covers (`mtls-no-403` would not report it): not counted. */
  suppressed: string[];
  /**
   * The 403s a gateway written in the document answers whatever `responses` say (an API Gateway integration or
   * gateway response set to 403, a gateway response type a REST API sends with its default 403, a Kong plugin
   * that denies with 403), which `mtls-no-403` would report once mTLS is declared; suppressed ones not counted.
   * A gate fails on them as on {@link forbidden}: "None documents a 403" must not stand for a gateway's 403.
   */
  gateway: UncheckedGateway[];
  /**
   * Operations that would be checked once mTLS is declared, document no 403 but a `4XX` range or a `default`
   * response (`mtls-4xx-range` would warn: a 403 may be sent under it), in operation order.
   */
  ranges: string[];
  /** mTLS words in the document's text (FAPI, mutual TLS, ...), first occurrence each: the root file's first. */
  mentions: MtlsMention[];
  /** Security scheme names the root document defines. */
  schemes: string[];
  /**
   * What it writes to declare mTLS that is not read as a declaration (an mTLS scheme no security names, a scheme
   * type such as `X509`, `x-mTLS`), placed, in words (src/openapi/near-misses.ts); named instead of "nothing in
   * it declares mTLS".
   */
  nearMisses: string[];
  /** The mTLS schemes it defines that no operation's security names: the declaration to advise. */
  unusedSchemes: string[];
  /** The result's message: what was (not) checked, what it read, and what to do. Names no file. */
  message: string;
}

/**
 * Whether `mtls-unchecked` speaks for this document: it has operations, none is mTLS-secured, not every one's
 * nearest `x-mtls` is `false` (`x-mtls: false` at the root: the document says it has no mTLS endpoints, so
 * nothing was left unchecked by omission), and config `rules` does not turn the rule `off`. Then its result
 * names what the document writes to declare mTLS that is not read (an mTLS scheme no security names, ...), and
 * `mtls-config` does not say it a second time (session 41).
 */
export function reportsUnchecked(analysis: DocumentAnalysis, rules?: RuleSettings): boolean {
  if (rules?.['mtls-unchecked'] === 'off') return false;
  if (analysis.operations.length === 0 || analysis.operations.some((entry) => entry.mtls)) return false;
  return !analysis.operations.every(({ operation }) => declaredNotMtls(analysis.set, operation));
}

/**
 * The report of a document in which no operation is mTLS-secured (`mtls-unchecked`), or undefined when an
 * operation is (its 403s were checked), there is none, every operation's nearest `x-mtls` is `false` (the
 * document declares it has no mTLS endpoints), or config `rules` turns the rule `off`. Reads the 403
 * entries of every operation: a broken
 * `$ref` under a 403 throws the MtlsFixError that names it.
 */
export function uncheckedReport(
  analysis: DocumentAnalysis,
  options: { detection: MtlsDetection; ignore: readonly IgnoreEntry[]; rules?: RuleSettings },
): UncheckedReport | undefined {
  const { set, version } = analysis;
  if (!reportsUnchecked(analysis, options.rules)) return undefined;
  // Read as every operation would be under mtls.everywhere: one that is still not mTLS-secured has opted out.
  const everywhere = { ...options.detection, everywhere: true };
  const forbidden: UncheckedForbidden[] = [];
  const optedOut: string[] = [];
  const suppressed: string[] = [];
  const ranges: string[] = [];
  for (const { operation } of analysis.operations) {
    const entries = responseEntries(set, operation, isForbiddenCode);
    const first = entries[0];
    const name = operationName(operation);
    if (!first) {
      if (classifyOperation(set, version, operation, everywhere) && documentsRange(analysis, operation))
        ranges.push(name);
      continue;
    }
    if (!classifyOperation(set, version, operation, everywhere)) {
      optedOut.push(name);
      continue;
    }
    const reported = entries.some((entry) => {
      const decision = ignoreDecision(
        'mtls-no-403',
        operation,
        entry.location,
        entry.response,
        options.ignore,
      );
      return !(decision && 'suppression' in decision);
    });
    if (reported) forbidden.push({ operation: name, entry: first });
    else suppressed.push(name);
  }
  const mentions = findMtlsMentions(set);
  const schemes = definedSchemes(set, version).names;
  const operations = analysis.operations.map((entry) => entry.operation);
  const nearMisses = mtlsNearMisses(set, version, operations, options.detection.schemes);
  const report = {
    operations: analysis.operations.length,
    forbidden,
    optedOut,
    suppressed,
    gateway: gatewayForbidden(set, { ...options, detection: everywhere }),
    ranges,
    mentions,
    schemes,
    nearMisses: nearMisses.map((miss) => miss.text),
    unusedSchemes: nearMisses.flatMap((miss) => (miss.unused ? [miss.unused.name] : [])),
  };
  return {
    ...report,
    message: uncheckedMessage(report, hasMutualTlsType(version), set.root),
  };
}

/**
 * The gateway 403s of a document read as if every operation were mTLS-secured (`detection` with `everywhere`; an
 * operation with `x-mtls: false` stays out): what `mtls-no-403` reports at an integration response, a gateway
 * response, a gateway response type left at its default 403, or a Kong plugin, minus the suppressed ones (a
 * marker with a reason on the response, or every operation served suppressed), in that order.
 */
function gatewayForbidden(
  set: DocumentSet,
  options: { detection: MtlsDetection; ignore: readonly IgnoreEntry[] },
): UncheckedGateway[] {
  // Only a document that writes a gateway extension can have one (their keys sit in the files read so far: the
  // root, path items, operations): the second analysis is skipped elsewhere (Kubernetes' 4 MB Swagger: +30% CPU).
  if (!set.loadedFiles().some((file) => GATEWAY_KEYS.test(file.text))) return [];
  const wide = analyzeDocument(set, options.detection);
  const suppressed = (operation: Operation, at: Located, response: unknown): boolean => {
    const decision = ignoreDecision('mtls-no-403', operation, at, response, options.ignore);
    return decision !== undefined && 'suppression' in decision;
  };
  const served = (operations: readonly Operation[], at: Located): boolean =>
    operations.some((operation) => !suppressed(operation, { ...at, value: undefined }, undefined));
  const marked = (value: unknown): boolean => {
    const marker = (value as Record<string, unknown> | undefined)?.[IGNORE_EXTENSION];
    return typeof marker === 'string' && marker.trim() !== '';
  };
  const found: UncheckedGateway[] = [];
  for (const { operation, mtls, integrationForbidden } of wide.operations) {
    if (!mtls) continue;
    for (const entry of integrationForbidden) {
      const path = entry.location.path.slice(0, -1);
      const response = { file: entry.location.file, path, value: getAtPath(entry.location.file.data, path) };
      if (suppressed(operation, response, response.value)) continue;
      found.push({
        what: `the API Gateway integration response ${JSON.stringify(entry.selection)} of ${operationName(operation)}`,
        location: entry.location,
      });
    }
  }
  for (const entry of wide.gatewayForbidden) {
    if (marked(getAtPath(entry.location.file.data, entry.location.path.slice(0, -1)))) continue;
    found.push({ what: `API Gateway gateway response ${entry.type}`, location: entry.location });
  }
  for (const entry of wide.gatewayDefaults) {
    if (marked(entry.written?.value) || !served(entry.operations, entry.location)) continue;
    found.push({
      what: `API Gateway gateway response ${entry.type} (left at its default 403)`,
      location: entry.location,
    });
  }
  for (const entry of wide.kongDenials) {
    if (!served(entry.operations, entry.location)) continue;
    found.push({ what: `the Kong ${entry.plugin} plugin`, location: entry.location });
  }
  return found;
}

/**
 * Whether the operation documents a `4XX` range or a `default` response (keys as written; a responses map that
 * cannot be followed counts as none: this only adds to what the message names, it never hides a 403).
 */
function documentsRange(analysis: DocumentAnalysis, operation: Operation): boolean {
  try {
    return (
      responseEntries(analysis.set, operation, (code) => isClientErrorRange(code) || isDefaultCode(code))
        .length > 0
    );
  } catch {
    return false;
  }
}

/** `GET /a, POST /b, PUT /c and 2 more` */
export function namedOperations(names: readonly string[]): string {
  const more = names.length > NAMED ? ` and ${names.length - NAMED} more` : '';
  return `${names.slice(0, NAMED).join(', ')}${more}`;
}

/** ` at line 12` in the root file, ` at common.yaml:12` in another one ('' when it cannot be placed). */
function lineOf(location: Located, root: Located['file']): string {
  const range = location.file.rangeOf(location.path, true);
  if (!range) return '';
  const line = range.start.line + 1;
  return location.file === root ? ` at line ${line}` : ` at ${path.basename(location.file.path)}:${line}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The message: why nothing was checked (no signal; or mTLS words without a declaration), which 403s that left
 * unchecked and which it did not count, and how to declare mTLS (`mutualTLS` only where OAS has it: 3.1+).
 */
function uncheckedMessage(
  report: Omit<UncheckedReport, 'message'>,
  mutualTlsType: boolean,
  root: Located['file'],
): string {
  const { operations, forbidden, optedOut, suppressed, gateway, ranges, mentions, schemes } = report;
  const { nearMisses, unusedSchemes } = report;
  const [first, ...others] = mentions;
  // What it wrote to declare mTLS and is not read comes first: "declares no mTLS" would deny what the author wrote.
  const why = nearMisses.length
    ? `what it writes to declare mTLS is not read: ${nearMisses.slice(0, NAMED).join('; ')}` +
      `${nearMisses.length > NAMED ? `; and ${nearMisses.length - NAMED} more` : ''}`
    : first
      ? `it mentions ${first.term}${first.text === first.term ? '' : ` ('${first.text}')`}${mentionPlace(first)}` +
        `${others.length ? ` (also ${others.map((term) => `${term.term}${mentionPlace(term)}`).join(', ')})` : ''} but declares no mTLS`
      : 'nothing in it declares mTLS';
  const nothingElse = nearMisses.length
    ? 'nothing else is read as mTLS: no security requirement names an mTLS scheme, no mtls.schemes / mtls.servers match, no x-mtls or gateway mTLS extension'
    : 'no mutualTLS security scheme, no mtls.schemes / mtls.servers match, no x-mtls or gateway mTLS extension';
  const read =
    forbidden.length > 0
      ? `${forbidden.length} of its ${plural(operations, 'operation')} document${forbidden.length === 1 ? 's' : ''} a 403 ` +
        `(${namedOperations(forbidden.map((entry) => entry.operation))})`
      : `None of its ${plural(operations, 'operation')} documents a 403 that would be checked`;
  const gateways = gateway.length
    ? `; ${gateway.length === 1 ? (forbidden.length ? 'one more 403 is' : 'a 403 is') : `${gateway.length}${forbidden.length ? ' more' : ''} 403s are`} answered by a gateway the document configures, whatever its responses say (` +
      `${gateway
        .slice(0, NAMED)
        .map((entry) => `${entry.what}${lineOf(entry.location, root)}`)
        .join(', ')}${gateway.length > NAMED ? ` and ${gateway.length - NAMED} more` : ''})`
    : '';
  const notCounted = [
    optedOut.length ? `${optedOut.length} with x-mtls: false (${namedOperations(optedOut)})` : '',
    suppressed.length ? `${suppressed.length} suppressed (${namedOperations(suppressed)})` : '',
  ].filter(Boolean);
  const declare = unusedSchemes.length
    ? `a security requirement naming ${unusedSchemes.map((name) => `'${name}'`).join(' or ')} (security: [{${unusedSchemes[0]}: []}] at the root or on the mTLS operations)`
    : mutualTlsType
      ? 'a security scheme of type mutualTLS'
      : `its client-certificate scheme in mtls.schemes (--mtls-scheme NAME${schemes.length ? `; schemes here: ${schemes.join(', ')}` : ''})`;
  return (
    `No operation is mTLS-secured, so no 403 was checked (on a client-certificate connection iOS reports a 403 as ` +
    `NSURLErrorDomain -1206): ${why} (${nothingElse}). ${read}${gateways}` +
    `${notCounted.length ? `; not counted: 403s of ${notCounted.join(' and ')}` : ''}` +
    `${ranges.length ? `; ${ranges.length}${forbidden.length ? ' more' : ''} document${ranges.length === 1 ? 's' : ''} no 403 but a 4XX range or default response (${namedOperations(ranges)}), under which a 403 may be sent` : ''}. If its endpoints are served ` +
    `over mTLS, declare it: ${declare}, x-mtls: true, mtls.servers, or mtls.everywhere (--mtls-everywhere); ` +
    '`mtls-fix detect` on the repository that deploys it finds where mTLS is terminated. If none of its ' +
    'endpoints is served over mTLS, say so with x-mtls: false at its root.'
  );
}
