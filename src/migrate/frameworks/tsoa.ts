import ts from '../../typescript.cjs';
import type { Edit } from '../types.js';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { descriptionEdit, methodCall } from './shared.js';
import { calleeName, isTargetStatus, reportDeclaredBeside, writesTarget } from './declared-beside.js';

const MODULES = ['tsoa', '@tsoa/runtime'];

/**
 * tsoa (https://tsoa-community.github.io/docs/): controllers extending tsoa's `Controller` answer with
 * `this.setStatus(403)`; injected responders (`@Res() denied: TsoaResponse<403, Body>`) with `denied(403, body)`,
 * whose type names the status too, so the call and the type change together (the call alone would not compile);
 * and `@Response(403, 'Forbidden')` / `@SuccessResponse(...)` document the status in the OpenAPI document tsoa
 * generates, description included.
 *
 * `this.setStatus` is read in any class with an `extends` clause: a project's base controller (itself extending
 * tsoa's) is often the one a controller file imports, and the module runs only where tsoa is a dependency.
 */
export const tsoa: Framework = {
  id: 'tsoa',
  title: 'tsoa (controllers, responders, @Response)',
  enablers: MODULES,
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.Parameter],
  visit(node, analysis) {
    if (ts.isParameter(node)) {
      const status = responderStatus(analysis, node);
      if (status) analysis.addSite({ node: status.node, framework: 'tsoa', edits: [status.edit] });
      return;
    }
    if (!ts.isCallExpression(node)) return;
    const call = methodCall(node);
    if (call?.method === 'setStatus' && call.object.kind === ts.SyntaxKind.ThisKeyword && inSubclass(node)) {
      analysis.statusSlot(call.args[0], node, 'tsoa');
      return;
    }
    if (ts.isDecorator(node.parent)) {
      const documents = (call: ts.CallExpression): boolean =>
        analysis.resolvesTo(call.expression, MODULES, 'Response') ||
        analysis.resolvesTo(call.expression, MODULES, 'SuccessResponse');
      if (!documents(node)) return;
      // `@Response(401, …)` beside it already documents the agreed status: a person merges the two.
      if (
        node.arguments[0] &&
        analysis.evaluate(node.arguments[0]).kind === 'forbidden' &&
        reportDeclaredBeside(
          analysis,
          node.parent,
          'tsoa',
          (d) => documents(d) && isTargetStatus(analysis, d.arguments[0]),
          (d) =>
            ['Response', 'SuccessResponse'].includes(calleeName(d) ?? '') &&
            writesTarget(analysis.target, d.arguments[0]),
        )
      )
        return;
      analysis.statusSlot(node.arguments[0], node.parent, 'tsoa', () => ({
        edits: descriptionEdit(analysis, node.arguments[1]),
      }));
      return;
    }
    if (ts.isIdentifier(node.expression)) {
      const responder = responderParameter(analysis, node.expression);
      if (!responder) return;
      const typeEdit = responderStatus(analysis, responder)?.edit;
      analysis.statusSlot(node.arguments[0], node, 'tsoa', () => ({ edits: typeEdit ? [typeEdit] : [] }));
    }
  },
};

/** Whether `node` is inside a method of a class that extends another (a tsoa `Controller`, directly or not). */
function inSubclass(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current))
      return !!current.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  }
  return false;
}

/**
 * The parameter `name` refers to, when it is typed `TsoaResponse<...>` (tsoa's responder type): the nearest
 * enclosing function's parameter of that name.
 */
function responderParameter(
  analysis: FileAnalysis,
  name: ts.Identifier,
): ts.ParameterDeclaration | undefined {
  for (let current = name.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const parameter = current.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name.text);
    if (parameter) return responderType(analysis, parameter) ? parameter : undefined;
  }
  return undefined;
}

/** The parameter's type when it is tsoa's `TsoaResponse<...>` (imported by name, or `tsoa.TsoaResponse`). */
function responderType(
  analysis: FileAnalysis,
  parameter: ts.ParameterDeclaration,
): ts.TypeReferenceNode | undefined {
  const type = parameter.type;
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const name = type.typeName;
  if (ts.isIdentifier(name)) return analysis.resolvesTo(name, MODULES, 'TsoaResponse') ? type : undefined;
  const binding = ts.isIdentifier(name.left) ? analysis.importOf(name.left.text) : undefined;
  const namespace = binding && MODULES.includes(binding.module) && binding.name === '*';
  return namespace && name.right.text === 'TsoaResponse' ? type : undefined;
}

/**
 * The literal 403 among a responder type's status argument (`TsoaResponse<403, B>`, `TsoaResponse<403 | 404, B>`),
 * with the edit that makes it the target.
 */
function responderStatus(
  analysis: FileAnalysis,
  parameter: ts.ParameterDeclaration,
): { node: ts.LiteralTypeNode; edit: Edit } | undefined {
  const type = responderType(analysis, parameter);
  const status = type?.typeArguments?.[0];
  if (!status) return undefined;
  const members = ts.isUnionTypeNode(status) ? status.types : [status];
  const forbidden = members.findIndex((m) => literalStatus(m) === 403);
  if (forbidden < 0) return undefined;
  const member = members[forbidden] as ts.LiteralTypeNode;
  // `TsoaResponse<200 | 401 | 403, B>` at 401: the 403 member goes, with its `|` (no `401 | 401`).
  if (members.length > 1 && members.some((m) => literalStatus(m) === analysis.target)) {
    const start = forbidden > 0 ? members[forbidden - 1].end : member.getStart(analysis.sourceFile);
    const end = forbidden > 0 ? member.end : members[1].getStart(analysis.sourceFile);
    return { node: member, edit: { start, end, text: '' } };
  }
  return { node: member, edit: analysis.replace(member.literal, String(analysis.target)) };
}

/** The number a literal type member names (`403` of `TsoaResponse<403, B>`), if it is one. */
function literalStatus(member: ts.TypeNode): number | undefined {
  return ts.isLiteralTypeNode(member) && ts.isNumericLiteral(member.literal)
    ? Number(member.literal.text)
    : undefined;
}
