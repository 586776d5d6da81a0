import type { SourceFile } from './source.js';
import { DEFAULT_RANGE, type Range } from './range.js';

/** Lines before a YAML document's content: blank, a comment, a directive (`%YAML 1.2`), a bare `---`. */
const YAML_TRIVIA = /^(?:[ \t]*(?:#.*)?|%.*|---[ \t]*(?:#.*)?)$/;

/**
 * Where stock Spectral 6 (`@stoplight/yaml` / `@stoplight/json`) places a result on a document's root (path `[]`,
 * `mtls-unchecked`): at the start of the root node, after the comments, blank lines, directives and `---` that lead
 * the file, so `mtls-fix lint` names the line Spectral names. Spectral's YAML reader adds two quirks, reproduced
 * here: a root that starts right after the first line end is placed at 1:1 (`---` alone on line 1), and in a file
 * that starts with a BOM the parser's offsets (without the BOM) are read against line ends counted with it, so a
 * comment-led file places the root one character early, at the end of its first line. JSON: the first character
 * that is not white space or a comment. Returns an empty range at that start (Spectral's end, the end of the
 * document, is not used), or {@link DEFAULT_RANGE} for a file with no content. Before session 35 `lint` placed the
 * result at 1:1 always, and Spectral at the root's line (line 16 of gematik's E-Rezept push API, after its licence
 * comment).
 */
export function spectralRootRange(file: Pick<SourceFile, 'text' | 'syntax' | 'bom'>): Range {
  const { text } = file;
  const offset = file.syntax === 'json' ? jsonContentStart(text) : yamlContentStart(text);
  if (offset === undefined) return DEFAULT_RANGE;
  // Spectral counts line ends in the text as read, BOM included; its YAML parser's offsets leave the BOM out.
  const shift = file.bom && file.syntax === 'json' ? 1 : 0;
  const counted = file.bom ? `\uFEFF${text}` : text;
  const position = offset + shift;
  const firstLineEnd = counted.indexOf('\n') + 1;
  if (file.syntax !== 'json' && firstLineEnd > 0 && position === firstLineEnd) return DEFAULT_RANGE;
  let line = 0;
  let lineStart = 0;
  for (let at = counted.indexOf('\n'); at !== -1 && at < position; at = counted.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  const start = { line, character: position - lineStart };
  return { start, end: start };
}

/** The offset of the first content of a YAML text: past leading trivia, and past a `--- ` that has content after it. */
function yamlContentStart(text: string): number | undefined {
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end === -1 ? text.length : end).replace(/\r$/, '');
    if (!YAML_TRIVIA.test(line)) {
      const marker = /^---[ \t]+/.exec(line);
      return at + (marker ? marker[0].length : (/\S/.exec(line)?.index ?? 0));
    }
    if (end === -1) return undefined;
    at = end + 1;
  }
  return undefined;
}

/** The offset of the first character of a JSON text that is not white space or a comment. */
function jsonContentStart(text: string): number | undefined {
  let at = 0;
  while (at < text.length) {
    if (/\s/.test(text[at])) at++;
    else if (text.startsWith('//', at)) {
      const end = text.indexOf('\n', at);
      if (end === -1) return undefined;
      at = end + 1;
    } else if (text.startsWith('/*', at)) {
      const end = text.indexOf('*/', at + 2);
      if (end === -1) return undefined;
      at = end + 2;
    } else return at;
  }
  return undefined;
}
