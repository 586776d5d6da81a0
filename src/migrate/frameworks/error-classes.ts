import ts from '../../typescript.cjs';
import { STATUS_KEYS, propertySlot, shorten, skipOuter, type FileAnalysis } from '../analysis.js';
import { literalNumber } from '../analysis/syntax.js';
import type { ImportLink } from '../analysis/types.js';
import { collectImports } from '../imports.js';
import type { Framework } from './framework.js';
import { reportOutsideImports } from './outside-imports.js';
import { fixedStatusIn, projectClassFixing403 } from './nest-exception-chain.js';
import { chainedInstanceCheck } from './chained-instance-checks.js';
import { errorStatusSetter } from './error-setters.js';
import { unreadChain, unreadClass, unreadReason } from './unread-classes.js';
import { lineAndCharacterAt } from '../../util/lines.js';
import { TRPC_CODES } from '../status-names.js';
import { CODE_KEYS, handedCode, isForbiddenCode } from './error-class-codes.js';
import { madeClass } from '../analysis/class-factories.js';
import { moduleExports, type Exported } from '../declarations.js';
import { constructorFunctionName } from './constructor-functions.js';

const STATUS_FIELDS = new Set(['status', 'statusCode', 'httpStatus', 'httpCode', 'code', 'errorCode']);
/** Fields that hold an HTTP status in some projects and an application error code in others. */
const CODE_NAMES = new Set(['code', 'errorCode']);

/**
 * Project-defined error classes whose status is 403 (`status = 403`, `this.statusCode = 403`,
 * `super(msg, 403)`): the definition is shared by every throw site, so it is reported, never rewritten.
 * A class whose constructor takes the status (`this.statusCode = statusCode`, `constructor(public status)`)
 * is a helper: `new ApiError(403, m)` is rewritten at the call site.
 */
export const errorClasses: Framework = {
  id: 'error-classes',
  title: 'Custom error classes (reported)',
  enablers: [],
  kinds: [
    ts.SyntaxKind.PropertyDeclaration,
    ts.SyntaxKind.Constructor,
    ts.SyntaxKind.BinaryExpression,
    ts.SyntaxKind.ExportAssignment,
    ts.SyntaxKind.NewExpression,
    ts.SyntaxKind.CallExpression,
    ts.SyntaxKind.ImportDeclaration,
    ts.SyntaxKind.VariableStatement,
    ts.SyntaxKind.ExpressionWithTypeArguments,
  ],
  visit(node, analysis) {
    if (ts.isExpressionWithTypeArguments(node)) {
      inheritedStatus(analysis, node);
      return;
    }
    if (ts.isImportDeclaration(node) || ts.isVariableStatement(node)) {
      if (node.parent === analysis.sourceFile) reportOutsideImports(node, analysis);
      return;
    }
    if (ts.isPropertyDeclaration(node) && ts.isIdentifier(node.name) && STATUS_FIELDS.has(node.name.text)) {
      if (node.initializer && analysis.forbiddenEdits(node.initializer)) report(analysis, node, node.parent);
      else if (node.initializer && carriesCode(node.name.text, node.initializer, node.parent))
        reportCode(analysis, node, node.parent, node.initializer);
      else if (node.initializer) factoryParameter(analysis, node.initializer, node);
      return;
    }
    // `error_code = 'FORBIDDEN'` on an error class: an application code, as `code` is.
    if (ts.isPropertyDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      if (carriesCode(node.name.text, node.initializer, node.parent))
        reportCode(analysis, node, node.parent, node.initializer);
      return;
    }
    if (ts.isConstructorDeclaration(node) && isErrorLike(node.parent)) {
      node.parameters.forEach((parameter, index) => {
        if (!ts.isIdentifier(parameter.name) || !STATUS_FIELDS.has(parameter.name.text)) return;
        if (!ts.getModifiers(parameter)?.length) return;
        // `public readonly code: string`: an application code, not a status.
        if (stringValued(analysis, node, index, undefined)) return;
        const name = parameter.name.text;
        analysis.helperParam({ kind: 'param', fn: node, index, name }, parameter, 'error-classes');
      });
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) {
      chainedInstanceCheck(analysis, node);
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = node.left;
      // `this.status`, `this['statusCode']`: the field set on the instance.
      const field = thisField(left);
      if (field !== undefined && (STATUS_FIELDS.has(field) || CODE_KEYS.has(field))) {
        if (analysis.forbiddenEdits(node.right)) {
          const cls = classOf(node);
          if (cls) report(analysis, node, cls);
          else reportConstructorFunction(analysis, node);
          return;
        }
        if (forbiddenChoice(analysis, node.right)) {
          report(analysis, node, classOf(node), node.right);
          return;
        }
        const cls = classOf(node);
        if (cls && carriesCode(field, node.right, cls)) {
          reportCode(analysis, node, cls, node.right);
          return;
        }
        const evaluation = analysis.evaluate(node.right);
        if (
          evaluation.kind === 'param' &&
          ts.isConstructorDeclaration(evaluation.fn) &&
          isErrorLike(evaluation.fn.parent) &&
          !stringValued(analysis, evaluation.fn, evaluation.index, evaluation.property)
        )
          analysis.helperParam(evaluation, node, 'error-classes');
        else factoryParameter(analysis, node.right, node);
      }
      return;
    }
    // `export default Forbidden`: exporting the class sends nothing (its uses are reported where they are).
    if (ts.isExportAssignment(node) && ts.isIdentifier(node.expression)) {
      const name = node.expression.text;
      const cls = analysis.sourceFile.statements.find(
        (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name,
      );
      if (cls) analysis.notAnEmit(node, 'declaration');
      return;
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      if (!fixedStatusUse(analysis, node, node.expression))
        if (!unreadUse(analysis, node, node.expression, 'each throw of it may answer 403'))
          unreadChainUse(analysis, node, node.expression, 'each throw of it may answer 403');
      return;
    }
    // `new errors.NoPermissionError(m)` with `errors` an imported object or namespace of classes.
    if (
      ts.isNewExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression)
    ) {
      const owner = node.expression.expression.text;
      const name = node.expression.name.text;
      const binding = analysis.imports.get(owner);
      const found = binding && analysis.options.link?.classStatus(binding, name);
      if (!found && !unreadUse(analysis, node, node.expression, 'each throw of it may answer 403'))
        unreadChainUse(analysis, node, node.expression, 'each throw of it may answer 403');
      if (binding && found?.value === 403)
        analysis.addSite({
          node,
          framework: 'error-classes',
          manual: true,
          reason: `${owner}.${name} answers 403 wherever it is thrown (${outsideOrigin(analysis, found) ?? madeOrigin(analysis, found) ?? `imported from '${binding.module}'`}): on an mTLS route throw an error that answers ${analysis.target} instead, or map it to ${analysis.target} in the error handler.`,
        });
      return;
    }
    // `new HttpError(m).status(403)`: a setter of the error class (error-setters.ts).
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      errorStatusSetter(analysis, node);
      return;
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
      // `super(m, 403)`, or an options object `super(m, { code, status: 403 })`; a 'Forbidden' beside a 403
      // status is its message (Nest's `super('Forbidden', 403)` of an HttpException), never an error code.
      const choice = node.arguments.find((a) => !analysis.forbiddenEdits(a) && forbiddenChoice(analysis, a));
      if (choice) {
        report(analysis, node, classOf(node), choice);
        return;
      }
      const fixes403 = node.arguments.some((a) => {
        if (analysis.forbiddenEdits(a)) return true;
        const object = skipOuter(a);
        if (!ts.isObjectLiteralExpression(object)) return false;
        return object.properties.some((p) => {
          const slot = propertySlot(p);
          return (
            slot !== undefined && STATUS_KEYS.has(slot.key) && Boolean(analysis.forbiddenEdits(slot.value))
          );
        });
      });
      if (fixes403) {
        report(analysis, node, classOf(node));
        return;
      }
      // `super('FORBIDDEN', m)`, `super({ code: 'FORBIDDEN', message })`: the class carries an application code
      // that a mapper (tRPC's own, for a TRPCError) turns into a status.
      for (const argument of node.arguments) {
        const code = handedCode(argument);
        if (!code) continue;
        reportCode(analysis, node, classOf(node), code);
        return;
      }
    }
  },
};

/**
 * `own ? 403 : status`, `status || 403`: a choice holding 403 (the class answers 403 wherever that branch is taken,
 * so it is reported as a fixed 403 is); its parameter branch, if any, is its callers' choice, a helper whose
 * callers passing 403 are rewritten (`new Sub(m, false, 403)`).
 */
function forbiddenChoice(analysis: FileAnalysis, expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  const choice =
    ts.isConditionalExpression(node) ||
    (ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken));
  if (!choice) return false;
  const evaluation = analysis.evaluate(node);
  if (evaluation.kind !== 'forbidden') return false;
  if (evaluation.param)
    analysis.helperParam(evaluation.param.evaluation, evaluation.param.node, 'error-classes');
  return true;
}

/**
 * `new Forbidden(m)` where `Forbidden` (declared here or imported, through re-exports) fixes status 403:
 * each use is reported, so a person can pick the ones on mTLS routes (the declaration is reported once).
 */
function fixedStatusUse(analysis: FileAnalysis, node: ts.NewExpression, callee: ts.Identifier): boolean {
  const name = callee.text;
  const local = analysis.sourceFile.statements.find(
    (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name,
  );
  let origin: string | undefined;
  const scope = { sourceFile: analysis.sourceFile, imports: analysis, link: analysis.options.link };
  const status = local && fixedStatusIn(local, scope);
  // A class of this file a project function made (`const Forbidden = generate(403, 'x')`, `class Sub extends
  // Forbidden {}`): analysis/class-factories.ts. Session 49 (left49b): before, a shape mtls-fix does not know.
  const made =
    status === undefined &&
    !analysis.imports.has(name) &&
    (analysis.text.includes(`const ${name}`) || analysis.text.includes(`class ${name}`))
      ? (analysis.options.link?.localClass?.(name) ?? ownMadeClass(analysis.sourceFile, name))
      : undefined;
  if (made) {
    if (made.value !== 403 || made.madeBy === undefined) return false;
    // Made here, or in another file (`class Locked extends Denied {}` with `Denied` imported).
    const elsewhere =
      'file' in made && typeof made.file === 'string' && made.file !== analysis.options.link?.absolute
        ? analysis.options.link?.relative?.(made.file)
        : undefined;
    origin = `made by ${made.madeBy} at ${elsewhere === undefined ? 'line ' : `${elsewhere}:`}${made.line}`;
  } else if (local) {
    if (status !== 403) return false;
    const line = lineAndCharacterAt(analysis.sourceFile, local.getStart(analysis.sourceFile)).line;
    origin = `declared at line ${line + 1}`;
  } else {
    const binding = analysis.imports.get(name);
    const found = binding && analysis.options.link?.classStatus(binding);
    if (!binding || found?.value !== 403) return false;
    // Named by where the class is declared, so every use of one class reads (and groups) the same.
    const declared = analysis.options.link?.relative?.(found.file);
    origin =
      outsideOrigin(analysis, found) ??
      (declared
        ? `${found.madeBy === undefined ? 'declared in' : `made by ${found.madeBy} at`} ${declared}:${found.line}`
        : `imported from '${binding.module}'`);
  }
  analysis.addSite({
    node,
    framework: 'error-classes',
    manual: true,
    reason: `${name} answers 403 wherever it is thrown (${origin}): on an mTLS route throw an error that answers ${analysis.target} instead, or map ${name} to ${analysis.target} in the error handler.`,
  });
  return true;
}

/**
 * `its status is set in ../../packages/shared/src/errors.ts:4, outside this run` when the class's file is none
 * of the run's files (a workspace package, a folder the run does not scan): its 403 stays until that file is
 * migrated too. Undefined for a class of the run.
 */
function outsideOrigin(analysis: FileAnalysis, found: { file: string; line: number }): string | undefined {
  const link = analysis.options.link;
  if (!link?.outsideRun?.(found.file)) return undefined;
  return `its status is set in ${link.relative?.(found.file) ?? found.file}:${found.line}, outside this run`;
}

/**
 * Whether a constructor parameter (or one key of an options parameter) is a string (`code: string`,
 * `{ code = 'E_AUTH' }`, `{ code }: { code: string }`): an error code, not an HTTP status.
 */
function stringValued(
  analysis: FileAnalysis,
  fn: ts.ConstructorDeclaration,
  index: number,
  property: string | undefined,
): boolean {
  const parameter = fn.parameters[index];
  if (!parameter) return false;
  // `code = INVALID_TOKEN_CODE`: a `code` whose default is no status (a string constant) is an error code.
  const codeDefault = (name: string, value: ts.Expression | undefined): boolean =>
    CODE_NAMES.has(name) &&
    value !== undefined &&
    !analysis.isNumeric(value) &&
    !analysis.isKnownStatus(value);
  const isString = (type: ts.TypeNode | undefined): boolean =>
    type !== undefined && isStringType(analysis.sourceFile, type, 0);
  const isStringLiteral = (e: ts.Expression | undefined): boolean =>
    Boolean(e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)));
  // `code: ErrorCode | ErrorOptions`: a `code` that may be a string, or an enum of this file holding no HTTP
  // status (`enum CustomErrorCode { NotFound }`), is an application code, not a status.
  const codeType = (t: ts.TypeNode): boolean =>
    isStringType(analysis.sourceFile, t, 0) ||
    codeEnum(analysis.sourceFile, t) ||
    tableKeys(analysis.sourceFile, analysis.options.link, t, 0);
  const someString = (type: ts.TypeNode | undefined): boolean =>
    type !== undefined && (ts.isUnionTypeNode(type) ? type.types.some(codeType) : codeType(type));
  if (property === undefined)
    return (
      isString(parameter.type) ||
      (ts.isIdentifier(parameter.name) &&
        CODE_NAMES.has(parameter.name.text) &&
        someString(parameter.type)) ||
      isStringLiteral(parameter.initializer) ||
      (ts.isIdentifier(parameter.name) && codeDefault(parameter.name.text, parameter.initializer))
    );
  if (ts.isObjectBindingPattern(parameter.name)) {
    const element = parameter.name.elements.find(
      (e) => ((e.propertyName ?? e.name) as ts.Identifier).text === property,
    );
    if (isStringLiteral(element?.initializer) || codeDefault(property, element?.initializer)) return true;
  }
  const type = parameter.type;
  if (type && ts.isTypeLiteralNode(type)) {
    const member = type.members.find(
      (m) => ts.isPropertySignature(m) && m.name && ts.isIdentifier(m.name) && m.name.text === property,
    );
    if (member && ts.isPropertySignature(member)) return isString(member.type);
  }
  // An untyped options key counts only under a status name (`code` there is usually an error code).
  return !STATUS_KEYS.has(property);
}

/**
 * A string type: `string`, a string literal, a union of them, a type alias of this file that is one
 * (`type ServiceErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | ...`, openstatus's service errors), or an enum of this
 * file whose members are all strings (joplin's `enum ErrorCode { ResyncRequired = 'resyncRequired' }`).
 */
function isStringType(sourceFile: ts.SourceFile, type: ts.TypeNode, depth: number): boolean {
  if (type.kind === ts.SyntaxKind.StringKeyword) return true;
  if (ts.isLiteralTypeNode(type)) return ts.isStringLiteral(type.literal);
  if (ts.isParenthesizedTypeNode(type)) return isStringType(sourceFile, type.type, depth);
  if (ts.isUnionTypeNode(type)) return type.types.every((t) => isStringType(sourceFile, t, depth));
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName) || depth > 3) return false;
  const name = type.typeName.text;
  // `enum ErrorCode { ResyncRequired = 'resyncRequired' }`: an enum of strings.
  const enumeration = sourceFile.statements.find(
    (s): s is ts.EnumDeclaration => ts.isEnumDeclaration(s) && s.name.text === name,
  );
  if (enumeration)
    return (
      enumeration.members.length > 0 &&
      enumeration.members.every((m) => m.initializer !== undefined && ts.isStringLiteralLike(m.initializer))
    );
  const alias = sourceFile.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name,
  );
  return alias !== undefined && isStringType(sourceFile, alias.type, depth + 1);
}

/**
 * `keyof typeof registry`: the keys of a table (an error-code registry's codes, `{ CANNOT_SELF: { status: 403 } }`),
 * written so or through a type alias of this file or an imported one (`import type { ErrorCode }` of
 * `export type ErrorCode = keyof typeof errorRegistry`, hono-openapi-starter's AppError): an application code,
 * not a status (breaker36 #01). A table of this file keyed by numbers (`{ 403: 'Forbidden' }`) is no code table.
 */
function tableKeys(
  sourceFile: ts.SourceFile,
  link: ImportLink | undefined,
  type: ts.TypeNode,
  depth: number,
): boolean {
  if (depth > 3) return false;
  if (ts.isParenthesizedTypeNode(type)) return tableKeys(sourceFile, link, type.type, depth);
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.KeyOfKeyword) {
    const operand = type.type;
    if (!ts.isTypeQueryNode(operand) || !ts.isIdentifier(operand.exprName)) return false;
    const name = operand.exprName.text;
    for (const statement of sourceFile.statements)
      if (ts.isVariableStatement(statement))
        for (const declaration of statement.declarationList.declarations) {
          if (!ts.isIdentifier(declaration.name) || declaration.name.text !== name) continue;
          const value = declaration.initializer && skipOuter(declaration.initializer);
          return !(
            value &&
            ts.isObjectLiteralExpression(value) &&
            value.properties.some((p) => p.name !== undefined && ts.isNumericLiteral(p.name))
          );
        }
    return true;
  }
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return false;
  const name = type.typeName.text;
  const alias = sourceFile.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name,
  );
  if (alias) return tableKeys(sourceFile, link, alias.type, depth + 1);
  const binding = collectImports(sourceFile).get(name);
  const declared = binding && binding.name !== '*' ? link?.declaration?.(binding) : undefined;
  const there = declared?.sourceFile.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === declared.name,
  );
  return (
    there !== undefined &&
    declared !== undefined &&
    tableKeys(declared.sourceFile, declared.link, there.type, depth + 1)
  );
}

/** An enum of this file none of whose members is an HTTP status (`enum CustomErrorCode { NotFound }`). */
function codeEnum(sourceFile: ts.SourceFile, type: ts.TypeNode): boolean {
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return false;
  const name = type.typeName.text;
  const enumeration = sourceFile.statements.find(
    (s): s is ts.EnumDeclaration => ts.isEnumDeclaration(s) && s.name.text === name,
  );
  return (
    enumeration !== undefined &&
    enumeration.members.every((m) => {
      const value = m.initializer && literalNumber(m.initializer);
      return value === undefined || value < 100 || value > 599;
    })
  );
}

/**
 * A class that hands an application code naming a 403 to its base (`super('FORBIDDEN', m)`,
 * `super({ code: 'FORBIDDEN', message })`) or carries one in a code field (`code = 'FORBIDDEN'`,
 * `this.errorCode = 'PERMISSION_DENIED'`): the status is chosen where that code is mapped, so the class is
 * reported once and every `new` of it links here (census). A TRPCError subclass is tRPC's own 403, named so.
 */
function reportCode(
  analysis: FileAnalysis,
  node: ts.Node,
  cls: ts.Node | undefined,
  code: ts.Expression,
): void {
  if (!cls || !ts.isClassLike(cls)) return;
  const name = cls.name?.text ?? 'this class';
  const baseExpression = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
    ?.expression;
  const base = baseExpression?.getText(analysis.sourceFile);
  const written = code.getText(analysis.sourceFile);
  const handed = ts.isCallExpression(node);
  // `class Denied extends TRPCError { constructor(m) { super({ code: 'FORBIDDEN', message: m }) } }`: tRPC maps
  // the code itself, so every throw of the class answers 403.
  if (baseExpression && analysis.resolvesTo(baseExpression, ['@trpc/server'], 'TRPCError')) {
    const target = TRPC_CODES[analysis.target];
    analysis.addSite({
      node,
      framework: 'trpc',
      manual: true,
      reason: `${name} extends TRPCError with the code ${written}: tRPC answers 403 wherever ${name} is thrown. ${target ? `On mTLS procedures throw one with the code '${target}' (a sibling class), or change this code if every procedure is mTLS` : `No tRPC code maps to ${analysis.target}: set data.httpStatus in an errorFormatter for mTLS procedures`}; or keep it on purpose with // mtls-fix-ignore: <why>.`,
    });
    return;
  }
  analysis.addSite({
    node,
    framework: 'error-classes',
    manual: true,
    reason: `${name} ${handed ? `hands the code ${written} to ${base ?? 'its base class'}` : `carries the code ${written}`}, not a status: the status is chosen where that code is mapped (a switch or table on the error's code, a framework's own mapping). Make each mapping answer ${analysis.target} on mTLS routes (mtls-fix rewrites the mappings it knows, e.g. tRPC codes and Connect codes, and reports the rest); every throw of ${name} follows them.`,
  });
}

/**
 * `class PlanLimit extends NoAccess`, NoAccess a project class that fixes 403 (`super(m, 403)`, `status = 403`) or
 * a class further down such a chain, in this file or another (nest-exception-chain.ts): every throw of PlanLimit
 * answers 403 too, with no 403 written where it is declared or thrown. Reported at the heritage clause, as the
 * class that fixes it is at its status; a class that fixes a status of its own is read by that status.
 */
function inheritedStatus(analysis: FileAnalysis, node: ts.ExpressionWithTypeArguments): void {
  const clause = node.parent;
  if (!ts.isHeritageClause(clause) || clause.token !== ts.SyntaxKind.ExtendsKeyword) return;
  const cls = clause.parent;
  if (!ts.isClassLike(cls)) return;
  const scope = { sourceFile: analysis.sourceFile, imports: analysis, link: analysis.options.link };
  if (fixedStatusIn(cls, scope) !== undefined) return;
  const through = projectClassFixing403(node.expression, scope);
  if (!through) {
    const use = `${cls.name?.text ?? 'this class'} inherits its status`;
    // A class of another file may extend it, or build it with no 403 form in its text (run-analysis.ts phase 2).
    if (
      unreadUse(analysis, clause, node.expression, use) ||
      unreadChainUse(analysis, clause, node.expression, use)
    )
      if (cls.name) analysis.forbiddenClasses.add(cls.name.text);
    return;
  }
  const name = cls.name?.text ?? 'this class';
  analysis.addSite({
    node: clause,
    framework: 'error-classes',
    manual: true,
    reason: `Custom error class ${name} answers 403 wherever it is thrown: it inherits the status of ${through}. Add a sibling class for ${analysis.target} and throw it on mTLS routes, or map it in the error handler.`,
  });
  if (cls.name) analysis.forbiddenClasses.add(cls.name.text);
}

/**
 * `new PermissionDenied()`, `extends E.NoPermissionError`, `err instanceof AccessDenied`: a class whose name says 403
 * imported from a project module mtls-fix cannot resolve (unread-classes.ts) is named where it is used, with what
 * the use does; it was silent (session 45). Nothing when the class is read or its name says nothing of 403. True
 * when the use was named.
 */
export function unreadUse(
  analysis: FileAnalysis,
  node: ts.Node,
  expression: ts.Expression,
  use: string,
): boolean {
  const found = unreadClass(analysis, expression);
  if (found)
    analysis.addSite({
      node,
      framework: 'error-classes',
      manual: true,
      reason: unreadReason(analysis, found, use),
    });
  return found !== undefined;
}

/**
 * `new SeatLimit()`, `extends SeatLimit`, with `SeatLimit` a project class (this file's or another's) that extends an
 * unread class whose name says 403, directly or through other project classes (unread-classes.ts `unreadChain`):
 * named as a use of that class is, with the class of the project that extends it. Before session 46 only that
 * class's own `extends` was named. True when the use was named.
 */
export function unreadChainUse(
  analysis: FileAnalysis,
  node: ts.Node,
  expression: ts.Expression,
  use: string,
): boolean {
  const scope = { sourceFile: analysis.sourceFile, imports: analysis, link: analysis.options.link };
  const chain = unreadChain(expression, scope);
  if (!chain) return false;
  const named = expression.getText(analysis.sourceFile);
  analysis.addSite({
    node,
    framework: 'error-classes',
    manual: true,
    reason: unreadReason(analysis, chain.found, `${use} (${named} extends it through ${chain.through})`),
  });
  return true;
}

/** A class that extends something, or is named like an error or a response: not an entity with a `status`. */
function isErrorLike(cls: ts.Node): boolean {
  if (!ts.isClassLike(cls)) return false;
  if (cls.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword)) return true;
  return /Error|Exception|Failure|Response|Reply|Result/i.test(cls.name?.text ?? '');
}

/** `code = 'FORBIDDEN'` / `this.errorCode = 'PERMISSION_DENIED'` in an error class: a code that names a 403. */
function carriesCode(field: string, value: ts.Expression, cls: ts.Node): boolean {
  return CODE_KEYS.has(field) && isForbiddenCode(value) && isErrorLike(cls);
}

/** The field name of `this.x` or `this['x']`; undefined for any other target. */
function thisField(target: ts.Expression): string | undefined {
  if (skipOuter(target) !== target) return undefined;
  if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword)
    return target.name.text;
  if (
    ts.isElementAccessExpression(target) &&
    target.expression.kind === ts.SyntaxKind.ThisKeyword &&
    ts.isStringLiteralLike(target.argumentExpression)
  )
    return target.argumentExpression.text;
  return undefined;
}

function classOf(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent)
    if (ts.isClassLike(current)) return current;
  return undefined;
}

function report(
  analysis: FileAnalysis,
  node: ts.Node,
  cls: ts.Node | undefined,
  choice?: ts.Expression,
): void {
  if (!cls || !ts.isClassLike(cls)) return;
  const name = cls.name?.text ?? 'this class';
  const when = choice
    ? `where it chooses 403 (${shorten(skipOuter(choice).getText(analysis.sourceFile))})`
    : 'wherever it is thrown';
  analysis.addSite({
    node,
    framework: 'error-classes',
    manual: true,
    reason: `Custom error class ${name} answers 403 ${when}: add a sibling class for ${analysis.target} and throw it on mTLS routes, or map it in the error handler.`,
  });
}

/**
 * `this.code = 403` in a pre-ES2015 error class (a constructor function, constructor-functions.ts): reported as a
 * class's own status is. Session 52: before, "a 403 in a shape mtls-fix does not know".
 */
function reportConstructorFunction(analysis: FileAnalysis, node: ts.BinaryExpression): void {
  const name = constructorFunctionName(node);
  if (name === undefined) return;
  analysis.addSite({
    node,
    framework: 'error-classes',
    manual: true,
    reason: `Custom error class ${name} (a constructor function) answers 403 wherever it is thrown: add a sibling for ${analysis.target} and throw it on mTLS routes, or map it in the error handler.`,
  });
}

/**
 * `status = code` (a field) or `this.status = code` in an error class a function makes, `code` being that
 * function's parameter (`const makeError = (code) => class extends Error { status = code }`, `function declared(code)
 * { class Made extends Error { … this.status = code } return Made }`): the function is an error class factory
 * (analysis/class-factories.ts), whose calls passing 403 are reported as classes. Before session 49 `makeError(403)`
 * was a shape mtls-fix does not know, and `declared(403)` an unrelated number.
 */
function factoryParameter(analysis: FileAnalysis, value: ts.Expression, form: ts.Node): void {
  const cls = classOf(form);
  if (!cls || !isErrorLike(cls)) return;
  const evaluation = analysis.evaluate(value);
  if (evaluation.kind !== 'param' || madeClass(evaluation.fn, form) !== cls) return;
  analysis.helperParam(evaluation, form, 'error-classes');
}

/** The classes of a file made by its own functions (declarations.ts `classes`), read once per file. */
const ownMade = new WeakMap<ts.SourceFile, ReadonlyMap<string, Exported>>();

/**
 * `const Forbidden = generate(403, 'x')` with `generate` a function of this file (or a class extending such a one):
 * its status, line and making call, without the cross-file link (a single-file run). Undefined for any other name.
 */
function ownMadeClass(
  sourceFile: ts.SourceFile,
  name: string,
): { value: number; line: number; madeBy?: string } | undefined {
  let classes = ownMade.get(sourceFile);
  if (!classes) {
    classes = moduleExports(sourceFile).classes;
    ownMade.set(sourceFile, classes);
  }
  const found = classes.get(name);
  return found?.kind === 'class' ? found : undefined;
}

/** `made by generate(403, …) at src/errors.ts:4` for a class a project function made (analysis/class-factories.ts). */
function madeOrigin(
  analysis: FileAnalysis,
  found: { file: string; line: number; madeBy?: string },
): string | undefined {
  const declared = analysis.options.link?.relative?.(found.file);
  return found.madeBy !== undefined && declared !== undefined
    ? `made by ${found.madeBy} at ${declared}:${found.line}`
    : undefined;
}
