import ts from '../../typescript.cjs';
import { propertySlot, type FileAnalysis } from '../analysis.js';
import { FileImports } from '../analysis/file-imports.js';
import { bindsName, forwardedCall, shorten, skipOuter, staticMember } from '../analysis/syntax.js';
import { remapHint, remapLayers, type ImplicitKind } from '../remaps.js';
import { CONSTANT_NAMES, reasonPhrase } from '../status-names.js';
import type { Edit, RemapLayer } from '../types.js';
import { spreadKey } from './response-spreads.js';

/**
 * `recv.method(args)`: the parts of a method call, or undefined. The method may be named by a string element
 * access too (`res['sendStatus'](403)`, `` reply[`forbidden`]() ``, session 37): the same call, read the same way;
 * rename its name with {@link renameMember}.
 */
export function methodCall(
  node: ts.Node,
):
  | { call: ts.CallExpression; method: string; object: ts.Expression; args: readonly ts.Expression[] }
  | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const forwarded = forwardedCall(node);
  if (forwarded) {
    // `res.status.call(res, 403)`, `reply.code.apply(reply, [403])`, `res.status.bind(res)(403)`,
    // `Reflect.apply(res.status, res, [403])`: the method called on the object `this` is set to, with these
    // arguments (session 39). A `this` that is another object (`res.status.call(other, 403)`) proves no sender.
    const member = staticMember(skipOuter(forwarded.fn));
    if (!member || !forwarded.self || !sameReference(member.owner, forwarded.self)) return undefined;
    return { call: node, method: member.name, object: member.owner, args: forwarded.args };
  }
  const member = staticMember(node.expression);
  if (!member) return undefined;
  return {
    call: node,
    method: member.name,
    object: member.owner,
    args: node.arguments,
  };
}

/** Whether two expressions name the same object by text: `res` and `res`, `this.res` and `(this.res)`. */
function sameReference(a: ts.Expression, b: ts.Expression): boolean {
  const left = skipOuter(a);
  const right = skipOuter(b);
  const plain = (node: ts.Expression): boolean =>
    ts.isIdentifier(node) || node.kind === ts.SyntaxKind.ThisKeyword || Boolean(staticMember(node));
  return (
    plain(left) && plain(right) && left.getText().replace(/\s+/g, '') === right.getText().replace(/\s+/g, '')
  );
}

/**
 * `target.prop = value` with `=`, also with the key written as a string (`ctx['status'] = 403`,
 * `res["statusCode"] = 403`: the same member, syntax.ts `staticMember`). A computed key (`ctx[key] = 403`) is
 * no assignment of a known member.
 */
export function assignment(node: ts.Node):
  | {
      left: ts.PropertyAccessExpression | ts.ElementAccessExpression;
      property: string;
      object: ts.Expression;
      right: ts.Expression;
    }
  | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const left = node.left;
  if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return undefined;
  const member = staticMember(left);
  if (!member) return undefined;
  return { left, property: member.name, object: member.owner, right: node.right };
}

/**
 * `ctx.status = ctx.status`, `res.statusCode = res.statusCode`: the status written back as it is (egg-cnode's
 * error-page middleware), which sends nothing new and takes no status from a caller.
 */
export function isSelfAssignment(assign: { left: ts.Expression; right: ts.Expression }): boolean {
  let right = assign.right;
  while (ts.isParenthesizedExpression(right)) right = right.expression;
  return ts.isPropertyAccessExpression(right) && right.getText() === assign.left.getText();
}

/** The quote the file uses for strings, judged from its first import or require. */
export function quoteOf(analysis: FileAnalysis): string {
  const match = /(?:from\s*|require\(\s*|import\s*)(['"])/.exec(analysis.text);
  if (match) return match[1];
  // No import: the quote most string literals use.
  const single = analysis.text.split("'").length;
  const double = analysis.text.split('"').length;
  return double > single ? '"' : "'";
}

export function quoted(analysis: FileAnalysis, text: string): string {
  const q = quoteOf(analysis);
  return `${q}${text.replaceAll(q, `\\${q}`)}${q}`;
}

/**
 * A framework-implicit 403 (guards, csrf, static serving): reported with its central remap, and the layers that can
 * remap it (remaps.ts `remapLayers`, unless the call's options say otherwise).
 */
export function implicit(
  analysis: FileAnalysis,
  node: ts.Node,
  framework: string,
  kind: ImplicitKind,
  layers: RemapLayer[] = remapLayers(kind),
): void {
  analysis.addSite({
    node,
    framework,
    manual: true,
    reason: `Implicit 403. ${remapHint(kind, analysis.target)}`,
    remapLayers: layers,
  });
}

/** Whether a 401 challenge should be added here (`--www-authenticate` and a 401 target). */
export function challenge(analysis: FileAnalysis): string | undefined {
  return analysis.target === 401 ? analysis.options.wwwAuthenticate : undefined;
}

/** Inserts `.method('WWW-Authenticate', 'Scheme')` right after `object` in a chain: `res.set(…).status(401)`. */
export function chainHeader(analysis: FileAnalysis, object: ts.Expression, method: string): Edit[] {
  const scheme = challenge(analysis);
  if (!scheme || setsChallenge(analysis, object)) return [];
  const end = object.getEnd();
  return [
    {
      start: end,
      end,
      text: `.${method}(${quoted(analysis, 'WWW-Authenticate')}, ${quoted(analysis, scheme)})`,
    },
  ];
}

/** A reason for rewritten 401 sites that have no local way to add the challenge header. */
export function challengeNote(analysis: FileAnalysis): string | null {
  const scheme = challenge(analysis);
  return scheme
    ? `No local idiom for the WWW-Authenticate header here: add 'WWW-Authenticate: ${scheme}' to 401 responses centrally.`
    : null;
}

/**
 * Renames the member a property or element access reads (`Boom.forbidden` -> `Boom.unauthorized`,
 * `Boom['forbidden']` -> `Boom['unauthorized']` with its own quotes, `Boom[K]` with `const K = 'forbidden'` ->
 * `Boom.unauthorized`: the member is written in place, `K` itself is left as it is, other reads may need it).
 * Throws when `access` reads no member (a caller's bug: it matched the access by its name first).
 */
export function renameMember(analysis: FileAnalysis, access: ts.Expression, name: string): Edit {
  const node = skipOuter(access);
  const member = staticMember(node);
  if (member && (ts.isIdentifier(member.nameNode) || ts.isPrivateIdentifier(member.nameNode)))
    return analysis.replace(member.nameNode, name);
  if (member) {
    const raw = member.nameNode.getText(analysis.sourceFile);
    return analysis.replace(member.nameNode, `${raw[0]}${name}${raw[raw.length - 1]}`);
  }
  if (ts.isElementAccessExpression(node))
    return {
      start: node.expression.getEnd(),
      end: node.getEnd(),
      text: `${node.questionDotToken ? '?' : ''}.${name}`,
    };
  throw new Error(`renameMember: ${node.getText(analysis.sourceFile)} reads no member`);
}

/**
 * Response-schema keys (`schema.response: { 403: … }` in Fastify, `response: { 403: … }` in Elysia,
 * `responses: { 403: … }` in @hono/zod-openapi): rename the key, or report when the target key exists. A computed
 * key holding a 403 constant (`[HttpStatusCodes.FORBIDDEN]`, `[StatusCodes.FORBIDDEN]`, a project constant)
 * becomes the target's name as a status slot would; the phrases in its value follow (`description: 'Forbidden'`,
 * stoker's `jsonContent(createMessageObjectSchema(HttpStatusPhrases.FORBIDDEN), 'Forbidden')`).
 */
export function responseKey(
  analysis: FileAnalysis,
  property: ts.PropertyAssignment,
  framework: string,
): void {
  const name = property.name;
  let keyEdits: Edit[];
  if (ts.isNumericLiteral(name) || ts.isStringLiteral(name)) {
    if (Number(name.text) !== 403) return;
    const raw = name.getText(analysis.sourceFile);
    const target = String(analysis.target);
    keyEdits = [
      analysis.replace(name, ts.isStringLiteral(name) ? `${raw[0]}${target}${raw[raw.length - 1]}` : target),
    ];
  } else if (ts.isComputedPropertyName(name)) {
    const edits = analysis.forbiddenEdits(name.expression);
    if (!edits) return;
    keyEdits = edits;
  } else return;
  const object = property.parent;
  // A key left for a person to merge owns its whole entry for the census: the schema named in its value
  // (`jsonContent({ schema: forbiddenSchema })`, an imported `ForbiddenError`) and its phrases are that merge,
  // not 403s of a shape of their own (agent-cal's 39 `[HttpStatusCodes.FORBIDDEN]: jsonContent(…)` entries).
  const entry = { start: property.getStart(analysis.sourceFile), end: property.getEnd() };
  if (object.properties.some((p) => p !== property && p.name && isTargetKey(analysis, p.name))) {
    analysis.addSite({
      node: name,
      framework,
      manual: true,
      reason: `The response schema already has a ${analysis.target} entry: merge the 403 schema into it by hand.`,
      cover: entry,
    });
    return;
  }
  // `{ ...authErrors, 403: X }`: a spread holding the target counts as a key beside it (breaker30 #01).
  const spread = object.properties.some(ts.isSpreadAssignment)
    ? spreadKey(
        object,
        analysis.target,
        analysis.sourceFile,
        new FileImports(analysis.sourceFile, analysis.options.moduleAlias),
        analysis.options.link,
        analysis.file,
      )
    : undefined;
  if (spread) {
    analysis.addSite({
      node: name,
      framework,
      manual: true,
      reason:
        spread.kind === 'target'
          ? `The response schema already has a ${analysis.target} entry, through the spread ...${shorten(spread.spread)} (${spread.where}): merge the 403 schema into it by hand.`
          : `The response schema spreads ...${shorten(spread.spread)}, which mtls-fix cannot read (${spread.where}): it may hold a ${analysis.target} entry that renaming this 403 would overwrite. Check it, then rename or merge the 403 schema by hand.`,
      cover: entry,
    });
    return;
  }
  const value = property.initializer;
  analysis.addSite({
    node: name,
    framework,
    edits: [
      ...keyEdits,
      ...(ts.isObjectLiteralExpression(value)
        ? descriptionCompanion(analysis, value)
        : phrasesIn(analysis, value)),
    ],
  });
}

/** A response key for the agreed status: `401`, `'401'`, or a computed constant named for it (`[X.UNAUTHORIZED]`). */
function isTargetKey(analysis: FileAnalysis, key: ts.PropertyName): boolean {
  if (ts.isNumericLiteral(key) || ts.isStringLiteral(key)) return Number(key.text) === analysis.target;
  if (!ts.isComputedPropertyName(key)) return false;
  const expression = skipOuter(key.expression);
  if (ts.isNumericLiteral(expression)) return Number(expression.text) === analysis.target;
  const name = CONSTANT_NAMES[analysis.target];
  return Boolean(name && ts.isPropertyAccessExpression(expression) && expression.name.text === name);
}

/**
 * The reason phrases in a response entry built by a call (`jsonContent(schema, 'Forbidden')`): phrase constants
 * (`HttpStatusPhrases.FORBIDDEN`, `ReasonPhrases.FORBIDDEN`) and string literals that are exactly the phrase.
 */
function phrasesIn(analysis: FileAnalysis, value: ts.Expression): Edit[] {
  const edits: Edit[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      edits.push(...descriptionEdit(analysis, node));
      return;
    }
    const phrase = analysis.phraseCompanion(node);
    if (phrase.length) {
      edits.push(...phrase);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(value);
  return edits;
}

/**
 * A documented response's `description: 'Forbidden'` (or `'Forbidden.'`, the Nest docs' spelling) follows
 * the status: swagger decorators and response-schema entries.
 */
export function descriptionCompanion(analysis: FileAnalysis, object: ts.Expression | undefined): Edit[] {
  if (!object || !ts.isObjectLiteralExpression(object)) return [];
  return descriptionEdit(analysis, propertyOf(object, 'description')?.initializer);
}

/**
 * A description text that is the reason phrase (`'Forbidden'`, `'Forbidden.'`) follows the status; any other
 * text, or no text, gives no edit. tsoa passes it positionally (`@Response(403, 'Forbidden')`).
 */
export function descriptionEdit(analysis: FileAnalysis, value: ts.Expression | undefined): Edit[] {
  if (!value || !(ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value))) return [];
  const match = /^Forbidden([.!]?)$/.exec(value.text);
  return match ? [analysis.phraseEdit(value, `${reasonPhrase(analysis.target)}${match[1]}`)] : [];
}

/** The property `key` of an object literal, if present. */
export function propertyOf(
  object: ts.ObjectLiteralExpression,
  key: string,
): ts.PropertyAssignment | undefined {
  return object.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      p.name.text === key,
  );
}

/**
 * The status key of an object literal, shorthand included (`{ status }` is `{ status: status }`): the node
 * and the expression that holds the value.
 */
export function statusProperty(
  object: ts.ObjectLiteralExpression,
  key: string,
): { node: ts.ObjectLiteralElementLike; value: ts.Expression } | undefined {
  for (const property of object.properties) {
    const slot = propertySlot(property);
    if (slot?.key === key) return { node: slot.node, value: slot.value };
  }
  return undefined;
}

/**
 * The ResponseInit object a response call is given: the literal itself, or the object a `const` of an enclosing
 * scope holds (`const init = { status: 403 }; return NextResponse.json(body, init)`). Undefined for anything else.
 */
export function initObject(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const value = skipOuter(expression);
  if (ts.isObjectLiteralExpression(value)) return value;
  if (!ts.isIdentifier(value)) return undefined;
  for (let scope: ts.Node | undefined = value.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, value.text)))
      return undefined;
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || declaration.name.text !== value.text) continue;
        const init = declaration.initializer && skipOuter(declaration.initializer);
        return init && ts.isObjectLiteralExpression(init) ? init : undefined;
      }
    }
  }
  return undefined;
}

/** Whether the named callee comes from one of these modules (or is `ns.name` on such an import). */
export function calleeFrom(
  analysis: FileAnalysis,
  callee: ts.Expression,
  modules: readonly string[],
  name: string,
) {
  return analysis.resolvesTo(callee, modules, name);
}

/** `err.code === X`, `x !== X`, `case X:`: the node is compared, never sent. */
export function isComparison(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isCaseClause(parent)) return true;
  if (!ts.isBinaryExpression(parent)) return false;
  return [
    ts.SyntaxKind.EqualsEqualsEqualsToken,
    ts.SyntaxKind.EqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsToken,
  ].includes(parent.operatorToken.kind);
}

/**
 * Whether the code around a site already sets WWW-Authenticate (in the same statement or a statement of the
 * same block): the challenge it chose is never overwritten.
 */
export function setsChallenge(analysis: FileAnalysis, node: ts.Node): boolean {
  return analysis.setsChallenge(node);
}

/** A top-level class by name (`default`: the default-exported class). */
export function classNamed(sourceFile: ts.SourceFile, name: string): ts.ClassLikeDeclaration | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isClassDeclaration(statement)) {
      const isDefault = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (statement.name?.text === name || (name === 'default' && isDefault)) return statement;
    }
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) {
          const value = skipOuter(declaration.initializer);
          if (ts.isClassExpression(value)) return value;
        }
    if (name === 'default' && ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression))
      return classNamed(sourceFile, statement.expression.text);
  }
  return undefined;
}
