/**
 * Astro components (`.astro`): the server code is the frontmatter, the TypeScript between the opening `---`
 * fence on the first line and the next `---` line (https://docs.astro.build/en/basics/astro-components/).
 * The rest is the template, which the codemod never edits.
 */

/** The frontmatter of an `.astro` file: its text and the offset of its first character in the file. */
export interface AstroFrontmatter {
  code: string;
  /** UTF-16 offset of `code` in the file text. */
  offset: number;
}

const OPENING = /^(\uFEFF?[ \t\r\n]*)---[ \t]*\r?\n/;
const CLOSING = /^---[ \t]*(?:\r?\n|$)/m;

/** The frontmatter, or undefined when the file has none (a template-only component). */
export function astroFrontmatter(text: string): AstroFrontmatter | undefined {
  const opening = OPENING.exec(text);
  if (!opening) return undefined;
  const offset = opening[0].length;
  const rest = text.slice(offset);
  const closing = CLOSING.exec(rest);
  // No closing fence: Astro's compiler reads the whole rest as script; so do we.
  const code = closing ? rest.slice(0, closing.index) : rest;
  return { code, offset };
}

/**
 * The file text with everything outside the frontmatter blanked (each character but line breaks becomes a
 * space): the TypeScript parser sees only the script, and every offset and line is the file's own, so edits
 * computed on it splice into the original `.astro` text unchanged.
 */
export function astroScript(text: string): string {
  const frontmatter = astroFrontmatter(text);
  const blank = (part: string): string => part.replace(/[^\r\n]/g, ' ');
  if (!frontmatter) return blank(text);
  const end = frontmatter.offset + frontmatter.code.length;
  return blank(text.slice(0, frontmatter.offset)) + frontmatter.code + blank(text.slice(end));
}
