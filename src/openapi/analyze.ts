import {
  classificationCache,
  classifyOperation,
  type MtlsClassification,
  type MtlsDetection,
} from './classify.js';
import type { DocumentSet } from './document-set.js';
import { listOperations, type Operation } from './operations.js';
import { isClientErrorRange, isForbiddenCode, responseEntries, type ResponseEntry } from './responses.js';
import { detectVersion, type SpecVersion } from './version.js';

export interface OperationAnalysis {
  operation: Operation;
  /** Why it is mTLS-secured; undefined when it is not. */
  mtls?: MtlsClassification;
  /** The first `403` entry, when the operation documents one (mTLS operations only). */
  forbidden?: ResponseEntry;
  /**
   * Every `403` entry in document order: one responses map may spell 403 more than once (`403` and `'403 '`),
   * and each is a finding of its own (mTLS operations only; empty otherwise).
   */
  forbiddenEntries: ResponseEntry[];
  /** The first `4XX` entry, when the operation documents one (mTLS operations only). */
  clientErrorRange?: ResponseEntry;
  /** Every `4XX` entry (`4XX` and `4xx` may both be written) (mTLS operations only; empty otherwise). */
  clientErrorRangeEntries: ResponseEntry[];
}

export interface DocumentAnalysis {
  set: DocumentSet;
  version: SpecVersion;
  operations: OperationAnalysis[];
}

/**
 * Classifies every operation and, for the mTLS-secured ones, finds their 403 and 4XX entries.
 * This is the model the linter, the spec fixer and spec-scoped migration all read.
 */
export function analyzeDocument(set: DocumentSet, detection: MtlsDetection): DocumentAnalysis {
  const version = detectVersion(set.root.data, set.displayPath(set.root));
  // One pass over data that does not change: shared `$ref`s, schemes and security lists are read once.
  const cache = classificationCache();
  const operations = listOperations(set).map((operation): OperationAnalysis => {
    const mtls = classifyOperation(set, version, operation, detection, cache);
    if (!mtls) return { operation, forbiddenEntries: [], clientErrorRangeEntries: [] };
    const entries = responseEntries(
      set,
      operation,
      (code) => isForbiddenCode(code) || isClientErrorRange(code),
      cache.refs,
    );
    const forbiddenEntries = entries.filter((entry) => isForbiddenCode(entry.code));
    const clientErrorRangeEntries = entries.filter((entry) => isClientErrorRange(entry.code));
    return {
      operation,
      mtls,
      forbidden: forbiddenEntries[0],
      forbiddenEntries,
      clientErrorRange: clientErrorRangeEntries[0],
      clientErrorRangeEntries,
    };
  });
  return { set, version, operations };
}
