import ts from '../typescript.cjs';
import { nodeAt } from './routes/reach.js';

/**
 * Whether the 403 at `position` of a server file only documents a status and sends none: an OpenAPI decorator
 * (`@ApiForbiddenResponse(...)`, `@ApiResponse({ status: 403 })` and every other `@Api…Response` of
 * @nestjs/swagger, tsoa's `@Response(403, …)` / `@SuccessResponse`), or the `403` key of a route's response
 * map (`responses: { 403: … }` of @hono/zod-openapi's `createRoute`, Fastify's `schema.response`). Such a site
 * is rewritten with its route, but the 403 a test receives comes from elsewhere: a test never follows it alone.
 * So is a 403 key of an `@openapi` / `@swagger` JSDoc block or of a swagger-autogen comment.
 * Sources: @nestjs/swagger "Operations" (ApiResponse decorators); tsoa "Responses"; @hono/zod-openapi README;
 * Fastify "Validation and Serialization" (response schemas serialize, they never set the status).
 */
export function documentsOnly(sourceFile: ts.SourceFile, position: number): boolean {
  if (inDocBlock(sourceFile.text, position)) return true;
  for (let node = nodeAt(sourceFile, position); node; node = node.parent) {
    if (ts.isDecorator(node)) return DOC_DECORATOR.test(decoratorName(node));
    if (ts.isPropertyAssignment(node) && isStatusKey(node.name)) {
      const map = node.parent;
      const owner = ts.isObjectLiteralExpression(map) ? map.parent : undefined;
      if (owner && ts.isPropertyAssignment(owner) && RESPONSE_MAPS.has(owner.name.getText(sourceFile)))
        return true;
    }
    if (ts.isFunctionLike(node) || ts.isSourceFile(node)) return false;
  }
  return false;
}

/**
 * @nestjs/swagger's `Api…Response` decorators, tsoa's `Response` / `SuccessResponse`, LoopBack's `response`,
 * routing-controllers-openapi's `ResponseSchema`.
 */
const DOC_DECORATOR = /^(Api\w*Response|Response|SuccessResponse|response|ResponseSchema)$/;

/** Properties whose object maps statuses to response descriptions or schemas. */
const RESPONSE_MAPS = new Set(['responses', 'response']);

function decoratorName(decorator: ts.Decorator): string {
  const expression = ts.isCallExpression(decorator.expression)
    ? decorator.expression.expression
    : decorator.expression;
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return '';
}

function isStatusKey(name: ts.PropertyName): boolean {
  return (ts.isNumericLiteral(name) || ts.isStringLiteral(name)) && /^\d{3}$/.test(name.text);
}

/**
 * Whether `position` is inside an `@openapi` / `@swagger` JSDoc block (swagger-jsdoc's source of the document;
 * doc-block-sites.ts rewrites its 403 keys) or a swagger-autogen comment (swagger-autogen-sites.ts):
 * documentation, never a status sent.
 */
function inDocBlock(text: string, position: number): boolean {
  const lineStart = text.lastIndexOf('\n', position) + 1;
  const line = text.slice(lineStart, position);
  // A swagger-autogen line comment (`// #swagger.responses[403] = …`, swagger-autogen-sites.ts).
  if (/\/\/[^'"`]*#swagger\./.test(line)) return true;
  const open = text.lastIndexOf('/*', position);
  if (open === -1) return false;
  const close = text.indexOf('*/', open + 2);
  if (close === -1 || close < position) return false;
  const body = text.slice(open, close);
  // An `@openapi` / `@swagger` JSDoc block, or a swagger-autogen block comment (`#swagger.responses[403]`).
  return (text.startsWith('/**', open) && /@(?:openapi|swagger)\b/.test(body)) || body.includes('#swagger.');
}
