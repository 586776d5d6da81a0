import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';

/**
 * Packages that export a `ForbiddenError` GraphQL error class (extensions.code 'FORBIDDEN', no HTTP status): Apollo
 * Server 2/3, and RedwoodJS (`class ForbiddenError extends RedwoodGraphQLError` with `{ code: 'FORBIDDEN' }` in
 * @redwoodjs/graphql-server, re-exported by @redwoodjs/api, thrown by `requireAuth({ roles })`).
 */
const APOLLO_ERRORS = [
  '@redwoodjs/graphql-server',
  '@redwoodjs/api',
  'apollo-server',
  'apollo-server-errors',
  'apollo-server-express',
  'apollo-server-koa',
  'apollo-server-fastify',
  'apollo-server-hapi',
  'apollo-server-lambda',
  'apollo-server-micro',
  'apollo-server-core',
  'apollo-server-cloud-functions',
  'apollo-server-azure-functions',
  'apollo-server-cloudflare',
];

/**
 * GraphQL servers: only the HTTP status is a target (`extensions.http.status` in Apollo/Yoga,
 * Mercurius `new ErrorWithProps(m, ext, 403)`); `extensions.code: 'FORBIDDEN'` is body-only and stays, and so
 * does Apollo 2/3's `ForbiddenError` (not an emit, kind graphql-error).
 */
export const graphql: Framework = {
  id: 'graphql',
  title: 'GraphQL (Apollo / Yoga extensions.http.status, Mercurius)',
  enablers: [],
  kinds: [ts.SyntaxKind.PropertyAssignment, ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'status') {
      const http = node.parent.parent;
      if (!http || !ts.isPropertyAssignment(http) || !ts.isIdentifier(http.name) || http.name.text !== 'http')
        return;
      const extensions = http.parent.parent;
      if (
        extensions &&
        ts.isPropertyAssignment(extensions) &&
        ts.isIdentifier(extensions.name) &&
        extensions.name.text === 'extensions'
      ) {
        analysis.statusSlot(node.initializer, node, 'graphql');
      }
      return;
    }
    if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      analysis.resolvesTo(node.expression, APOLLO_ERRORS, 'ForbiddenError')
    ) {
      // Apollo Server 2/3's and Redwood's ForbiddenError: `extensions.code: 'FORBIDDEN'` in a 200 response, no HTTP 403.
      analysis.notAnEmit(node, 'graphql-error');
      return;
    }
    if (ts.isNewExpression(node) && analysis.resolvesTo(node.expression, ['mercurius'], 'ErrorWithProps')) {
      if (node.arguments && node.arguments.length > 2)
        analysis.statusSlot(node.arguments[2], node, 'graphql');
    }
  },
};
