import type { MtlsRuleId } from './findings.js';

export interface RuleMeta {
  /** A human name distinct from the id (SARIF `reportingDescriptor.name`). */
  name: string;
  description: string;
  severity: 'error' | 'warn' | 'info';
  documentationUrl: string;
}

const DOCS = 'https://github.com/mtls-fix/mtls-fix/blob/main/README.md';

/**
 * What each rule is, kept apart from the Spectral ruleset so `mtls-fix lint` can describe and grade
 * results without loading Spectral (its ruleset validation alone costs ~0.3 s of start-up).
 */
export const RULES: Record<MtlsRuleId, RuleMeta> = {
  'mtls-no-403': {
    name: 'ForbiddenOnMutualTlsOperation',
    description: 'mTLS-secured operations must not document 403: iOS turns it into NSURLErrorDomain -1206.',
    severity: 'error',
    documentationUrl: `${DOCS}#mtls-no-403`,
  },
  'mtls-4xx-range': {
    name: 'ClientErrorRangeOnMutualTlsOperation',
    description:
      "mTLS-secured operations documenting 4XX (or only 'default', without 403 or 4XX) may send an undocumented 403.",
    severity: 'warn',
    documentationUrl: `${DOCS}#mtls-4xx-range`,
  },
  'mtls-unchecked': {
    name: 'NoMutualTlsOperation',
    description:
      'A document none of whose operations is mTLS-secured: none of its 403s was checked (declare mTLS, or it reads clean only because nothing was read).',
    severity: 'info',
    documentationUrl: `${DOCS}#mtls-unchecked`,
  },
};
