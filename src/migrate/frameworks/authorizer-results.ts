import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { remapHint, remapLayers } from '../remaps.js';
import { skipOuter, staticMember } from '../analysis/syntax.js';
import { enclosingFunction } from '../scope.js';
import { lineAndCharacterAt } from '../../util/lines.js';

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
 * `isAuthorized: valid`) in an authorizer file is reported too: the value can be the denying one. A parameter of a
 * helper of this file that only this file calls is valued by its calls (session 34): every call passes `'Allow'`
 * (or `true`) and the authorizer never denies, so nothing is reported; a call passing `'Deny'` (or `false`) is
 * named in the reason. `node` is a property assignment; anything else is left alone. The same statement built by
 * property assignment is {@link authorizerAssignment}'s; `Object.assign(stmt, { Effect })` and
 * `{ ...base, Effect }` hold a property assignment and are read here.
 */
export function authorizerDenial(
  analysis: FileAnalysis,
  node: ts.PropertyAssignment,
  framework: string,
): void {
  const name = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined;
  if (name !== 'Effect' && name !== 'isAuthorized') return;
  judge(analysis, node, name, node.initializer, framework, () => inPolicyStatement(analysis, node));
}

/**
 * The same results built by property assignment (session 34, serverless/examples
 * aws-node-auth0-custom-authorizers-api/handler.js: `const statementOne = {}; statementOne.Effect = effect;`),
 * named as {@link authorizerDenial} names the object-literal spelling: `stmt.Effect = 'Deny'`,
 * `stmt['Effect'] = effect` (a computed one where the same function also sets the statement's `Action` or
 * `Resource`, or declares it with them), `response.isAuthorized = false` (or computed) in an authorizer file. How
 * the object was assembled does not change what API Gateway does with it: it reads the returned object
 * (AWS API Gateway developer guide, "Output from an API Gateway Lambda authorizer",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html: each
 * statement's `Effect` is `Allow` or `Deny`; AWS knowledge center "api-gateway-403-error-lambda-authorizer",
 * https://repost.aws/knowledge-center/api-gateway-403-error-lambda-authorizer: a REST API whose authorizer returns a
 * policy with an explicit deny answers 403 "User is not authorized to access this resource with an explicit deny";
 * "Control access to HTTP APIs with AWS Lambda authorizers",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html: with simple
 * responses enabled the authorizer returns `isAuthorized`, and false denies the request). `node` is an
 * assignment; anything else is left alone.
 */
export function authorizerAssignment(
  analysis: FileAnalysis,
  node: ts.BinaryExpression,
  framework: string,
): void {
  if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const member = staticMember(skipOuter(node.left));
  if (!member || (member.name !== 'Effect' && member.name !== 'isAuthorized')) return;
  judge(analysis, node, member.name, node.right, framework, () =>
    assignedStatement(analysis, skipOuter(member.owner), node),
  );
}

/** Reports `value` of an `Effect` / `isAuthorized` written at `node` when it is (or may be) the denying one. */
function judge(
  analysis: FileAnalysis,
  node: ts.Node,
  name: 'Effect' | 'isAuthorized',
  written: ts.Expression,
  framework: string,
  inStatement: () => boolean,
): void {
  const value = skipOuter(written);
  const text = value.getText(analysis.sourceFile);
  if (name === 'Effect') {
    if (ts.isStringLiteralLike(value)) {
      if (value.text === 'Deny') report(analysis, node, framework, 'authorizer-deny', undefined);
      return;
    }
    if (!isAuthorizerFile(analysis) || !inStatement()) return;
    const calls = parameterCalls(analysis, value, (v) =>
      ts.isStringLiteralLike(v) ? (v.text === 'Deny' ? 'deny' : 'allow') : undefined,
    );
    if (calls?.deny.length === 0) return;
    report(
      analysis,
      node,
      framework,
      'authorizer-deny',
      calls
        ? `the statement's Effect is \`${text}\`, and ${calls.fn} is called with 'Deny' (${calls.deny.join(', ')})`
        : `the statement's Effect is \`${text}\`, which may be 'Deny'`,
    );
    return;
  }
  if (value.kind === ts.SyntaxKind.TrueKeyword || !isAuthorizerFile(analysis)) return;
  if (value.kind === ts.SyntaxKind.FalseKeyword) {
    report(
      analysis,
      node,
      framework,
      'http-api-authorizer',
      'an HTTP API simple response with isAuthorized: false answers 403',
    );
    return;
  }
  const calls = parameterCalls(analysis, value, (v) =>
    v.kind === ts.SyntaxKind.TrueKeyword
      ? 'allow'
      : v.kind === ts.SyntaxKind.FalseKeyword
        ? 'deny'
        : undefined,
  );
  if (calls?.deny.length === 0) return;
  report(
    analysis,
    node,
    framework,
    'http-api-authorizer',
    calls
      ? `an HTTP API simple response whose isAuthorized is \`${text}\`, and ${calls.fn} is called with false (${calls.deny.join(', ')}): false answers 403`
      : `an HTTP API simple response whose isAuthorized is \`${text}\` answers 403 when it is false`,
  );
}

/** `{ Action, Effect, Resource }`: the object holding `Effect` also names an Action or a Resource. */
function inPolicyStatement(analysis: FileAnalysis, node: ts.PropertyAssignment): boolean {
  const statement = node.parent;
  if (statement.properties.some((property) => STATEMENT_KEYS.has(propertyName(property) ?? ''))) return true;
  // `Object.assign(stmt, { Effect: effect })`: another argument is the statement.
  const call = skipOuterParent(statement);
  if (!ts.isCallExpression(call) || call.expression.getText(analysis.sourceFile) !== 'Object.assign')
    return false;
  return call.arguments.some((argument) => {
    const other = skipOuter(argument);
    if (other === statement) return false;
    if (ts.isObjectLiteralExpression(other))
      return other.properties.some((p) => STATEMENT_KEYS.has(propertyName(p) ?? ''));
    return assignedStatement(analysis, other, call);
  });
}

/** The keys beside `Effect` that make an object an IAM policy statement. */
const STATEMENT_KEYS = new Set(['Action', 'Resource', 'NotAction', 'NotResource']);

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  return property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
    ? property.name.text
    : undefined;
}

function skipOuterParent(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (
    ts.isParenthesizedExpression(parent) ||
    ts.isAsExpression(parent) ||
    ts.isSatisfiesExpression(parent)
  )
    parent = parent.parent;
  return parent;
}

/**
 * Whether `owner` (the `stmt` of `stmt.Effect = …`) is a policy statement: the function around `at` (or the file)
 * also sets its `Action` / `Resource` (`stmt.Action = …`, `stmt['Resource'] = …`), or declares it with them
 * (`const stmt = { Action: …, Resource: … }`).
 */
function assignedStatement(analysis: FileAnalysis, owner: ts.Expression, at: ts.Node): boolean {
  if (!ts.isIdentifier(owner)) return false;
  const scope = enclosingFunction(at)?.body ?? analysis.sourceFile;
  const name = owner.text.replace(/\$/g, '\\$');
  const keys = [...STATEMENT_KEYS].join('|');
  const set = new RegExp(
    `(?<![\\w$.])${name}\\s*(?:\\.\\s*(?:${keys})|\\[\\s*['"\`](?:${keys})['"\`]\\s*\\])\\s*=(?!=)`,
  );
  const declared = new RegExp(`(?<![\\w$.])${name}\\s*=\\s*\\{[^;]*\\b(?:${keys})\\b\\s*:`);
  const text = scope.getText(analysis.sourceFile);
  return set.test(text) || declared.test(text);
}

/**
 * What the calls of this file pass for `value` when it is a parameter of the function around it (by name:
 * `function generatePolicy(principalId, effect, resource)`, `const generatePolicy = (…) => …`): the function's name
 * and `file:line` of each call whose argument `classify` says denies. Undefined (not known) when `value` is no
 * such parameter, the function is exported or read other than by a call, no call of this file is found, or a call
 * passes a value `classify` does not know (a variable, a spread, too few arguments).
 */
function parameterCalls(
  analysis: FileAnalysis,
  value: ts.Expression,
  classify: (argument: ts.Expression) => 'allow' | 'deny' | undefined,
): { fn: string; deny: string[] } | undefined {
  if (!ts.isIdentifier(value)) return undefined;
  const fn = enclosingFunction(value);
  if (!fn) return undefined;
  const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === value.text);
  if (index < 0 || fn.parameters[index].dotDotDotToken) return undefined;
  const holder = ts.isFunctionDeclaration(fn)
    ? fn
    : ts.isVariableDeclaration(fn.parent) && fn.parent.initializer === fn
      ? fn.parent
      : undefined;
  const nameNode = holder?.name;
  if (!holder || !nameNode || !ts.isIdentifier(nameNode)) return undefined;
  const statement = ts.isFunctionDeclaration(holder) ? holder : holder.parent.parent;
  const exported =
    ts.canHaveModifiers(statement) &&
    (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (exported) return undefined;
  const name = nameNode.text;
  const deny: string[] = [];
  let calls = 0;
  let known = true;
  const visit = (node: ts.Node): void => {
    if (!known) return;
    // `module.exports.generatePolicy = …`, `{ generatePolicy: … }`: a key of that name is no read of it.
    const key =
      ts.isIdentifier(node) &&
      (((ts.isPropertyAccessExpression(node.parent) || ts.isPropertyAssignment(node.parent)) &&
        node.parent.name === node) ||
        (ts.isMethodDeclaration(node.parent) && node.parent.name === node));
    if (ts.isIdentifier(node) && node.text === name && node !== nameNode && !key) {
      const call = node.parent;
      if (!ts.isCallExpression(call) || call.expression !== node) {
        known = false;
        return;
      }
      calls++;
      const argument = call.arguments[index];
      const verdict =
        argument && !call.arguments.slice(0, index + 1).some(ts.isSpreadElement)
          ? classify(skipOuter(argument))
          : undefined;
      if (!verdict) known = false;
      else if (verdict === 'deny') {
        const line = lineAndCharacterAt(analysis.sourceFile, call.getStart(analysis.sourceFile)).line;
        deny.push(`line ${line + 1}`);
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(analysis.sourceFile);
  return known && calls > 0 ? { fn: name, deny } : undefined;
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
    remapLayers: remapLayers(kind),
  });
}
