import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * What reading one YAML or JSON file gave: its value (`parsed`), or why there is none: the file does not exist
 * (`missing`: ENOENT, ENOTDIR), cannot be read (`unreadable`: EISDIR, EACCES; no fault of its text), or does not
 * parse (`invalid`, with the 1-based line where the parser stopped when it names one).
 */
export type ParsedFile =
  | { kind: 'parsed'; value: unknown }
  | { kind: 'missing' }
  | { kind: 'unreadable' }
  | { kind: 'invalid'; line: number | undefined };

/**
 * The YAML and JSON files one run reads (the OpenAPI documents libraries are given, the files their `$ref`s name,
 * an a127 project's config/default.yaml), each read and parsed once by absolute path however many libraries,
 * security checks and route lists read it: one per route graph (wiring.ts `RouterGraphApi.documents`).
 */
export class DocumentFiles {
  private readonly byPath = new Map<string, ParsedFile>();

  /** The file at the absolute path `file`, read and parsed on first use. Never throws. */
  read(file: string): ParsedFile {
    let known = this.byPath.get(file);
    if (!known) {
      known = parsedFile(file);
      this.byPath.set(file, known);
    }
    return known;
  }
}

function parsedFile(file: string): ParsedFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable' };
  }
  try {
    return { kind: 'parsed', value: parse(text) as unknown };
  } catch (error) {
    // yaml's parse errors carry `linePos: [{ line, col }]` (1-based).
    const line = (error as { linePos?: { line?: unknown }[] }).linePos?.[0]?.line;
    return { kind: 'invalid', line: typeof line === 'number' ? line : undefined };
  }
}
