import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { remapHint } from '../remaps.js';
import { skipOuter } from '../analysis/syntax.js';

/**
 * Text that marks a file as an API Gateway Lambda authorizer (the event's `methodArn` / `routeArn` /
 * `identitySource`, the result's `principalId` / `policyDocument`, the aws-lambda authorizer types, the
 * `execute-api` action). An IAM statement or an `isAuthorized` flag elsewhere (an S3 bucket policy in CDK code, a
 * front end's state) is not one.
 */
const AUTHORIZER_TEXT =
  /\b(?:methodArn|routeArn|principalId|policyDocument|identitySource|APIGateway\w*Authorizer\w*|execute-api)\b/;

/** Whether the file is an authorizer: by its text, or by its name (`authorizer.ts`, `authorizers/jwt.js`). */
function isAuthorizerFile(analysis: FileAnalysis): boolean {
  return AUTHORIZER_TEXT.test(analysis.text) || /authori[sz]er/i.test(analysis.file);
}

/**
 * API Gateway Lambda authorizer results that make API Gateway answer 403 itself, before any integration runs
 * (AWS, "Control access to REST APIs with Lambda authorizers" and "Working with AWS Lambda authorizers for HTTP
 * APIs"): a REST API policy statement with `Effect: 'Deny'` (ACCESS_DENIED), and an HTTP API simple response
 * `{ isAuthorized: false }` (403 Forbidden). No codemod edit changes that status: each is reported as an
 * implicit 403 with the gateway-response remap. Besides the literals, an `Effect` or `isAuthorized` whose value
 * is computed (`Effect: effect` with the effect passed by callers, `Effect: ok ? 'Allow' : 'Deny'`,
 * `isAuthorized: valid`) in an authorizer file is reported too: the value can be the denying one.
 * `node` is a property assignment; anything else is left alone.
 */
export function authorizerDenial(
  analysis: FileAnalysis,
  node: ts.PropertyAssignment,
  framework: string,
): void {
  const name = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined;
  if (name !== 'Effect' && name !== 'isAuthorized') return;
  const value = skipOuter(node.initializer);
  const text = value.getText(analysis.sourceFile);
  if (name === 'Effect') {
    if (ts.isStringLiteralLike(value)) {
      if (value.text === 'Deny') report(analysis, node, framework, 'authorizer-deny', undefined);
      return;
    }
    if (!isAuthorizerFile(analysis) || !inPolicyStatement(node)) return;
    report(
      analysis,
      node,
      framework,
      'authorizer-deny',
      `the statement's Effect is \`${text}\`, which may be 'Deny'`,
    );
    return;
  }
  if (value.kind === ts.SyntaxKind.TrueKeyword || !isAuthorizerFile(analysis)) return;
  report(
    analysis,
    node,
    framework,
    'http-api-authorizer',
    value.kind === ts.SyntaxKind.FalseKeyword
      ? 'an HTTP API simple response with isAuthorized: false answers 403'
      : `an HTTP API simple response whose isAuthorized is \`${text}\` answers 403 when it is false`,
  );
}

/** `{ Action, Effect, Resource }`: the object holding `Effect` also names an Action or a Resource. */
function inPolicyStatement(node: ts.PropertyAssignment): boolean {
  const statement = node.parent;
  return statement.properties.some((property) => {
    const key =
      property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ? property.name.text
        : undefined;
    return key === 'Action' || key === 'Resource' || key === 'NotAction' || key === 'NotResource';
  });
}

function report(
  analysis: FileAnalysis,
  node: ts.Node,
  framework: string,
  kind: 'authorizer-deny' | 'http-api-authorizer',
  why: string | undefined,
): void {
  analysis.addSite({
    node,
    framework,
    manual: true,
    reason: why
      ? `Implicit 403?: ${why}. ${remapHint(kind, analysis.target)}`
      : `Implicit 403. ${remapHint(kind, analysis.target)}`,
  });
}
