import type { JsonPath, SourceFile } from '../openapi/index.js';
import { LineIndex } from './line-index.js';
import { keyAt, parseTree, type SourceTree } from './yaml-ast.js';

/** Source trees and line numbers for the files a plan touches, each parsed once. */
export class TreeCache {
  private readonly trees = new Map<SourceFile, SourceTree | null>();
  private readonly lines = new Map<SourceFile, LineIndex>();

  get(file: SourceFile): SourceTree | undefined {
    if (!this.trees.has(file)) this.trees.set(file, parseTree(file.text, file.syntax) ?? null);
    return this.trees.get(file) ?? undefined;
  }

  /** Locates the maps at `paths` of `file` in one pass, before they are looked up one by one. */
  prepare(file: SourceFile, paths: readonly JsonPath[]): void {
    this.get(file)?.prepare(paths);
  }

  /**
   * Where the key `key` of the map at `mapPath` starts in the text (a UTF-16 offset), or undefined when it is
   * not found; remembered in the tree ({@link keyAt}), so the plan's passes over the same keys and the edit
   * read each region once.
   */
  keyOffset(file: SourceFile, mapPath: JsonPath, key: string): number | undefined {
    const tree = this.get(file);
    return tree ? keyAt(tree, mapPath, key)?.start : undefined;
  }

  /** The 1-based line of the key `key` of the map at `mapPath`, or of the closest located ancestor. */
  line(file: SourceFile, mapPath: JsonPath, key: string): number {
    return this.lineAt(file, this.keyOffset(file, mapPath, key), mapPath, key);
  }

  /** {@link line} for a key whose offset the caller looked up already (undefined: not found). */
  lineAt(file: SourceFile, offset: number | undefined, mapPath: JsonPath, key: string): number {
    if (offset === undefined) return (file.rangeOf([...mapPath, key], true)?.start.line ?? -1) + 1;
    let lines = this.lines.get(file);
    if (!lines) {
      lines = new LineIndex(file.text);
      this.lines.set(file, lines);
    }
    return lines.lineOf(offset) + 1;
  }

  parsed(): Map<SourceFile, SourceTree> {
    const result = new Map<SourceFile, SourceTree>();
    for (const [file, tree] of this.trees) if (tree) result.set(file, tree);
    return result;
  }
}
