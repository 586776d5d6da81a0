import type { FailSeverity } from '../config/schema.js';
import type { MtlsFixError } from '../errors.js';
import type { JsonPath, Range } from '../openapi/index.js';
import type { MtlsVia } from '../openapi/classify.js';
import type { Suppression } from '../findings/ignore.js';

/** What a run checked: the line lint and fix always print (issue 10: never pass in silence). */
export interface CheckedSummary {
  documents: number;
  operations: number;
  mtlsSecured: number;
  /** mTLS-secured operations by the signal that made them so. */
  byVia: Record<MtlsVia, number>;
  /**
   * Remote `$ref`s skipped under --allow-remote-refs (never fetched): what they point to was not checked.
   * Present only when some were skipped.
   */
  remoteRefsSkipped?: number;
  /**
   * Path items and operations that could not be read (each named as an input error): not counted in
   * `operations`, so a run with one never reads as clean.
   */
  operationsUnread?: number;
}

/** Advice, not a finding: a document that speaks of mTLS while no operation of it is mTLS-secured. */
export interface LintHint {
  /** Absolute path of the document. */
  source: string;
  /** 1-based line of the first mTLS word. */
  line: number;
  /** The mTLS words found (FAPI, eIDAS, mutual TLS, ...), first occurrence each. */
  terms: { term: string; line: number; text: string }[];
  message: string;
  /**
   * For the hints of a document with no mTLS-secured operation: `where` (`file:line`) and `brief` (what the
   * document shows: `mentions mutual TLS ('mTLS'); 9 of its 10 operations document a 403`), so that many such
   * documents in one run print as one digest (lint/hint-digest.ts) instead of one paragraph each; `document` the
   * absolute path of the document's root file (its `mtls-unchecked` result's source); `forbidden` how many of its
   * operations document a 403 a declaration of mTLS would report (a gate fails only then); `notRead` whether it
   * writes something to declare mTLS that is not read (an mTLS scheme no security names, `x-mTLS`, ...).
   */
  noMtls?: { where: string; brief: string; document: string; forbidden: number; notRead?: boolean };
}

/** 0 error, 1 warn, 2 info, 3 hint — Spectral's numbering. */
export type SeverityNumber = 0 | 1 | 2 | 3;

export const SEVERITY_NUMBERS: Record<FailSeverity, SeverityNumber> = { error: 0, warn: 1, info: 2, hint: 3 };

/** Spectral's result shape plus the operation and the reason it counts as mTLS (DESIGN §4). */
export interface LintResult {
  code: string;
  message: string;
  path: JsonPath;
  severity: SeverityNumber;
  /** Absolute path of the file holding the key. */
  source: string;
  /** 0-based */
  range: Range;
  operation?: { method: string; path: string };
  mtls?: { via: MtlsVia; detail: string };
}

/** A finding suppressed by `x-mtls-fix-ignore` or config `ignore`: not a result, but counted and shown. */
export interface IgnoredResult extends LintResult {
  ignored: Suppression;
}

export interface LintReport {
  /** Absolute paths of the documents given (linted, failed or skipped), in order. */
  files: string[];
  /** Rule results, plus one `mtls-fix-input` error result per file that could not be linted. */
  results: LintResult[];
  /** Suppressed findings with their reasons (`lint --explain` lists them; the summary counts them). */
  ignored: IgnoredResult[];
  /** Files that are not OpenAPI documents at all, skipped (found by a glob, or under `skipNonOpenApi`). */
  skipped: { file: string; reason: string }[];
  /** Why each failed file could not be linted (also in `results` as `mtls-fix-input`): exit 2. */
  inputErrors: MtlsFixError[];
  /** Documents, operations and mTLS-secured operations by signal: what the run checked. */
  summary: CheckedSummary;
  /** Documents that speak of mTLS while none of their operations is mTLS-secured (advice, not results). */
  hints: LintHint[];
}
