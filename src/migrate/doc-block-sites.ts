import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import type { Edit } from './types.js';
import { reasonPhrase } from './status-names.js';
import { nodeAfter } from './census-occurrences.js';
import { addDocumentationSite, commentLineRange, localFollow } from './doc-route-follow.js';

/**
 * The 403 response keys of the `@openapi` / `@swagger` JSDoc blocks of a file (swagger-jsdoc builds the API
 * document from them: https://github.com/Surnet/swagger-jsdoc/blob/master/docs/README.md), rewritten as the
 * route's own declaration: `403:` / `'403':` under a `responses:` key becomes the agreed status, and a
 * `description: Forbidden` of that entry its reason phrase, when the registration the block documents (the code
 * right after it) holds 403 sites and all of them are rewritten. One site per block, covering the block, so the
 * census counts the block as rewritten.
 *
 * A block whose `responses` map already has the agreed status is reported for a person to merge (renamed, the
 * document would list it twice). A block is left to the census (reported by hand, as before) when a 403 in it is
 * something else than a `responses` key, or when its route is not all rewritten. Reads the file's text; adds
 * sites to `analysis`; returns nothing.
 */
export function addDocBlockSites(analysis: FileAnalysis): void {
  const { text } = analysis;
  if (!text.includes('403') || !DOC_TAG.test(text)) return;
  for (const block of text.matchAll(BLOCK)) {
    const body = block[0];
    if (!DOC_TAG.test(body) || !/\b403\b/.test(body)) continue;
    const start = block.index;
    const read = blockEdits(analysis, body, start);
    if (!read) continue;
    const end = start + body.length;
    const node = nodeAfter(analysis.sourceFile, end) ?? analysis.sourceFile.endOfFileToken;
    const place = { node, at: node, framework: 'openapi-jsdoc', cover: { start, end } };
    // The block follows the route it documents: when that route's own 403s are all rewritten, or it holds none
    // and the middleware it names answers 403 only where this run rewrites it (decided once every file is read,
    // doc-routes-settle.ts). A block over no registration call follows the rewrites of the code it documents.
    const registration = registrationCall(node);
    const local = localFollow(analysis, registration ?? node);
    if (!registration && local !== 'rewritten') continue;
    // A twin is named only where the route is known rewritten; else the census reports the block as before.
    if ('twin' in read) {
      if (local === 'rewritten')
        analysis.addSite({
          ...place,
          manual: true,
          range: commentLineRange(text, read.twin),
          reason: `The responses of this @openapi/@swagger JSDoc block already list ${analysis.target}: merge the 403 response into it by hand (one response per status), or remove it; renamed, the generated document would list ${analysis.target} twice.`,
        });
    } else
      addDocumentationSite(
        analysis,
        { ...place, edits: read.edits, range: commentLineRange(text, read.edits[0].start) },
        registration,
      );
  }
}

/** `@openapi` or `@swagger` (swagger-jsdoc's two tags). */
const DOC_TAG = /@(?:openapi|swagger)\b/;
/** A block comment: JSDoc blocks hold the YAML. */
const BLOCK = /\/\*\*[\s\S]*?\*\//g;
/** A line's text after the JSDoc margin (`   * `): its YAML content, indentation kept. */
const MARGIN = /^[ \t]*\*?/;
/** A YAML mapping key for 403 (`403:`, `'403':`, `"403":`), the rest of the line after it. */
const KEY_403 = /^(\s*)(['"]?)403\2\s*:(.*)$/;
const KEY = /^(\s*)(['"]?)([^'":\s][^'":]*)\2\s*:/;

interface Line {
  /** Absolute offset of the content (after the margin). */
  at: number;
  content: string;
  indent: number;
}

/**
 * The edits that rewrite every 403 of a block; `twin`, the offset of a 403 key whose `responses` already hold the
 * agreed status; undefined when a 403 of the block is not a `responses` key (the census reports the block).
 */
function blockEdits(
  analysis: FileAnalysis,
  body: string,
  offset: number,
): { edits: Edit[] } | { twin: number } | undefined {
  const lines: Line[] = [];
  let from = 0;
  for (const raw of body.split('\n')) {
    const margin = MARGIN.exec(raw)?.[0].length ?? 0;
    const content = raw.slice(margin).replace(/\r$/, '');
    lines.push({ at: offset + from + margin, content, indent: content.length - content.trimStart().length });
    from += raw.length + 1;
  }
  const target = String(analysis.target);
  const edits: Edit[] = [];
  let keys = 0;
  let twin: number | undefined;
  for (const [index, line] of lines.entries()) {
    const key = KEY_403.exec(line.content);
    if (!key) continue;
    const parent = lines
      .slice(0, index)
      .reverse()
      .find((l) => l.content.trim() && l.indent < line.indent);
    if (!parent || !/^\s*responses\s*:\s*$/.test(parent.content)) return undefined;
    const at = line.at + line.indent + key[2].length;
    if (siblingKeys(lines, lines.indexOf(parent), line.indent).includes(target)) twin ??= at;
    edits.push({ start: at, end: at + 3, text: target });
    edits.push(...descriptionEdits(analysis, lines, index, key[3] ?? ''));
    keys++;
  }
  const all = body.match(/\b403\b/g)?.length ?? 0;
  if (!keys || keys !== all) return undefined;
  return twin === undefined ? { edits } : { twin };
}

/** The keys of the mapping a `responses:` line (at `parent`) opens, at indentation `indent`. */
function siblingKeys(lines: readonly Line[], parent: number, indent: number): string[] {
  const keys: string[] = [];
  for (const line of lines.slice(parent + 1)) {
    if (!line.content.trim()) continue;
    if (line.indent < indent) break;
    if (line.indent !== indent) continue;
    const key = KEY.exec(line.content);
    if (key) keys.push(key[3].trim());
  }
  return keys;
}

/** `description: Forbidden` of the entry at `index` (its own line's flow value, or its child lines). */
function descriptionEdits(
  analysis: FileAnalysis,
  lines: readonly Line[],
  index: number,
  rest: string,
): Edit[] {
  const own = lines[index];
  // The entry's own lines: those after the key, up to the next line at its indentation or less.
  const after = lines.slice(index + 1);
  const stop = after.findIndex((l) => l.content.trim() && l.indent <= own.indent);
  const entry = [...(rest.trim() ? [own] : []), ...(stop === -1 ? after : after.slice(0, stop))];
  const phrase = reasonPhrase(analysis.target);
  for (const line of entry) {
    const found = /\bdescription\s*:\s*(['"]?)(Forbidden)([.!]?)\1\s*(?:[,}]|$)/.exec(line.content);
    if (!found) continue;
    const at = line.at + found.index + found[0].indexOf('Forbidden');
    return [{ start: at, end: at + 'Forbidden'.length, text: phrase }];
  }
  return [];
}

/**
 * The registration a block documents: the code right after it when that is a call (`app.get(…)`,
 * `router.route(…).post(…)`), as a statement or awaited; undefined for anything else (a function declaration).
 */
function registrationCall(node: ts.Node): ts.CallExpression | undefined {
  let value: ts.Node = ts.isExpressionStatement(node) ? node.expression : node;
  if (ts.isAwaitExpression(value)) value = value.expression;
  return ts.isCallExpression(value) ? value : undefined;
}
