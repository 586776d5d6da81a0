import type ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';

/**
 * One framework or library: which call shapes emit a status, and how each is rewritten. `visit` sees every
 * node of a candidate file once and records sites on the analysis; it never edits anything itself.
 */
export interface Framework {
  id: string;
  title: string;
  /** package.json dependencies that switch it on when frameworks are detected; empty = always on. */
  enablers: readonly string[];
  /**
   * The node kinds `visit` acts on: for a node of any other kind it returns at once, doing nothing. The walker
   * (transform.ts `analyzeSource`) calls `visit` only for these kinds. Absent: every node.
   */
  kinds?: readonly ts.SyntaxKind[];
  visit(node: ts.Node, analysis: FileAnalysis): void;
}
