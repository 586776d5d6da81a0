import jsYaml from 'js-yaml';
import ts from '../../typescript.cjs';
import type { CodeRoute } from './model.js';
import type { ProjectFile } from './project.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/** The OpenAPI operation keys of a path item (OpenAPI 3.x "Path Item Object"; `query` is 3.2's). */
export const HTTP_METHODS = new Set([
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
  'query',
]);

/** The framework name of a declared route, in reports. */
export const DECLARED = 'openapi-declaration';

/**
 * What a documentation block around a 403 declares: the routes it names, or why mtls-fix cannot tell which
 * (`unreadable`, a sentence naming the file and line, for the site's manual reason).
 */
export type DocBlockReading = { routes: CodeRoute[] } | { unreadable: string };

/**
 * The routes of the documentation block comment holding `position`: an `@openapi` / `@swagger` block (swagger-jsdoc
 * parses what follows the tag as YAML path items; source: swagger-jsdoc README, "Annotating source code") or an
 * apiDoc block (`@api {method} path [title]`; source: apidocjs.com, "@api"). Undefined when the position is in no
 * such block. A block mtls-fix cannot read, so that the operation its 403 belongs to is unknown, is
 * `unreadable` with the reason: YAML that does not parse (with the file line of the YAML error), YAML that holds
 * no path item with the 403, an apiDoc block with no readable `@api` line, or an `@apiDefine` group (its 403 goes
 * to each block that `@apiUse`s it, which mtls-fix does not follow).
 */
export function docBlockRoutes(
  file: ProjectFile,
  text: string,
  position: number,
): DocBlockReading | undefined {
  const comment = commentAt(file.sourceFile, position);
  if (comment?.kind !== ts.SyntaxKind.MultiLineCommentTrivia) return undefined;
  const open = comment.pos;
  const close = comment.end - 2;
  const start = text[open + 2] === '*' ? open + 3 : open + 2;
  const body = text.slice(start, close);
  const lineAt = (offset: number): number => lineAndCharacterAt(file.sourceFile, offset).line + 1;
  const tag = /@(openapi|swagger)\b[^\r\n]*(?:\r\n|\r|\n)/i.exec(body);
  if (tag) return openapiBlock(file, body, tag, lineAt(open), lineAt(start + tag.index) + 1);
  if (/@api(?:Define|Error|ErrorExample|Success|SuccessExample|Use)?\b/.test(body))
    return apidocBlock(file, body, lineAt(open));
  return undefined;
}

/** The comment holding `position` (a token's leading trivia), if it is in one. */
function commentAt(sourceFile: ts.SourceFile, position: number): ts.CommentRange | undefined {
  let node: ts.Node = sourceFile;
  for (;;) {
    const child = node.getChildren(sourceFile).find((c) => c.pos <= position && position < c.end);
    // A JSDoc comment parsed as a node (a parser that reads JSDoc).
    if (child && ts.isJSDoc(child))
      return { pos: child.pos, end: child.end, kind: ts.SyntaxKind.MultiLineCommentTrivia };
    if (!child || position >= child.getStart(sourceFile)) {
      if (child) node = child;
      if (!child || child.getChildCount(sourceFile) === 0) break;
      continue;
    }
    return ts
      .getLeadingCommentRanges(sourceFile.text, child.pos)
      ?.find((range) => range.pos <= position && position < range.end);
  }
  return undefined;
}

function openapiBlock(
  file: ProjectFile,
  body: string,
  tag: RegExpExecArray,
  line: number,
  firstYamlLine: number,
): DocBlockReading {
  const where = `the @${tag[1] ?? 'openapi'} block at ${file.relative}:${line}`;
  const yaml = body
    .slice(tag.index + tag[0].length)
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(/^\s*\*(?: |$)/, ''))
    .join('\n');
  let parsed: unknown;
  try {
    parsed = jsYaml.load(yaml, { json: true });
  } catch (error) {
    const mark = error instanceof jsYaml.YAMLException ? error.mark : undefined;
    const why = error instanceof jsYaml.YAMLException ? error.reason : String(error);
    const at = mark ? ` at line ${firstYamlLine + mark.line}` : '';
    return {
      unreadable: `Its YAML does not parse (${why}${at}), so ${where} names no operation mtls-fix can read (swagger-jsdoc fails on it too): fix the YAML, then run again, or review which operation this 403 answers by hand.`,
    };
  }
  const routes: CodeRoute[] = [];
  for (const [path, item] of Object.entries(isRecord(parsed) ? parsed : {})) {
    if (!path.startsWith('/') || !isRecord(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method.toLowerCase()) || !isRecord(operation)) continue;
      const responses = operation.responses;
      if (!isRecord(responses) || !Object.keys(responses).some((k) => k.trim() === '403')) continue;
      routes.push(docRoute(file, method, path, 'openapi', line));
    }
  }
  // A block of shared definitions only (`components:`, `tags:`, …) declares no operation's response.
  if (
    routes.length ||
    (isRecord(parsed) && Object.keys(parsed).every((k) => ROOT_KEYS.has(k) || k.startsWith('x-')))
  )
    return { routes };
  return {
    unreadable: `${capital(where)} holds no path item whose responses list 403 (a path item mtls-fix could read: '/path': method: responses: 403): review which operation this 403 answers by hand.`,
  };
}

/**
 * Keys of a swagger-jsdoc block that are not path items: merged into the document's root (swagger-jsdoc
 * `organize`; OpenAPI 3 `components`, `tags`, Swagger 2.0 `definitions`, `parameters`, `responses`,
 * `securityDefinitions`).
 */
const ROOT_KEYS = new Set([
  'components',
  'tags',
  'definitions',
  'parameters',
  'responses',
  'securityDefinitions',
]);

/** `@api {get} /users/:id Title`: the method and the path (apiDoc's paths use `:name` parameters). */
const APIDOC_ROUTE = /@api\s+\{\s*([A-Za-z]+)\s*\}\s+(\S+)/;

function apidocBlock(file: ProjectFile, body: string, line: number): DocBlockReading {
  const where = `the apiDoc block at ${file.relative}:${line}`;
  const define = /@apiDefine\s+(\S+)/.exec(body);
  if (define)
    return {
      unreadable: `${capital(where)} defines the group '${define[1] ?? ''}': its 403 goes to every block that says @apiUse ${define[1] ?? ''}, which mtls-fix does not follow. Review those blocks' operations by hand.`,
    };
  const route = APIDOC_ROUTE.exec(body);
  const method = route?.[1]?.toLowerCase();
  const path = route?.[2]?.replace(/\?.*$/, '');
  if (!method || !path || !HTTP_METHODS.has(method) || !path.startsWith('/'))
    return {
      unreadable: `${capital(where)} has no @api {method} /path line mtls-fix can read, so the operation its 403 documents is unknown: review it by hand.`,
    };
  return { routes: [docRoute(file, method, path, path.includes('{') ? 'openapi' : 'colon', line)] };
}

function docRoute(
  file: ProjectFile,
  method: string,
  path: string,
  syntax: CodeRoute['syntax'],
  line: number,
): CodeRoute {
  return {
    framework: DECLARED,
    method: method.toUpperCase(),
    path,
    syntax,
    file: file.relative,
    line,
    handlers: [],
  };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
