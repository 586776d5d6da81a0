import type { DocumentAnalysis } from '../openapi/analyze.js';
import type { IgnoreEntry, RuleSettings } from '../config/schema.js';
import { classifyOperation, declaredNotMtls, type MtlsDetection } from '../openapi/classify.js';
import { definedSchemes, findMtlsMentions, type MtlsMention } from '../openapi/mentions.js';
import { operationName, type Operation } from '../openapi/operations.js';
import {
  isClientErrorRange,
  isDefaultCode,
  isForbiddenCode,
  responseEntries,
  type ResponseEntry,
} from '../openapi/responses.js';
import { ignoreDecision } from './ignore.js';

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
   * Operations that would be checked once mTLS is declared, document no 403 but a `4XX` range or a `default`
   * response (`mtls-4xx-range` would warn: a 403 may be sent under it), in operation order.
   */
  ranges: string[];
  /** mTLS words in the root file's text (FAPI, mutual TLS, ...), first occurrence each. */
  mentions: MtlsMention[];
  /** Security scheme names the root document defines. */
  schemes: string[];
  /** The result's message: what was (not) checked, what it read, and what to do. Names no file. */
  message: string;
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
  if (options.rules?.['mtls-unchecked'] === 'off') return undefined;
  if (analysis.operations.length === 0 || analysis.operations.some((entry) => entry.mtls)) return undefined;
  // Every operation's nearest x-mtls is false (x-mtls: false at the root): the document says it has no mTLS
  // endpoints, so nothing was left unchecked by omission.
  if (analysis.operations.every(({ operation }) => declaredNotMtls(set, operation))) return undefined;
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
  const report = {
    operations: analysis.operations.length,
    forbidden,
    optedOut,
    suppressed,
    ranges,
    mentions,
    schemes,
  };
  return {
    ...report,
    message: uncheckedMessage(report, version.kind === 'oas3' && !version.version.startsWith('3.0')),
  };
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

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The message: why nothing was checked (no signal; or mTLS words without a declaration), which 403s that left
 * unchecked and which it did not count, and how to declare mTLS (`mutualTLS` only where OAS has it: 3.1+).
 */
function uncheckedMessage(report: Omit<UncheckedReport, 'message'>, hasMutualTlsType: boolean): string {
  const { operations, forbidden, optedOut, suppressed, ranges, mentions, schemes } = report;
  const [first, ...others] = mentions;
  const why = first
    ? `it mentions ${first.term}${first.text === first.term ? '' : ` ('${first.text}')`} at line ${first.line}` +
      `${others.length ? ` (also ${others.map((term) => `${term.term} at line ${term.line}`).join(', ')})` : ''} but declares no mTLS`
    : 'nothing in it declares mTLS';
  const read =
    forbidden.length > 0
      ? `${forbidden.length} of its ${plural(operations, 'operation')} document${forbidden.length === 1 ? 's' : ''} a 403 ` +
        `(${namedOperations(forbidden.map((entry) => entry.operation))})`
      : `None of its ${plural(operations, 'operation')} documents a 403 that would be checked`;
  const notCounted = [
    optedOut.length ? `${optedOut.length} with x-mtls: false (${namedOperations(optedOut)})` : '',
    suppressed.length ? `${suppressed.length} suppressed (${namedOperations(suppressed)})` : '',
  ].filter(Boolean);
  const declare = hasMutualTlsType
    ? 'a security scheme of type mutualTLS'
    : `its client-certificate scheme in mtls.schemes (--mtls-scheme NAME${schemes.length ? `; schemes here: ${schemes.join(', ')}` : ''})`;
  return (
    `No operation is mTLS-secured, so no 403 was checked (on a client-certificate connection iOS reports a 403 as ` +
    `NSURLErrorDomain -1206): ${why} (no mutualTLS security scheme, no mtls.schemes / ` +
    `mtls.servers match, no x-mtls or gateway mTLS extension). ${read}` +
    `${notCounted.length ? `; not counted: 403s of ${notCounted.join(' and ')}` : ''}` +
    `${ranges.length ? `; ${ranges.length}${forbidden.length ? ' more' : ''} document${ranges.length === 1 ? 's' : ''} no 403 but a 4XX range or default response (${namedOperations(ranges)}), under which a 403 may be sent` : ''}. If its endpoints are served ` +
    `over mTLS, declare it: ${declare}, x-mtls: true, mtls.servers, or mtls.everywhere (--mtls-everywhere); ` +
    '`mtls-fix detect` on the repository that deploys it finds where mTLS is terminated. If none of its ' +
    'endpoints is served over mTLS, say so with x-mtls: false at its root.'
  );
}
