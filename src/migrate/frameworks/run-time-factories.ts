import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { declaringStatement, isStatementScope } from '../analysis/block-declarations.js';
import { bindsName, calledFunction, shorten, skipOuter, staticMember } from '../analysis/syntax.js';
import { lineAt } from '../../util/lines.js';

/**
 * A 403 factory chosen by a key known only at run time (session 39): `Boom[this.errorType](msg)`,
 * `Boom[kind](msg)`, `new createError[name]()`. The member called is whatever the key holds, so the call answers
 * 403 whenever the key is `forbidden` (Boom) or `Forbidden` (http-errors). What the key may hold is read from the
 * text where it is written down: a string literal, a `const` holding one, a parameter or class field typed with a
 * union of string literals (`kind: 'forbidden' | 'notFound'`, or a `type` alias of one in the file), a class
 * field initialised with one, or an entry of a `const` object literal of strings (`KINDS[k]`). A key whose values
 * are all known and none is the 403 name is no 403, nor is a key holding another status (`HttpErrors[400]`,
 * `createError[StatusCodes.NOT_FOUND]`); any other is reported with file:line, never rewritten (the key decides
 * more than this call).
 */
export interface RunTimeFactory {
  /** The library, for the message: `Boom`, `createError`. */
  library: string;
  /** The member that answers 403: `forbidden`, `Forbidden`. */
  member: string;
  framework: string;
}

/** Reports `owner[key](…)` (or `new owner[key](…)`) when `key` is not written out and may name the 403 member. */
export function runTimeFactory(
  analysis: FileAnalysis,
  call: ts.CallExpression | ts.NewExpression,
  factory: RunTimeFactory,
): void {
  const access = skipOuter(factoryCalled(call));
  if (!ts.isElementAccessExpression(access) || staticMember(access)) return;
  const key = access.argumentExpression;
  // `new HttpErrors[400](m)`, `createError[NOT_FOUND]`, `createError[StatusCodes.CONFLICT]`: a key that holds
  // another status is written down, not chosen at run time (session 49: named "may be Forbidden()").
  const status = analysis.statusValue(key);
  if (status !== undefined && status !== 403) return;
  const values = keyValues(key);
  if (values && !values.includes(factory.member)) return;
  const shown = shorten(key.getText(analysis.sourceFile));
  const line = (node: ts.Node): number => lineAt(analysis.sourceFile, node.getStart(analysis.sourceFile));
  const held = values
    ? `${shown} holds one of ${values.map((v) => `'${v}'`).join(', ')}, so it calls ${factory.library}.${factory.member}() (403) when it is '${factory.member}'`
    : `may be ${factory.member}() (403)`;
  analysis.addSite({
    node: call,
    framework: factory.framework,
    manual: true,
    reason: `A ${factory.library} factory chosen at run time (${shown}, ${analysis.file}:${line(call)}): ${held}. Where it answers 403 on an mTLS route, answer ${analysis.target} instead (map the key, or call the factory for ${analysis.target}); if it never does, mark it // mtls-fix-ignore: <why>.`,
  });
}

/**
 * The function a call runs, a forwarded one too whatever its argument list (`Boom[key].apply(Boom, arguments)`:
 * which factory runs does not depend on the arguments).
 */
export function factoryCalled(call: ts.CallExpression | ts.NewExpression): ts.Expression {
  if (!ts.isCallExpression(call)) return call.expression;
  const called = calledFunction(call);
  const member = staticMember(skipOuter(called));
  return member && (member.name === 'apply' || member.name === 'call') ? member.owner : called;
}

/** The strings a key may hold, read from the text; undefined when they are not all written down. */
function keyValues(key: ts.Expression): string[] | undefined {
  const node = skipOuter(key);
  if (ts.isStringLiteralLike(node)) return [node.text];
  if (ts.isIdentifier(node)) return declaredValues(node);
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword)
    return fieldValues(node);
  // `KINDS[k]` with `const KINDS = { denied: 'forbidden', … }`: any of its entries.
  if (ts.isElementAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const object = constInitializer(node.expression);
    if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
    const out: string[] = [];
    for (const property of object.properties) {
      const value = ts.isPropertyAssignment(property) ? skipOuter(property.initializer) : undefined;
      if (!value || !ts.isStringLiteralLike(value)) return undefined;
      out.push(value.text);
    }
    return out;
  }
  return undefined;
}

/** The strings a union of string literal types spells (`'a' | 'b'`, or a `type` alias of one in the file). */
function typeValues(type: ts.TypeNode | undefined, seen = 0): string[] | undefined {
  if (!type || seen > 8) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return typeValues(type.type, seen + 1);
  if (ts.isLiteralTypeNode(type)) return ts.isStringLiteral(type.literal) ? [type.literal.text] : undefined;
  if (ts.isUnionTypeNode(type)) {
    const out: string[] = [];
    for (const member of type.types) {
      const values = typeValues(member, seen + 1);
      if (!values) return undefined;
      out.push(...values);
    }
    return out;
  }
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && !type.typeArguments) {
    const name = type.typeName.text;
    for (const statement of type.getSourceFile().statements)
      if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name)
        return typeValues(statement.type, seen + 1);
  }
  return undefined;
}

/** A parameter's or `const`'s values: its literal type union, or the literal a `const` holds. */
function declaredValues(name: ts.Identifier): string[] | undefined {
  const declaration = nearestDeclaration(name);
  if (!declaration) return undefined;
  const init =
    ts.isVariableDeclaration(declaration) && declaration.initializer && skipOuter(declaration.initializer);
  if (init && ts.isStringLiteralLike(init)) return [init.text];
  return ts.isIdentifier(declaration.name) ? typeValues(declaration.type) : undefined;
}

/** `this.errorType`: the class field's literal type union, else (a field never typed) its literal initializer. */
function fieldValues(access: ts.PropertyAccessExpression): string[] | undefined {
  let owner: ts.Node | undefined = access.parent;
  while (owner && !ts.isClassLike(owner)) owner = owner.parent;
  if (!owner) return undefined;
  for (const member of owner.members) {
    if (!ts.isPropertyDeclaration(member) || !member.name || member.name.getText() !== access.name.text)
      continue;
    const typed = typeValues(member.type);
    if (typed || member.type) return typed;
    // A field assigned elsewhere may hold anything: only a readonly one is its initializer.
    const readonly = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
    const init = member.initializer && skipOuter(member.initializer);
    return readonly && init && ts.isStringLiteralLike(init) ? [init.text] : undefined;
  }
  return undefined;
}

/**
 * The declaration a name reads, the nearest around it: a parameter, or a `const` of a block, function body or the
 * file (through the statement index of block-declarations.ts, not a scan per key). Undefined for a `let`, a
 * function or class of that name, a destructured `const`, or none.
 */
function nearestDeclaration(
  name: ts.Identifier,
): ts.ParameterDeclaration | ts.VariableDeclaration | undefined {
  for (let scope: ts.Node | undefined = name.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      const parameter = scope.parameters.find((p) => bindsName(p.name, name.text));
      if (parameter) return parameter;
    }
    const statement = isStatementScope(scope) ? declaringStatement(scope, name.text) : undefined;
    if (!statement) continue;
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const))
      return undefined;
    return statement.declarationList.declarations.find(
      (d) => ts.isIdentifier(d.name) && d.name.text === name.text,
    );
  }
  return undefined;
}

/** What a `const` of that name holds, through casts (`{ … } as const`). */
function constInitializer(name: ts.Identifier): ts.Expression | undefined {
  const declaration = nearestDeclaration(name);
  const init = declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
  return init && skipOuter(init);
}
