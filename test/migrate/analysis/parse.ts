import ts from '../../../src/typescript.cjs';
import { parseSource } from '../../../src/migrate/parse.js';

/** A snippet parsed as the engine parses a file (parents set), and its nodes found by text. */
export interface Snippet {
  text: string;
  sourceFile: ts.SourceFile;
  /** The first node (in source order, outermost first) whose text is `text`, narrowed by `is`. */
  find<T extends ts.Node>(text: string, is: (node: ts.Node) => node is T): T;
  /** Applies edits to the snippet's text, right to left. */
  apply(edits: readonly { start: number; end: number; text: string }[]): string;
}

export function snippet(text: string, file = 'snippet.ts'): Snippet {
  const sourceFile = parseSource(file, text);
  return {
    text,
    sourceFile,
    find<T extends ts.Node>(wanted: string, is: (node: ts.Node) => node is T): T {
      let found: T | undefined;
      const visit = (node: ts.Node): void => {
        if (found) return;
        if (is(node) && node.getText(sourceFile) === wanted) {
          found = node;
          return;
        }
        node.forEachChild(visit);
      };
      visit(sourceFile);
      if (!found) throw new Error(`no node '${wanted}' in the snippet`);
      return found;
    },
    apply(edits) {
      let result = text;
      for (const e of [...edits].sort((a, b) => b.start - a.start))
        result = result.slice(0, e.start) + e.text + result.slice(e.end);
      return result;
    },
  };
}

export { ts };
