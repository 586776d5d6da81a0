import ts from '../../src/typescript.cjs';
import type { Framework } from '../../src/migrate/frameworks/framework.js';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { parseSource } from '../../src/migrate/parse.js';
import { requestOf } from '../../src/migrate/routes/requests.js';
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
  let counter: KindReads = { reads: 0 };
  const visit = (node: ts.Node): void => {
    if (ts.isBlock(node) && node.statements.length === count) {
      counter = countKindReads(node.statements);
      return;
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  const frameworks = (): readonly Framework[] => FRAMEWORKS;
  const result = migrateSource(file, text, { target: 401, frameworks, testFile, sourceFile });
  return { reads: counter.reads, text: result.text };
}

/** A count of the reads of the `kind` of the nodes `countKindReads` watches; set `reads` to 0 to start again. */
export interface KindReads {
  reads: number;
}

/**
 * Counts every read of the `kind` of `nodes` from now on (every walk and scan over a node reads it): the cost
 * measure of the cost tests. The nodes keep their kind.
 */
export function countKindReads(nodes: Iterable<ts.Node>): KindReads {
  const counter: KindReads = { reads: 0 };
  for (const node of [...nodes]) {
    const kind = node.kind;
    Object.defineProperty(node, 'kind', {
      get: () => {
        counter.reads++;
        return kind;
      },
    });
  }
  return counter;
}

/** Every node of the tree under `root`, `root` included. */
export function nodesOf(root: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    out.push(node);
    node.forEachChild(visit);
  };
  visit(root);
  return out;
}

/**
 * The cost measure of the request cost tests (requests-cost, request-options-cost): asks `requestOf` for the
 * request of each assertion that starts with `marker` in the test file `text`, counting the reads of every node's
 * `kind` meanwhile.
 *
 * @returns each assertion's request (`GET ["a3"]`, or `none`) and the reads.
 */
export function requestReads(text: string, marker: string): { answers: string[]; reads: number } {
  const sourceFile = parseSource('test/app.test.ts', text);
  const counter = countKindReads(nodesOf(sourceFile));
  const answers: string[] = [];
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
    const request = requestOf(sourceFile, at);
    answers.push(request ? `${request.method} ${JSON.stringify(request.segments)}` : 'none');
  }
  return { answers, reads: counter.reads };
}
