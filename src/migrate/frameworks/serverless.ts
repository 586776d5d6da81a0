import { ts } from 'ts-morph';
import type { FileAnalysis } from '../analysis.js';
import { FIREBASE_CODES } from '../status-names.js';
import type { Framework } from './framework.js';
import { isModuleLevelDeclaration, resultContext } from './result-types.js';
import { assignment, challengeNote, implicit, statusProperty } from './shared.js';

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
 * Serverless return objects: AWS Lambda (API Gateway, function URLs, ALB with `statusDescription`),
 * Azure Functions (`return { status }`, `new HttpResponse({ status })`, v3 `context.res = { status }`),
 * Firebase callable `HttpsError('permission-denied')`, and authorizer `Effect: 'Deny'` policies.
 */
export const serverless: Framework = {
  id: 'serverless',
  title: 'AWS Lambda / ALB, Azure Functions, Firebase callable',
  enablers: [],
  visit(node, analysis) {
    if (ts.isObjectLiteralExpression(node)) {
      resultObject(analysis, node);
      return;
    }
    if (ts.isNewExpression(node)) {
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
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'Effect') {
      if (ts.isStringLiteral(node.initializer) && node.initializer.text === 'Deny') {
        implicit(analysis, node, 'serverless', 'authorizer-deny');
      }
    }
  },
};

/** `return { statusCode: 403, body }`, `callback(null, { statusCode: 403 })`, `context.res = { status: 403 }`. */
function resultObject(analysis: FileAnalysis, object: ts.ObjectLiteralExpression): void {
  const parent = object.parent;
  const returned =
    ts.isReturnStatement(parent) ||
    (ts.isArrowFunction(parent) && parent.body === object) ||
    (ts.isParenthesizedExpression(parent) && ts.isArrowFunction(parent.parent)) ||
    (ts.isCallExpression(parent) &&
      parent.arguments.length === 2 &&
      parent.arguments[0].kind === ts.SyntaxKind.NullKeyword);
  const assignedToRes = assignment(parent)?.property === 'res' && assignment(parent)?.right === object;
  // Typed results (`: APIGatewayProxyResult`, `Promise<HttpResponseInit>`, a Lambda handler) need no other key.
  // A result declared once at module level is shared: the results module reports it and its uses.
  if (isModuleLevelDeclaration(object)) return;
  const context = resultContext(analysis, object);
  if (!returned && !assignedToRes && context !== 'lambda' && context !== 'azure') return;
  const keys = new Set(object.properties.map((p) => (p.name && ts.isIdentifier(p.name) ? p.name.text : '')));
  const statusCode = statusProperty(object, 'statusCode');
  if (statusCode && (context === 'lambda' || LAMBDA_KEYS.some((k) => keys.has(k)))) {
    analysis.statusSlot(statusCode.value, object, 'serverless', () => ({
      reason: challengeNote(analysis),
    }));
    return;
  }
  const status = statusProperty(object, 'status');
  const azure = analysis.importsModule('@azure/functions') || assignedToRes;
  if (status && (context === 'azure' || (azure && AZURE_KEYS.some((k) => keys.has(k))))) {
    analysis.statusSlot(status.value, object, 'serverless', () => ({
      reason: challengeNote(analysis),
    }));
  }
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
