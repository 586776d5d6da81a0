import { classifyOperation, type MtlsClassification, type MtlsDetection } from './classify.js';
import type { DocumentSet } from './document-set.js';
import { listOperations, type Operation } from './operations.js';
import { isClientErrorRange, isForbiddenCode, responseEntries, type ResponseEntry } from './responses.js';
import { detectVersion, type SpecVersion } from './version.js';

export interface OperationAnalysis {
  operation: Operation;
  /** Why it is mTLS-secured; undefined when it is not. */
  mtls?: MtlsClassification;
  /** The `403` entry, when the operation documents one (mTLS operations only). */
  forbidden?: ResponseEntry;
  /** The `4XX` entry, when the operation documents one (mTLS operations only). */
  clientErrorRange?: ResponseEntry;
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
  const operations = listOperations(set).map((operation): OperationAnalysis => {
    const mtls = classifyOperation(set, version, operation, detection);
    if (!mtls) return { operation };
    const entries = responseEntries(
      set,
      operation,
      (code) => isForbiddenCode(code) || isClientErrorRange(code),
    );
    return {
      operation,
      mtls,
      forbidden: entries.find((entry) => isForbiddenCode(entry.code)),
      clientErrorRange: entries.find((entry) => isClientErrorRange(entry.code)),
    };
  });
  return { set, version, operations };
}
