import {
  classificationCache,
  classifyOperation,
  type MtlsClassification,
  type MtlsDetection,
} from './classify.js';
import { findMtlsFixError, type MtlsFixError } from '../errors.js';
import type { DocumentSet, Located, RefCache } from './document-set.js';
import { encodePointer, isObject } from './pointer.js';
import { shapeError } from './shape.js';
import { listOperations, type Operation } from './operations.js';
import {
  isClientErrorRange,
  isDefaultCode,
  isForbiddenCode,
  responseEntries,
  type ResponseEntry,
} from './responses.js';
import { detectVersion, type SpecVersion } from './version.js';
import {
  gatewayForbiddenEntries,
  integrationForbiddenEntries,
  type GatewayResponseEntry,
  type IntegrationResponseEntry,
} from './aws-integration.js';
import { gatewayDefaultEntries, type GatewayDefaultEntry } from './aws-gateway-defaults.js';
import { kongDenialEntries, type KongDenialEntry } from './kong-plugins.js';

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
  /**
   * The `default` entry (mTLS operations only): it documents every status the operation does not list, so a
   * 403 the server sends falls under it when neither 403 nor `4XX` is listed.
   */
  defaultEntry?: ResponseEntry;
  /**
   * The Amazon API Gateway integration responses (`x-amazon-apigateway-integration.responses`) whose
   * `statusCode` is 403, in document order (mTLS operations only; empty otherwise): API Gateway answers those
   * with 403 whatever `responses` documents.
   */
  integrationForbidden: IntegrationResponseEntry[];
}

export interface DocumentAnalysis {
  set: DocumentSet;
  version: SpecVersion;
  operations: OperationAnalysis[];
  /**
   * The other response entries of mTLS-secured operations (`200`, `404`, ...) whose `$ref` cannot be followed
   * (a missing file, a pointer that leads nowhere, a file that does not parse, a cycle, a remote `$ref` not
   * allowed) or that are not a map: one error each, where it is written, in the order met (each written place
   * once). The verdict does not depend on them (a key that is not 403, `4XX` or `default` cannot document a 403),
   * so the document is still analysed, but the commands name each as an input error (exit 2): what cannot be read
   * is never passed as clean. Broken 403, `4XX` and `default` entries are not here: they make the operation unread
   * ({@link DocumentAnalysis.unreadOperations}).
   */
  unreadResponses: MtlsFixError[];
  /**
   * Path items and operations that cannot be read: not a map, a `$ref` that leads nowhere, `security` or
   * `servers` of the wrong shape, a security scheme or a 403 / `4XX` / `default` response of an mTLS-secured
   * operation that cannot be followed. One error per place, in the order met; `operationsUnread` counts the
   * operations (and path items) they kept from being checked. The other operations are still analysed, so every
   * unreadable one is named (not only the first) and never passed as clean; `fix` leaves such a document as it is.
   */
  unreadOperations: MtlsFixError[];
  /** How many path items or operations could not be read (several may share one error). */
  operationsUnread: number;
  /**
   * The Amazon API Gateway gateway responses (`x-amazon-apigateway-gateway-responses`) whose `statusCode` is 403,
   * when at least one operation is mTLS-secured (empty otherwise): API Gateway sends them on every method of the
   * API. One that cannot be read is in {@link unreadResponses}.
   */
  gatewayForbidden: GatewayResponseEntry[];
  /**
   * The gateway response types an Amazon API Gateway REST API sends with their default 403 to its mTLS-secured
   * operations, the document setting no other status for them ({@link gatewayDefaultEntries}); empty for other
   * documents.
   */
  gatewayDefaults: GatewayDefaultEntry[];
  /**
   * The Kong plugins written as `x-kong-plugin-*` extensions (decK `openapi2kong`) that answer 403 on mTLS-secured
   * operations ({@link kongDenialEntries}); empty for other documents.
   */
  kongDenials: KongDenialEntry[];
}

/**
 * Classifies every operation and, for the mTLS-secured ones, finds their 403 and 4XX entries and the API
 * Gateway integration responses that answer 403.
 * This is the model the linter, the spec fixer and spec-scoped migration all read.
 */
export function analyzeDocument(set: DocumentSet, detection: MtlsDetection): DocumentAnalysis {
  const version = detectVersion(set.root.data, set.displayPath(set.root));
  // One pass over data that does not change: shared `$ref`s, schemes and security lists are read once.
  const cache = classificationCache();
  const unread = new Map<string, MtlsFixError>();
  const unreadOperations = new Map<string, MtlsFixError>();
  let operationsUnread = 0;
  const onUnread = (error: MtlsFixError): void => {
    operationsUnread += 1;
    const at = error.location;
    const key = at ? `${at.file}\0${at.line ?? ''}\0${at.key ?? ''}` : error.message;
    if (!unreadOperations.has(key)) unreadOperations.set(key, error);
  };
  const operations: OperationAnalysis[] = [];
  for (const operation of listOperations(set, onUnread)) {
    try {
      operations.push(analyzeOperation(operation));
    } catch (error) {
      const inputError = findMtlsFixError(error);
      if (!inputError) throw error;
      onUnread(inputError);
    }
  }
  let gatewayForbidden: GatewayResponseEntry[] = [];
  if (operations.some((entry) => entry.mtls)) {
    try {
      gatewayForbidden = gatewayForbiddenEntries(set, cache.refs);
    } catch (error) {
      const inputError = findMtlsFixError(error);
      if (!inputError) throw error;
      const at = inputError.location;
      unread.set(at ? `${at.file}\0${at.line ?? ''}\0${at.key ?? ''}` : inputError.message, inputError);
    }
  }
  const secured = operations.filter((entry) => entry.mtls).map((entry) => entry.operation);
  // A plugin `$ref` that leads nowhere is named, never read as "no 403".
  const kongDenials = kongDenialEntries(set, secured, (inputError) => {
    const at = inputError.location;
    unread.set(at ? `${at.file}\0${at.line ?? ''}\0${at.key ?? ''}` : inputError.message, inputError);
  });
  const gatewayDefaults = gatewayDefaultEntries(
    set,
    version,
    operations.map((entry) => entry.operation),
    secured,
    cache.refs,
  );
  return {
    set,
    version,
    operations,
    gatewayForbidden,
    gatewayDefaults,
    kongDenials,
    unreadResponses: [...unread.values()],
    unreadOperations: [...unreadOperations.values()],
    operationsUnread,
  };

  /** Classifies one operation and, when mTLS-secured, reads its 403, `4XX` and `default` entries. */
  function analyzeOperation(operation: Operation): OperationAnalysis {
    const mtls = classifyOperation(set, version, operation, detection, cache);
    if (!mtls)
      return { operation, forbiddenEntries: [], clientErrorRangeEntries: [], integrationForbidden: [] };
    const entries = responseEntries(
      set,
      operation,
      (code) => isForbiddenCode(code) || isClientErrorRange(code) || isDefaultCode(code),
      cache.refs,
      (entry) => checkReadable(set, entry, cache.refs, unread),
    );
    const forbiddenEntries = entries.filter((entry) => isForbiddenCode(entry.status));
    const clientErrorRangeEntries = entries.filter((entry) => isClientErrorRange(entry.code));
    return {
      operation,
      mtls,
      forbidden: forbiddenEntries[0],
      forbiddenEntries,
      clientErrorRange: clientErrorRangeEntries[0],
      clientErrorRangeEntries,
      defaultEntry: entries.find((entry) => isDefaultCode(entry.code)),
      integrationForbidden: integrationForbiddenEntries(set, operation, cache.refs),
    };
  }
}

/**
 * Follows one response entry the verdict does not read; when it cannot be read (see
 * {@link DocumentAnalysis.unreadResponses}), records the error under the place it names (once per place).
 */
function checkReadable(
  set: DocumentSet,
  entry: Located,
  refs: RefCache,
  unread: Map<string, MtlsFixError>,
): void {
  const code = String(entry.path[entry.path.length - 1]);
  if (code.startsWith('x-')) return;
  const key = `${entry.file.path}\0${encodePointer(entry.path)}`;
  if (unread.has(key)) return;
  try {
    const followed = set.follow(entry, refs);
    if (followed && !isObject(followed.value)) throw shapeError(set, followed, 'a map');
  } catch (error) {
    const inputError = findMtlsFixError(error);
    if (!inputError) throw error;
    const at = inputError.location;
    unread.set(at ? `${at.file}\0${at.line ?? ''}\0${at.key ?? ''}` : key, inputError);
  }
}
