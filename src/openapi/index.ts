export { analyzeDocument, type DocumentAnalysis, type OperationAnalysis } from './analyze.js';
export {
  classificationCache,
  classifyOperation,
  declaredNotMtls,
  type MtlsClassification,
  type MtlsDetection,
  type MtlsVia,
} from './classify.js';
export { isNotOpenApi, loadOpenApiDocument, type OpenApiDocument } from './document.js';
export { describeValue, shapeError } from './shape.js';
export { DocumentSet, type DocumentSetOptions, type Followed, type Located } from './document-set.js';
export { HTTP_METHODS, listOperations, operationName, type Operation } from './operations.js';
export { operationFields, type OperationField } from './operation-fields.js';
export {
  decodePointer,
  encodePointer,
  getAtPath,
  isObject,
  literalRef,
  undecodable,
  type JsonPath,
} from './pointer.js';
export { DEFAULT_RANGE, type Position, type Range } from './range.js';
export {
  isClientErrorRange,
  isDefaultCode,
  isForbiddenCode,
  forbiddenKeys,
  responseEntries,
  type ResponseEntry,
} from './responses.js';
export { effectiveSecurity, classifyScheme, type EffectiveSecurity } from './security.js';
export { effectiveServers, mtlsServerReason, type Server } from './servers.js';
export { remoteRefsSkipped, type SkippedRemoteRef } from './remote.js';
export {
  parseSource,
  prepareRangesOf,
  readSourceFile,
  sourceFileFromData,
  type SourceFile,
} from './source.js';
export { detectVersion, type SpecVersion } from './version.js';
export { fileIdentity } from './file-identity.js';
