import ts from '../../src/typescript.cjs';
import type { Framework } from '../../src/migrate/frameworks/framework.js';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { parseSource } from '../../src/migrate/parse.js';
import { migrateSource } from '../../src/migrate/transform.js';

/**
 * The cost measure of the large-file cost tests (large-test-file-cost, kept-names-cost, called-keys-cost): runs
 * the codemod on `text` and counts the reads of the `kind` of the statements of its block of `count` statements,
 * which every walk and scan over them makes. Twice the statements must cost about twice the reads.
 *
 * @returns the reads and the codemod's output text.
 */
export function statementReads(
  file: string,
  text: string,
  count: number,
  testFile: boolean,
): { reads: number; text: string } {
  const sourceFile = parseSource(file, text);
  let reads = (): number => 0;
  const visit = (node: ts.Node): void => {
    if (ts.isBlock(node) && node.statements.length === count) {
      reads = countKindReads(node.statements);
      return;
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  const frameworks = (): readonly Framework[] => FRAMEWORKS;
  const result = migrateSource(file, text, { target: 401, frameworks, testFile, sourceFile });
  return { reads: reads(), text: result.text };
}

/**
 * Counts the reads of the `kind` of each of `nodes` from now on (a cost test's measure: every walk and scan over
 * them reads it).
 *
 * @returns the reads so far, each time it is called.
 */
export function countKindReads(nodes: Iterable<ts.Node>): () => number {
  let reads = 0;
  for (const node of nodes) {
    const kind = node.kind;
    Object.defineProperty(node, 'kind', {
      get: () => {
        reads++;
        return kind;
      },
    });
  }
  return () => reads;
}
