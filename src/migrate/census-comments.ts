import type { FileAnalysis } from './analysis.js';
import { nodeAfter, type Occurrence } from './census-occurrences.js';
import { reasonWord, type ManualVerdict } from './census-verdicts.js';

/**
 * 403s in comments (census.ts): documentation that generates an API description or documentation from its
 * comments (@openapi/@swagger JSDoc, swagger-autogen, apiDoc) declares 403 again; other comments are prose.
 */

/**
 * A comment holding 403: a declaration of an @openapi/@swagger JSDoc block, a swagger-autogen comment or an
 * apiDoc block becomes a manual site on the line that declares it (the generated document would list 403
 * again); any other comment is kind `comment`.
 */
export function classifyComment(analysis: FileAnalysis, occurrence: Occurrence): 'comment' | ManualVerdict {
  const { text } = analysis;
  const body = text.slice(occurrence.start, occurrence.end);
  const declared = /\b403\b/.exec(body);
  if (/@(?:openapi|swagger)\b/i.test(body) && declared)
    return documentationLine(
      analysis,
      occurrence,
      declared.index,
      `Declares 403 in an @openapi/@swagger JSDoc block${times(body)}: the document generated from it will list 403 again. Change it to ${analysis.target} there.`,
    );
  // swagger-autogen (`#swagger.responses[403] = { ... }` in the handler's comment) writes the committed
  // document from these comments. Source: swagger-autogen README, "Responses" (`#swagger.responses[statusCode]`).
  const autogen = SWAGGER_AUTOGEN_403.exec(body);
  if (autogen)
    return {
      ...documentationLine(
        analysis,
        occurrence,
        autogen.index + autogen[0].indexOf('403'),
        `Declares 403 in a swagger-autogen comment (#swagger.responses[403])${times(body)}: the document swagger-autogen generates from it will list 403 again. Change it to ${analysis.target} there.`,
      ),
      framework: 'swagger-autogen',
    };
  const apidoc = apidocDeclaration(body);
  if (apidoc !== undefined)
    return {
      ...documentationLine(
        analysis,
        occurrence,
        apidoc,
        `Documents 403 in an apiDoc block (@apiError, @apiErrorExample)${times(body)}: the documentation apidoc generates from it will still say 403. Change it to ${analysis.target} (${reasonWord(analysis.target)}) there.`,
      ),
      framework: 'apidoc',
    };
  return 'comment';
}

/** A swagger-autogen response declaration for 403: `#swagger.responses[403]`, `['403']`, `["403"]`. */
const SWAGGER_AUTOGEN_403 = /#swagger\.responses\s*\[\s*(['"`]?)403\1\s*\]/;

/**
 * A documentation comment's site: located at the line that holds the 403 (`offset` in the comment), owned by
 * the code the block documents (or the file's end).
 */
function documentationLine(
  analysis: FileAnalysis,
  occurrence: Occurrence,
  offset: number,
  reason: string,
): ManualVerdict {
  const { text } = analysis;
  const at = occurrence.start + offset;
  // Any line end: `\n`, `\r\n`, or the `\r` alone of a file saved with old Mac line ends.
  const lineStart = Math.max(text.lastIndexOf('\n', at), text.lastIndexOf('\r', at)) + 1;
  const lineEnd = /[\r\n]/.exec(text.slice(at))?.index;
  const line = text.slice(lineStart, lineEnd === undefined ? text.length : at + lineEnd);
  const lead = /^[\s*]*/.exec(line)?.[0].length ?? 0;
  const node = nodeAfter(analysis.sourceFile, occurrence.end) ?? analysis.sourceFile.endOfFileToken;
  return {
    node,
    at: node,
    range: { start: lineStart + lead, end: lineStart + line.trimEnd().length },
    reason,
  };
}

/**
 * The offset of the first 403 in a comment that an apiDoc tag owns (`@apiError (Forbidden 403) ...`, the
 * `HTTP/1.1 403 Forbidden` line of an `@apiErrorExample`): the last `@tag` before it is `@api` or `@apiXxx`.
 * Undefined for prose and other tags. Source: apidocjs.com, "apiError", "apiErrorExample".
 */
function apidocDeclaration(body: string): number | undefined {
  const tags = [...body.matchAll(/@([A-Za-z]+)/g)];
  for (const found of body.matchAll(/\b403\b/g)) {
    const index = found.index;
    const owner = tags.filter((t) => t.index < index).pop();
    if (owner && /^api(?:[A-Z]\w*)?$/.test(owner[1] ?? '')) return index;
  }
  return undefined;
}

function times(body: string): string {
  const n = body.match(/\b403\b/g)?.length ?? 0;
  return n > 1 ? ` (${n} times, from this line on)` : '';
}
