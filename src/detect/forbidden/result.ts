import type { DetectFinding, DetectForbidden, DetectForbiddenUnplaced, DetectSource } from '../types.js';

/**
 * What one reader found: 403s tied to an mTLS finding, 403s it could not place, and what on an mTLS server
 * decides a status the reader cannot see (`notChecked`, `file:line source (why)`: an auth service, code
 * outside the repository), listed under "403s not checked" instead of passed as clean.
 */
export interface ForbiddenResult {
  forbidden: DetectForbidden[];
  unplaced: DetectForbiddenUnplaced[];
  notChecked: string[];
}

/** An empty result. */
export function noForbidden(): ForbiddenResult {
  return { forbidden: [], unplaced: [], notChecked: [] };
}

/** A `DetectForbidden` under `finding` (hosts from the finding unless given). */
export function forbiddenUnder(
  finding: Pick<DetectFinding, 'file' | 'line' | 'hosts'>,
  entry: {
    line: number;
    source: DetectSource;
    evidence: string;
    paths: string[];
    fix: string;
    hosts?: string[];
    note?: string;
  },
): DetectForbidden {
  return {
    file: finding.file,
    line: entry.line,
    source: entry.source,
    evidence: entry.evidence,
    hosts: entry.hosts ?? finding.hosts,
    paths: entry.paths,
    finding: { file: finding.file, line: finding.line },
    fix: entry.fix,
    ...(entry.note ? { note: entry.note } : {}),
  };
}
