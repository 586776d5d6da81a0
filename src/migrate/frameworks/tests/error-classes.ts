import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { renameCallee } from '../../import-edits.js';
import {
  ERROR_CLASS_NAMES,
  FEATHERS_ERRORS,
  NEST_EXCEPTIONS,
  reasonPhrase,
  ROUTING_CONTROLLERS_ERRORS,
  TSED_ERRORS,
} from '../../status-names.js';

// The 403 error classes an assertion expects (`toThrow(ForbiddenException)`), renamed as the server's throw is.

/**
 * The 403 error classes of the libraries the server modules rename (nestjs.ts, error-libraries.ts,
 * http-errors.ts, loopback.ts, feathers.ts), with the names by status each library has.
 */
const ERROR_CLASSES: readonly { modules: readonly string[]; name: string; names: Record<number, string> }[] =
  [
    {
      modules: ['@nestjs/common', '@nestjs/common/exceptions'],
      name: 'ForbiddenException',
      names: NEST_EXCEPTIONS,
    },
    { modules: ['routing-controllers'], name: 'ForbiddenError', names: ROUTING_CONTROLLERS_ERRORS },
    { modules: ['@feathersjs/errors'], name: 'Forbidden', names: FEATHERS_ERRORS },
    { modules: ['@tsed/exceptions'], name: 'Forbidden', names: TSED_ERRORS },
    { modules: ['http-errors', '@loopback/rest'], name: 'Forbidden', names: ERROR_CLASS_NAMES },
  ];

/**
 * An error class the assertion expects (`ForbiddenException`, `createError.Forbidden`, `new Forbidden('x')`):
 * the class is renamed as the server's throw is (the import follows), and the test follower keeps the rename only
 * where the code under test was rewritten. A library without a class for the target: manual.
 */
export function errorClass(analysis: FileAnalysis, value: ts.Expression, form: ts.Node): void {
  let node = value;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) node = node.expression;
  const instance = ts.isNewExpression(node);
  const callee = ts.isNewExpression(node) ? node.expression : node;
  const known = ERROR_CLASSES.find(
    (c) => analysis.resolvesTo(callee, c.modules, c.name) || loopbackMember(analysis, callee, c),
  );
  if (!known) return;
  const to = known.names[analysis.target];
  if (!to) {
    analysis.addSite({
      node: form,
      framework: 'tests',
      manual: true,
      reason: `The test expects ${callee.getText(analysis.sourceFile)} (403) and its library has no class for ${analysis.target}: assert on the status instead.`,
    });
    return;
  }
  const rename = renameCallee(analysis, callee, to);
  if ('manual' in rename) {
    analysis.addSite({ node: form, framework: 'tests', manual: true, reason: rename.manual });
    return;
  }
  const message = instance && ts.isNewExpression(node) ? node.arguments?.[0] : undefined;
  const phrase =
    message && ts.isStringLiteral(message) && message.text === 'Forbidden'
      ? [analysis.phraseEdit(message, reasonPhrase(analysis.target))]
      : [];
  analysis.addSite({
    node: form,
    framework: 'tests',
    edits: [...rename.edits, ...phrase],
    imports: rename.imports,
  });
}

/** LoopBack's `HttpErrors.Forbidden`: `HttpErrors` is a named export of @loopback/rest. */
function loopbackMember(
  analysis: FileAnalysis,
  callee: ts.Expression,
  known: (typeof ERROR_CLASSES)[number],
): boolean {
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== known.name) return false;
  if (!ts.isIdentifier(callee.expression)) return false;
  const binding = analysis.importOf(callee.expression.text);
  return (
    binding?.module === '@loopback/rest' &&
    binding.name === 'HttpErrors' &&
    known.modules.includes(binding.module)
  );
}
