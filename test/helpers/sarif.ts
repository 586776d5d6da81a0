/**
 * The members of an mtls-fix SARIF 2.1.0 log (src/util/sarif.ts writes it; lint and migrate --check) the tests
 * read, typed as present, as our writer always writes them. Types of the whole schema: @types/sarif (`sarif`),
 * where every member is optional.
 */
export interface SarifLogRead {
  version: string;
  runs: SarifRunRead[];
}

/** The log's one run. */
export interface SarifRunRead {
  columnKind: string;
  tool: { driver: { name: string; rules: { id: string; help: { text: string } }[] } };
  results: SarifResultRead[];
  invocations: {
    executionSuccessful: boolean;
    toolExecutionNotifications: { level: string; message: { text: string } }[];
  }[];
}

/** A location: `uri` relative, lines and columns 1-based. */
export interface SarifLocationRead {
  physicalLocation: {
    artifactLocation: { uri: string };
    region: { startLine: number; startColumn: number };
  };
}

/** One result: `level` error, warning or note; `relatedLocations` only when the writer adds them. */
export interface SarifResultRead {
  ruleId: string;
  level: string;
  partialFingerprints: Record<string, string>;
  locations: SarifLocationRead[];
  relatedLocations?: SarifLocationRead[];
}

/** `text` (a report on stdout or in a file) parsed as a SARIF log; throws a SyntaxError when it is not JSON. */
export function parseSarif(text: string): SarifLogRead {
  return JSON.parse(text) as SarifLogRead;
}
