import { ts } from 'ts-morph';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { chainHeader, implicit, methodCall } from './shared.js';

const STATUS_METHODS = new Set(['status', 'sendStatus']);
/** Express 4 legacy and restify: `res.send(403, body)`, `res.json(obj, 403)`. */
const LEGACY_METHODS = new Set(['send', 'json', 'jsonp']);

/**
 * Express and everything that hands out an Express-style `res`: Connect, Next.js pages API routes,
 * Google Cloud Functions / Firebase `onRequest`, restify responses.
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
  ],
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
      // Legacy forms: only a status-valued argument is a status slot; bodies are not.
      for (const argument of call.args.slice(0, 2)) {
        if (analysis.forbiddenEdits(argument)) analysis.statusSlot(argument, call.call, framework);
      }
      return;
    }
    implicitProducers(analysis, call.call, call.method, call.object);
  },
};

function label(analysis: FileAnalysis): string {
  if (analysis.importsModule('next')) return 'nextjs';
  if (analysis.importsModule('restify')) return 'restify';
  return 'express';
}

/** express.static / serve-static, csurf, express-jwt-authz: 403s from middleware code. */
function implicitProducers(
  analysis: FileAnalysis,
  call: ts.CallExpression,
  method: string,
  object: ts.Expression,
) {
  if (
    method === 'static' &&
    ts.isIdentifier(object) &&
    analysis.importOf(object.text)?.module === 'express'
  ) {
    implicit(analysis, call, 'express', 'static');
  }
}

/** Plain calls: `serveStatic(…)`, `csurf(…)`, `jwtAuthz(…)`, `requiredScopes(…)`. */
export const expressMiddleware: Framework = {
  id: 'express',
  title: 'Express middleware that answers 403',
  enablers: express.enablers,
  visit(node, analysis) {
    if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return;
    const module = analysis.importOf(node.expression.text)?.module;
    if (module === 'serve-static') implicit(analysis, node, 'express', 'static');
    else if (module === 'csurf') implicit(analysis, node, 'express', 'csrf');
    else if (module === 'express-jwt-authz') implicit(analysis, node, 'express', 'jwt-authz');
    else if (
      module === 'express-oauth2-jwt-bearer' &&
      /^(requiredScopes|scopeInclude)/.test(node.expression.text)
    ) {
      implicit(analysis, node, 'express', 'jwt-authz');
    }
  },
};
