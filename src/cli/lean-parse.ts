/**
 * Arguments parsed on the lean path (src/cli/lean.ts) as oclif would parse them: the positional arguments, and
 * the flags by name (a string, a boolean, or the strings of a repeated flag). Its own module so that the lean
 * path and the commands it runs (src/cli/lean-migrate.ts) share it without importing each other.
 */
export interface LeanParse {
  argv: string[];
  flags: Record<string, string | boolean | string[]>;
}
