import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';

/**
 * GraphQL servers: only the HTTP status is a target (`extensions.http.status` in Apollo/Yoga,
 * Mercurius `new ErrorWithProps(m, ext, 403)`); `extensions.code: 'FORBIDDEN'` is body-only and stays.
 */
export const graphql: Framework = {
  id: 'graphql',
  title: 'GraphQL (Apollo / Yoga extensions.http.status, Mercurius)',
  enablers: [],
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
    if (ts.isNewExpression(node) && analysis.resolvesTo(node.expression, ['mercurius'], 'ErrorWithProps')) {
      if (node.arguments && node.arguments.length > 2)
        analysis.statusSlot(node.arguments[2], node, 'graphql');
    }
  },
};
