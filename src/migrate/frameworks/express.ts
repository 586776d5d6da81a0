import ts from '../../typescript.cjs';
import { skipOuter, type FileAnalysis } from '../analysis.js';
import { callArguments, loadedModule } from '../analysis/syntax.js';
import type { Framework } from './framework.js';
import { remapHint, remapLayers } from '../remaps.js';
import { numericArgument, statusBesideBody } from './numeric-arguments.js';
import { chainHeader, implicit, methodCall } from './shared.js';
import { fallsThrough } from './static-fallthrough.js';

const STATUS_METHODS = new Set(['status', 'sendStatus']);
/** Express 4 legacy and restify: `res.send(403, body)`, `res.json(obj, 403)`. */
const LEGACY_METHODS = new Set(['send', 'json', 'jsonp']);

/**
 * Express and everything that hands out an Express-style `res`: Connect, Next.js pages API routes,
 * Google Cloud Functions / Firebase `onRequest`, restify responses, Vercel functions (`VercelResponse`), Sails
 * controllers and policies, lambda-api routes (also `res.error(403, message)`), LoopBack 4 controllers' injected
 * response.
 */
export const express: Framework = {
  id: 'express',
  title: 'Express (Connect, Next.js pages API, Cloud Functions, restify responses)',
  enablers: [
    'express',
    'connect',
    'next',
    'restify',
    '@google-cloud/functions-framework',
    'firebase-functions',
    // Each hands its handlers an Express-style response: Vercel's VercelResponse, Sails' res, the Express
    // drop-ins and look-alikes (ultimate-express, hyper-express, tinyhttp).
    '@vercel/node',
    'sails',
    'ultimate-express',
    'hyper-express',
    '@tinyhttp/app',
    // jeremydaly/lambda-api: Express-style routing inside one Lambda function, with `res.error(code, message)`.
    'lambda-api',
    // LoopBack 4 injects Express's own response (`@inject(RestBindings.Http.RESPONSE) res: Response`, the
    // `Response` of @loopback/rest being @loopback/express's re-export of express's type).
    '@loopback/rest',
    '@loopback/express',
    // routing-controllers and Ts.ED hand a middleware decorator's function Express's `(req, res, next)`
    // (`@UseBefore((req, res, next) => res.status(403).end())`; receivers.ts `decoratorMiddleware`).
    'routing-controllers',
    '@tsed/common',
    '@tsed/platform-express',
    '@tsed/platform-middlewares',
  ],
  kinds: [ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    const call = methodCall(node);
    if (!call) return;
    if (STATUS_METHODS.has(call.method) || LEGACY_METHODS.has(call.method)) {
      const receiver = analysis.receiver(call.object);
      if (receiver?.kind !== 'response' || receiver.path.length > 0) return;
      const framework = label(analysis);
      if (STATUS_METHODS.has(call.method)) {
        analysis.statusSlot(call.args[0], call.call, framework, () => ({
          edits: chainHeader(analysis, call.object, 'set'),
        }));
        return;
      }
      legacy(analysis, call.call, call.method, framework);
      return;
    }
    if (call.method === 'error' && usesLambdaApi(analysis)) {
      lambdaApiError(analysis, call.call, call.object);
      return;
    }
    implicitProducers(analysis, call.call, call.method, call.object);
  },
};

/** An import of lambda-api, or its usual `require('lambda-api')()` (the factory called where it is required). */
function usesLambdaApi(analysis: FileAnalysis): boolean {
  return analysis.importsModule('lambda-api') || /\brequire\(\s*['"]lambda-api['"]\s*\)/.test(analysis.text);
}

/**
 * lambda-api's `res.error(code, message, detail)`: with a numeric first argument and a message after it, the
 * first argument is the status (lambda-api README, "error([code], message [,detail])"); `res.error(message)`
 * answers 500.
 */
function lambdaApiError(analysis: FileAnalysis, call: ts.CallExpression, object: ts.Expression): void {
  const receiver = analysis.receiver(object);
  if (receiver?.kind !== 'response' || receiver.path.length > 0) return;
  const [code, message] = callArguments(call);
  if (!code || !message || !(numericArgument(analysis, code) || statusBesideBody(analysis, code, message)))
    return;
  analysis.statusSlot(code, call, 'lambda-api');
}

/**
 * Express 4 legacy forms, as express 4's `res.send`/`res.json` read their arguments: with two arguments the
 * second is the status when it is a number, else the first; with one argument only `res.send(number)` sets a
 * status (`res.json(403)`, `res.jsonp(403)`, `res.send('403')` send a body). Strings are never a status.
 */
function legacy(analysis: FileAnalysis, call: ts.CallExpression, method: string, framework: string): void {
  const args = callArguments(call);
  let status: ts.Expression | undefined;
  if (args.length === 2) status = numericArgument(analysis, args[1]) ? args[1] : args[0];
  else if (args.length === 1 && method === 'send') status = args[0];
  if (status && !numericArgument(analysis, status)) status = undefined;
  if (!status && args.length === 2)
    status = args.find((argument, i) => statusBesideBody(analysis, argument, args[1 - i]));
  // Every other argument is the body: a 403 there is data the client reads, not the status.
  for (const argument of args) if (argument !== status) analysis.notAnEmit(argument, 'body');
  if (!status || analysis.evaluate(status).kind === 'static') return;
  const node = skipOuter(status);
  if (ts.isIdentifier(node) && !analysis.importOf(node.text) && analysis.forbiddenEdits(node)) {
    // Never put a literal where the code names a value: the constant may mean something else elsewhere.
    const sibling = analysis.forbiddenEdits(node)?.[0]?.text;
    if (!sibling || /^\d+$/.test(sibling)) {
      analysis.addSite({
        node: call,
        framework,
        manual: true,
        reason:
          framework === 'restify'
            ? // `res.send(code, body)` is restify's own form (restify Response#send(code, body, headers)).
              `res.${method}(…) sets status 403 here through restify's res.${method}(code, body) form (${node.text} is 403): write res.${method}(${analysis.target}, …) instead.`
            : `res.${method}(…) sets status 403 here through the Express 4 legacy form (${node.text} is 403): write res.status(${analysis.target}).${method}(…) instead.`,
      });
      return;
    }
  }
  analysis.statusSlot(status, call, framework);
}

function label(analysis: FileAnalysis): string {
  if (analysis.importsModule('next')) return 'nextjs';
  if (analysis.importsModule('restify')) return 'restify';
  if (usesLambdaApi(analysis)) return 'lambda-api';
  return 'express';
}

/** express.static / serve-static, csurf, express-jwt-authz: 403s from middleware code. */
function implicitProducers(
  analysis: FileAnalysis,
  call: ts.CallExpression,
  method: string,
  object: ts.Expression,
) {
  if (method !== 'static') return;
  const inner = skipOuter(object);
  // `express.static(…)` with express imported, or loaded in place: `require('express').static(…)`.
  const module = ts.isIdentifier(inner) ? analysis.importOf(inner.text)?.module : loadedModule(inner);
  if (module === 'express' && !fallsThrough(call)) implicit(analysis, call, 'express', 'static');
}

/**
 * Plain calls: `serveStatic(…)`, `csurf(…)`, `jwtAuthz(…)`, `requiredScopes(…)`; each also with the package
 * loaded in place (`app.use(require('serve-static')(dir))`, `require('csurf')()`), and express's own `static`
 * bound by name (`const { static: serveStatic } = require('express')`).
 */
export const expressMiddleware: Framework = {
  id: 'express',
  title: 'Express middleware that answers 403',
  enablers: express.enablers,
  kinds: [ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (!ts.isCallExpression(node)) return;
    const callee = skipOuter(node.expression);
    const binding = ts.isIdentifier(callee) ? analysis.importOf(callee.text) : undefined;
    const module = binding?.module ?? loadedModule(callee);
    if (!module) return;
    if (module === 'serve-static' || (module === 'express' && binding?.name === 'static')) {
      if (!fallsThrough(node)) implicit(analysis, node, 'express', 'static');
    } else if (module === 'csurf') csurfSite(analysis, node);
    else if (module === 'express-jwt-authz')
      // Its 403 is passed on as an error only with failWithError: true; else it answers res.status(403) itself.
      implicit(
        analysis,
        node,
        'express',
        'jwt-authz',
        /\bfailWithError\s*:\s*true\b/.test(node.getText(analysis.sourceFile))
          ? ['error-handler']
          : ['response-hook'],
      );
    else if (
      module === 'express-oauth2-jwt-bearer' &&
      ts.isIdentifier(callee) &&
      /^(requiredScopes|scopeInclude)/.test(callee.text)
    ) {
      // No option sets its status: InsufficientScopeError always goes to next(err) (its own advice, session 39).
      implicit(analysis, node, 'express', 'oauth2-scopes');
    }
  },
};

/**
 * `csurf(options)`: an implicit 403 on a bad or missing token. csurf checks every request method but its
 * `ignoreMethods` (default GET, HEAD, OPTIONS; compared upper-cased: github.com/expressjs/csurf README and index.js
 * `getIgnoredMethods`); a literal list given there is named in the reason, with the methods it no longer spares.
 * No option changes the status (the error is `EBADCSRFTOKEN`, status 403).
 */
function csurfSite(analysis: FileAnalysis, call: ts.CallExpression): void {
  const methods = ignoredMethods(call.arguments[0]);
  if (!methods) {
    implicit(analysis, call, 'express', 'csrf');
    return;
  }
  const spared = methods.length ? `every method but ${methods.join(', ')}` : 'every method';
  const checked = ['GET', 'HEAD', 'OPTIONS'].filter((m) => !methods.includes(m));
  const more = checked.length ? `, ${checked.join(', ')} included` : '';
  analysis.addSite({
    node: call,
    framework: 'express',
    manual: true,
    reason: `Implicit 403. csurf checks the token on ${spared} (its ignoreMethods${more}). ${remapHint('csrf', analysis.target)}`,
    remapLayers: remapLayers('csrf'),
  });
}

/** The upper-cased methods of a literal `{ ignoreMethods: ['GET', …] }`; undefined when not written so. */
function ignoredMethods(options: ts.Expression | undefined): string[] | undefined {
  const inner = options && skipOuter(options);
  if (!inner || !ts.isObjectLiteralExpression(inner)) return undefined;
  if (inner.properties.some(ts.isSpreadAssignment)) return undefined;
  const property = inner.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'ignoreMethods',
  );
  const list = property && skipOuter(property.initializer);
  if (!list || !ts.isArrayLiteralExpression(list)) return undefined;
  const methods = list.elements.map((e) => (ts.isStringLiteralLike(e) ? e.text.toUpperCase() : undefined));
  return methods.every((m): m is string => m !== undefined) ? [...new Set(methods)] : undefined;
}
