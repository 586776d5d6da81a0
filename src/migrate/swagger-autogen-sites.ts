import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { addDocumentationSite, commentLineRange, localFollow } from './doc-route-follow.js';
import { nodePath } from './node-path.js';
import { reasonPhrase } from './status-names.js';
import type { Edit } from './types.js';

/**
 * swagger-autogen comments (`#swagger.responses[403] = { … }` in a route handler, in a block or line comment):
 * swagger-autogen writes the committed API document from them, so a 403 response key follows its route the way
 * an `@openapi` JSDoc block does (doc-block-sites.ts): renamed to the agreed status (with a `description:
 * 'Forbidden'` of that entry) when the registration whose handler holds the comment answers 403 only where this
 * run rewrites it, here or (doc-routes-settle.ts) in the middleware it names. Left to the census (reported by
 * hand, census-comments.ts) when another 403 of the comment is prose, when the comment already declares the agreed
 * status (renamed, the document would list it twice), or when the comment is in no handler of a registration.
 * Source: swagger-autogen README, "Responses" (`#swagger.responses[statusCode]`). Adds sites to `analysis`.
 */
export function addSwaggerAutogenSites(analysis: FileAnalysis): void {
  const { text, sourceFile } = analysis;
  if (!text.includes('#swagger.responses')) return;
  for (const comment of text.matchAll(COMMENT)) {
    const body = comment[0];
    const start = comment.index;
    if (!body.includes('#swagger.responses') || !/\b403\b/.test(body)) continue;
    const registration = registrationAround(sourceFile, start);
    if (!registration) continue;
    const read = keyEdits(body, start, analysis.target);
    if (!read) continue;

    const end = start + body.length;
    const at = 'twin' in read ? read.twin : read.edits[0].start;
    const node = nodePath(sourceFile, at).at(-1) ?? sourceFile;
    if ('twin' in read) {
      if (localFollow(analysis, registration) === 'open') continue;
      analysis.addSite({
        node,
        at: node,
        framework: 'swagger-autogen',
        cover: { start, end },
        manual: true,
        range: commentLineRange(text, at),
        reason: `This swagger-autogen comment already declares #swagger.responses[${analysis.target}]: merge its 403 response into that one by hand (one response per status), or remove it; renamed, the generated document would declare ${analysis.target} twice.`,
      });
      continue;
    }
    addDocumentationSite(
      analysis,
      {
        node,
        at: node,
        framework: 'swagger-autogen',
        cover: { start, end },
        edits: read.edits,
        range: commentLineRange(text, at),
      },
      registration,
    );
  }
}

/** Block and line comments (their text; a match inside a string is dropped by {@link registrationAround}). */
const COMMENT = /\/\*[\s\S]*?\*\/|\/\/[^\n\r]*/g;

/** `#swagger.responses[403]`, `['403']`, `["403"]`: the 403 is group 2's place. */
const KEY_403 = /#swagger\.responses\s*\[\s*(['"`]?)403\1\s*\]/g;

/**
 * The edits renaming each 403 response key of a comment (and the `description: 'Forbidden'` of its entry) to
 * `target`; `twin`, the offset of the first 403 key when the comment already declares `target`; undefined when
 * a 403 of the comment is not such a key.
 */
function keyEdits(
  body: string,
  offset: number,
  target: number,
): { edits: Edit[] } | { twin: number } | undefined {
  const keys = [...body.matchAll(KEY_403)];
  const all = body.match(/\b403\b/g)?.length ?? 0;
  if (!keys.length || keys.length !== all) return undefined;
  const twin = new RegExp(`#swagger\\.responses\\s*\\[\\s*(['"\`]?)${target}\\1\\s*\\]`);
  if (twin.test(body)) return { twin: offset + keys[0].index + keys[0][0].indexOf('403') };
  const edits: Edit[] = [];
  for (const key of keys) {
    const at = offset + key.index + key[0].indexOf('403');
    edits.push({ start: at, end: at + 3, text: String(target) });
    // The entry: from the key to the next `#swagger.` declaration or the comment's end.
    const after = key.index + key[0].length;
    const next = body.indexOf('#swagger.', after);
    const entry = body.slice(after, next === -1 ? body.length : next);
    const description = /\bdescription\s*:\s*(['"`])(Forbidden)([.!]?)\1/.exec(entry);
    if (description) {
      const from = offset + after + description.index + description[0].indexOf('Forbidden');
      edits.push({ start: from, end: from + 'Forbidden'.length, text: reasonPhrase(target) });
    }
  }
  return { edits };
}

/**
 * The call that registers the route whose handler holds the comment at `position`: the innermost function around
 * it must be an argument of a call (`app.get('/x', [validApiKey], async (req, res) => { /* … *\/ })`).
 * Undefined when the position is inside a string or template, or in no such function.
 */
function registrationAround(sourceFile: ts.SourceFile, position: number): ts.CallExpression | undefined {
  const path = nodePath(sourceFile, position);
  const last = path.at(-1);
  if (last && last.getStart(sourceFile) <= position && STRING_KINDS.has(last.kind)) return undefined;
  const fn = [...path].reverse().find((node) => ts.isArrowFunction(node) || ts.isFunctionExpression(node));
  const call = fn?.parent;
  return call && ts.isCallExpression(call) && call.arguments.some((a) => a === fn) ? call : undefined;
}

const STRING_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.JsxText,
]);
