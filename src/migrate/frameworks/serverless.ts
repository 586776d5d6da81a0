import { isOuter } from '../analysis/syntax.js';
import ts from '../../typescript.cjs';
import type { FileAnalysis, SiteInput } from '../analysis.js';
import { FIREBASE_CODES } from '../status-names.js';
import { enclosingFunction } from '../scope.js';
import type { Framework } from './framework.js';
import { authorizerAssignment, authorizerDenial } from './authorizer-results.js';
import { claudiaResponse, claudiaRouteOptions } from './claudia.js';
import { isModuleLevelDeclaration, resultContext } from './result-types.js';
import { challengeHeaders } from './challenge-headers.js';
import { exportNamesOf } from '../analysis/call-sites.js';
import { exportsNamedAsHandlers } from './serverless-handlers.js';
import { exportedUnderAnyName } from './lambda-exports.js';
import { assignment, challenge, statusProperty } from './shared.js';
import { wrapperRemapOf } from './lambda-wrapper-remaps.js';
import { lambdaHandlerShaped } from './lambda-handler-shape.js';

/** Properties that, beside `statusCode`, mark an object as a Lambda proxy / ALB result. */
const LAMBDA_KEYS = [
  'body',
  'headers',
  'multiValueHeaders',
  'isBase64Encoded',
  'statusDescription',
  'cookies',
];
/** Beside `status`, an Azure Functions HttpResponseInit. */
const AZURE_KEYS = ['body', 'jsonBody', 'headers', 'cookies'];

/**
 * Serverless return objects: AWS Lambda (API Gateway, function URLs, ALB with `statusDescription`, Lambda@Edge
 * `{ status: '403', statusDescription }` results for CloudFront),
 * Azure Functions (`return { status }`, `new HttpResponse({ status })`, v3 `context.res = { status }`),
 * Firebase callable `HttpsError('permission-denied')`, and API Gateway authorizer results that deny, written as
 * object literals or by property assignment (authorizer-results.ts).
 */
export const serverless: Framework = {
  id: 'serverless',
  title: 'AWS Lambda / ALB, Azure Functions, Firebase callable',
  enablers: [],
  kinds: [
    ts.SyntaxKind.ObjectLiteralExpression,
    ts.SyntaxKind.NewExpression,
    ts.SyntaxKind.PropertyAssignment,
    ts.SyntaxKind.BinaryExpression,
  ],
  visit(node, analysis) {
    if (ts.isObjectLiteralExpression(node)) {
      claudiaRouteOptions(analysis, node);
      resultObject(analysis, node);
      return;
    }
    if (ts.isNewExpression(node)) {
      if (claudiaResponse(analysis, node)) return;
      const callee = node.expression.getText(analysis.sourceFile);
      if (/(^|\.)HttpsError$/.test(callee)) firebase(analysis, node);
      if (callee === 'HttpResponse' && analysis.importOf('HttpResponse')?.module === '@azure/functions') {
        const init = node.arguments?.[0];
        const status =
          init && ts.isObjectLiteralExpression(init) ? statusProperty(init, 'status') : undefined;
        if (status) analysis.statusSlot(status.value, node, 'serverless');
      }
      return;
    }
    if (ts.isPropertyAssignment(node)) authorizerDenial(analysis, node, 'serverless');
    else if (ts.isBinaryExpression(node)) authorizerAssignment(analysis, node, 'serverless');
  },
};

/**
 * `return { statusCode: 403, body }`, `callback(null, { statusCode: 403 })`, `context.done(null, { … })`,
 * `context.succeed({ … })`, `context.res = { status: 403 }`,
 * Lambda@Edge `return { status: '403', statusDescription: 'Forbidden' }`.
 */
function resultObject(analysis: FileAnalysis, object: ts.ObjectLiteralExpression): void {
  // Every result below has a `statusCode` or a `status` key: an object with neither is no result, and the
  // context (a walk of the function around it) is not worth computing for it.
  const statusCode = statusProperty(object, 'statusCode');
  const status = statusProperty(object, 'status');
  if (!statusCode && !status) return;
  // `return ok ? { statusCode: 200 } : { statusCode: 403 }` returns either branch.
  let value: ts.Node = object;
  while (
    isOuter(value.parent) ||
    (ts.isConditionalExpression(value.parent) && value.parent.condition !== value)
  )
    value = value.parent;
  const parent = value.parent;
  const returned =
    ts.isReturnStatement(parent) ||
    (ts.isArrowFunction(parent) && parent.body === value) ||
    (ts.isCallExpression(parent) &&
      parent.arguments.length === 2 &&
      parent.arguments[0].kind === ts.SyntaxKind.NullKeyword) ||
    // Node 4.3-era handlers: `context.succeed({ statusCode: 403 })`.
    (ts.isCallExpression(parent) &&
      parent.arguments.length === 1 &&
      ts.isPropertyAccessExpression(parent.expression) &&
      parent.expression.name.text === 'succeed');
  const assignedToRes = assignment(parent)?.property === 'res' && assignment(parent)?.right === object;
  // Typed results (`: APIGatewayProxyResult`, `Promise<HttpResponseInit>`, a Lambda handler) need no other key.
  // A result declared once at module level is shared: the results module reports it and its uses.
  if (isModuleLevelDeclaration(object)) return;
  const context = resultContext(analysis, object);
  if (!returned && !assignedToRes && context !== 'lambda' && context !== 'azure') return;
  const keys = new Set(object.properties.map((p) => (p.name && ts.isIdentifier(p.name) ? p.name.text : '')));
  // A function serverless.yml names as a handler returns the response, `{ statusCode: 403 }` alone included.
  const configured = returned && configuredHandler(analysis, object);
  if (statusCode && (context === 'lambda' || configured || LAMBDA_KEYS.some((k) => keys.has(k)))) {
    // `{ statusCode, body }` is a Lambda result only in a handler context (issue 8 §5).
    const callback = ts.isCallExpression(parent);
    if (
      context === 'lambda' ||
      configured ||
      callback ||
      lambdaContext(analysis, object) ||
      (returned && returnedByHandlers(analysis, object))
    ) {
      if (wrapperRemapped(analysis, object, statusCode.value)) return;
      analysis.statusSlot(statusCode.value, object, 'serverless', () => resultHeaders(analysis, object));
    } else if (analysis.forbiddenValueEdits(statusCode.value)) {
      // `export const handler = wrap404(async () => ({ statusCode: 403 }))`: the wrapper's remap decides.
      if (wrapperRemapped(analysis, object, statusCode.value)) return;
      analysis.addSite({
        node: object,
        framework: 'serverless',
        manual: true,
        reason: unprovenHandlerReason(object),
      });
    }
    return;
  }
  if (status && keys.has('statusDescription') && (returned || context === 'lambda')) {
    // Lambda@Edge / CloudFront: `{ status: '403', statusDescription: 'Forbidden' }` is the viewer's response.
    if (context === 'lambda' || ts.isCallExpression(parent) || lambdaContext(analysis, object)) {
      analysis.statusSlot(status.value, object, 'serverless', () => cloudFrontHeaders(analysis, object));
      return;
    }
  }
  const azure = analysis.importsModule('@azure/functions') || assignedToRes;
  if (status && (context === 'azure' || (azure && AZURE_KEYS.some((k) => keys.has(k))))) {
    analysis.statusSlot(status.value, object, 'serverless', () => resultHeaders(analysis, object));
  }
}

/**
 * A 403 result of a handler handed to a wrapper that answers another status for 403 (lambda-wrapper-remaps.ts):
 * the client never gets this 403 but the wrapper's status. To the agreed status: the rewrite stands (the wrapper's
 * remap is then unused), with a note naming it. To another one (`404`): the result is named and left as written,
 * since a rewrite would change what the client gets. Before session 48 both were rewritten without a word. True
 * when the site was made here.
 */
function wrapperRemapped(
  analysis: FileAnalysis,
  object: ts.ObjectLiteralExpression,
  value: ts.Expression,
): boolean {
  if (!analysis.forbiddenValueEdits(value)) return false;
  const remap = wrapperRemapOf(analysis, object);
  if (!remap) return false;
  if (remap.status === analysis.target) {
    analysis.statusSlot(value, object, 'serverless', () => ({
      ...resultHeaders(analysis, object),
      reason: `The wrapper ${remap.via} already answers ${remap.status} for this 403 (${remap.at}): this result now says ${analysis.target} itself, and that remap no longer fires for it.`,
    }));
    return true;
  }
  analysis.addSite({
    node: object,
    framework: 'serverless',
    manual: true,
    reason: `The wrapper ${remap.via} answers ${remap.status} for this 403 (${remap.at}), so the client gets ${remap.status}, not 403; mtls-fix leaves it, since writing ${analysis.target} here would change that answer. If ${remap.status} is not what the route should answer, change the remap (or this result) by hand; else mark it // mtls-fix-ignore: <why>.`,
  });
  return true;
}

/** Firebase callable: `permission-denied` maps to 403; `unauthenticated` to 401, `not-found` to 404. */
function firebase(analysis: FileAnalysis, node: ts.NewExpression): void {
  const code = node.arguments?.[0];
  if (!code || !ts.isStringLiteral(code) || code.text !== 'permission-denied') return;
  const target = FIREBASE_CODES[analysis.target];
  if (!target) {
    analysis.addSite({
      node,
      framework: 'serverless',
      manual: true,
      reason: `No Firebase HttpsError code maps to ${analysis.target}.`,
    });
    return;
  }
  analysis.addSite({ node, framework: 'serverless', edits: [analysis.phraseEdit(code, target)] });
}

/** A Lambda / Azure result carries its headers: the challenge goes into them (never over an existing one). */
function resultHeaders(analysis: FileAnalysis, object: ts.ObjectLiteralExpression): Partial<SiteInput> {
  const scheme = challenge(analysis);
  if (!scheme || /www-authenticate/i.test(object.getText(analysis.sourceFile))) return {};
  return challengeHeaders(analysis, object, scheme, 'record');
}

/**
 * CloudFront writes headers as `{ 'www-authenticate': [{ key: 'WWW-Authenticate', value }] }`: the challenge is
 * left to a person (never over one the code sets).
 */
function cloudFrontHeaders(analysis: FileAnalysis, object: ts.ObjectLiteralExpression): Partial<SiteInput> {
  const scheme = challenge(analysis);
  if (!scheme || /www-authenticate/i.test(object.getText(analysis.sourceFile))) return {};
  return {
    reason: `A CloudFront result: add headers['www-authenticate'] = [{ key: 'WWW-Authenticate', value: '${scheme}' }] by hand.`,
  };
}

/** Types that say a function is a Lambda (or ALB) handler or returns its result. */
const LAMBDA_TYPES =
  /\b(APIGateway\w*|ALB\w*|LambdaFunctionURL\w*|CloudFront\w*|Handler|ProxyResult\w*|Context)\b/;
// Any module of middy (`@middy/core`, v1's `middy`) or of Powertools (`@aws-lambda-powertools/logger`, …).
const LAMBDA_MODULES = ['aws-lambda', '@types/aws-lambda', 'middy', '@middy', '@aws-lambda-powertools'];

/**
 * A result built by a local function (`const reply = (ok, b) => ({ statusCode: ok ? 200 : 403, body })`,
 * `function deny(m) { return { statusCode: 403, body: m } }`) whose every use in the file is a call that a Lambda
 * handler returns (`return reply(false, e)`, `export const handler = async (event) => deny('no')`): the result
 * is the handler's response. An exported function (callers elsewhere) or one used otherwise is not.
 */
function returnedByHandlers(analysis: FileAnalysis, object: ts.ObjectLiteralExpression): boolean {
  const fn = enclosingFunction(object);
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn)))
    return false;
  const holder = ts.isVariableDeclaration(fn.parent) && fn.parent.initializer === fn ? fn.parent : undefined;
  const declared = ts.isFunctionDeclaration(fn) ? fn.name : holder?.name;
  if (!declared || !ts.isIdentifier(declared)) return false;
  if ((holder && isExported(holder.parent.parent)) || (ts.isFunctionDeclaration(fn) && isExported(fn)))
    return false;
  const name = declared.text;
  let calls = 0;
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declared) {
      const call = node.parent;
      if (!ts.isCallExpression(call) || call.expression !== node || !handlerReturns(analysis, call))
        other = true;
      else calls++;
    }
    ts.forEachChild(node, visit);
  };
  visit(analysis.sourceFile);
  return !other && calls > 0;
}

/** `return f(…)` / `=> f(…)` (through `await`, parentheses and a conditional's branches) in a Lambda handler. */
function handlerReturns(analysis: FileAnalysis, call: ts.CallExpression): boolean {
  let value: ts.Node = call;
  while (
    ts.isParenthesizedExpression(value.parent) ||
    ts.isAwaitExpression(value.parent) ||
    (ts.isConditionalExpression(value.parent) && value.parent.condition !== value)
  )
    value = value.parent;
  const parent = value.parent;
  const returned = ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === value);
  return returned && lambdaContext(analysis, value);
}

/**
 * Whether the function returning `object` is an export that a `serverless.yml` of the project names as a Lambda
 * handler (`functions.<name>.handler: src/x.run`, serverless-handlers.ts; session 34: `exports.run = async (req)
 * => { … return { statusCode: 403 }; }` was read as a result a caller sends later).
 */
function configuredHandler(analysis: FileAnalysis, object: ts.Node): boolean {
  const absolute = analysis.options.link?.absolute;
  const fn = enclosingFunction(object);
  if (!absolute || !fn) return false;
  const handlers = exportsNamedAsHandlers(absolute);
  return handlers.size > 0 && exportNamesOf(fn).some((name) => handlers.has(name));
}

/**
 * Whether an object returned from a function is a Lambda result: the file uses the `aws-lambda` types (or
 * middy), the function or its variable is typed with a Lambda type, or it is an exported handler (named
 * `handler`, or taking `event` first). Any other function returning `{ statusCode, body }` is a plain result.
 */
function lambdaContext(analysis: FileAnalysis, object: ts.Node): boolean {
  if (analysis.importsModule(...LAMBDA_MODULES)) return true;
  const fn = enclosingFunction(object);
  if (!fn) return false;
  const typed = (node: ts.Node | undefined): boolean =>
    Boolean(
      node &&
      'type' in node &&
      node.type &&
      LAMBDA_TYPES.test((node.type as ts.Node).getText(analysis.sourceFile)),
    );
  const holder = ts.isVariableDeclaration(fn.parent) ? fn.parent : undefined;
  if (typed(fn) || typed(holder)) return true;
  const name =
    fn.name && ts.isIdentifier(fn.name)
      ? fn.name.text
      : holder && ts.isIdentifier(holder.name)
        ? holder.name.text
        : '';
  // Exported under any name, CommonJS or ES, also through a wrapper (`exports.run = middy(base)`; session 49).
  const exported =
    (holder && isExported(holder.parent.parent)) ||
    (ts.isFunctionDeclaration(fn) && isExported(fn)) ||
    (ts.isBinaryExpression(fn.parent) &&
      /^(module\.)?exports\b/.test(fn.parent.left.getText(analysis.sourceFile))) ||
    exportedUnderAnyName(fn);
  return Boolean(exported && lambdaHandlerShaped(fn, name));
}

/**
 * The reason a `{ statusCode: 403 }` result outside a proven Lambda handler gets: for an exported function (it may
 * be a handler nothing here proves), what would prove it; else where its caller sends it.
 */
function unprovenHandlerReason(object: ts.Node): string {
  const fn = enclosingFunction(object);
  if (!fn || !exportedUnderAnyName(fn))
    return 'Returns { statusCode: 403 } to its caller outside a Lambda handler: change it where the caller sends it (or here, if this result always becomes the response).';
  return 'Returns { statusCode: 403 } from an exported function nothing proves to be a Lambda handler (no aws-lambda types or middy, no serverless.yml naming it, no (event, context) parameters, no event.requestContext / pathParameters / queryStringParameters read): if API Gateway or a function URL calls it, change 403 here (or name it in serverless.yml and run again); else change it where the caller sends it.';
}

function isExported(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}
