// text-table 0.2.0 ships no typings: the part of its API src/lint/format/stylish.ts uses.
declare module 'text-table' {
  interface TextTableOptions {
    /** Column separator; two spaces by default. */
    hsep?: string;
    /** Per column: 'l' (default), 'r', 'c' or '.'. */
    align?: ('l' | 'r' | 'c' | '.')[];
    /** The printed width of a cell (to leave ANSI colour codes out of it). */
    stringLength?: (cell: string) => number;
  }
  function table(rows: readonly (readonly string[])[], options?: TextTableOptions): string;
  export = table;
}
