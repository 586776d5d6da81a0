import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { skipOuter } from '../analysis/syntax.js';
import type { SiteInput } from '../analysis/types.js';
import { initObject, quoted } from './shared.js';

/**
 * What `--www-authenticate` does to one response's init or props object: `edits` that add the challenge, a
 * `manual` site with the reason it cannot be added safely, or nothing (a challenge is already set).
 */
export type ChallengePlan = Pick<SiteInput, 'edits' | 'manual' | 'reason'>;

/**
 * How the framework reads the `headers` value: `web` takes a `HeadersInit` (a `Headers` object, an array of
 * pairs or a record: `Response`, `NextResponse`, Hono, Remix), so only a value proved to be a plain record may
 * be spread (a spread of a `Headers` object keeps none of its entries); `record` takes a plain object only
 * (Lambda results, http-errors props, Koa's `err.headers`), so any named value spreads whole.
 */
export type HeadersKind = 'web' | 'record';

/**
 * Adds `WWW-Authenticate: scheme` to an init or props object only where that provably keeps every header the
 * code sends and sets no second challenge: into a `headers` object literal of plain entries, an array literal of
 * pairs, a record value proved plain (`{ ...cors, … }`), or as a new `headers` key when no spread of the object
 * may carry headers. Anything else (a `Headers` object, a `HeadersInit` parameter, `upstream.headers`, a spread
 * that may hold `headers`) is a manual site whose reason says why. A challenge already written in the object, or
 * for `web` set in its block (`c.header('WWW-Authenticate', …)`, `h.set(…)`), gets nothing.
 */
export function challengeHeaders(
  analysis: FileAnalysis,
  object: ts.ObjectLiteralExpression,
  scheme: string,
  kind: HeadersKind,
): ChallengePlan {
  if (/www-authenticate/i.test(object.getText(analysis.sourceFile))) return {};
  // A response built in place takes the challenge the handler set beside it (`c.header(…)`, `h.set(…)`); a
  // thrown error's headers replace the context's (Koa clears them), so only its own object counts there.
  if (kind === 'web' && analysis.setsChallenge(object)) return {};
  const entry = `${quoted(analysis, 'WWW-Authenticate')}: ${quoted(analysis, scheme)}`;
  const manual = (why: string): ChallengePlan => ({
    manual: true,
    reason: `--www-authenticate: ${why}: add the challenge by hand (status ${analysis.target} with 'WWW-Authenticate: ${scheme}'; for a Headers value: const h = new Headers(x); h.set('WWW-Authenticate', '${scheme}')).`,
  });
  const headers = object.properties.find((p) => p.name && nameOf(p.name) === 'headers');
  if (!headers) {
    for (const property of object.properties) {
      if (!ts.isSpreadAssignment(property)) continue;
      const spread = plainSpread(property.expression);
      const text = shown(analysis, property.expression);
      if (spread === 'challenge') return {};
      if (spread !== 'plain')
        return manual(
          spread === 'headers'
            ? `the spread ...${text} carries headers, which a new 'headers' key would replace`
            : `the spread ...${text} may carry headers, which a new 'headers' key would replace`,
        );
    }
    const last = object.properties[object.properties.length - 1];
    if (!last) return { edits: [analysis.replace(object, `{ headers: { ${entry} } }`)] };
    return { edits: [{ start: last.getEnd(), end: last.getEnd(), text: `, headers: { ${entry} }` }] };
  }
  if (ts.isShorthandPropertyAssignment(headers)) {
    const value = namedValue(headers.name, kind);
    if (value === 'challenge') return {};
    if (value !== 'plain') return manual(`'headers' (${headers.name.text}) ${WHY[value]}`);
    return { edits: [analysis.replace(headers, `headers: { ...${headers.name.text}, ${entry} }`)] };
  }
  if (!ts.isPropertyAssignment(headers)) return manual(`'headers' is not a value mtls-fix can read`);
  const value = skipOuter(headers.initializer);
  const text = shown(analysis, value);
  if (ts.isObjectLiteralExpression(value)) {
    for (const property of value.properties) {
      if (!ts.isSpreadAssignment(property)) continue;
      const spread = plainSpread(property.expression);
      if (spread === 'challenge') return {};
      if (spread === 'unknown' && kind === 'web')
        return manual(
          `the headers spread ...${shown(analysis, property.expression)}, which may be a Headers object or hold a challenge`,
        );
    }
    const last = value.properties[value.properties.length - 1];
    if (!last) return { edits: [analysis.replace(value, `{ ${entry} }`)] };
    return { edits: [{ start: last.getEnd(), end: last.getEnd(), text: `, ${entry}` }] };
  }
  if (ts.isArrayLiteralExpression(value)) {
    // `[['content-type', 'x']]` is a HeadersInit of pairs: one more pair keeps the others.
    if (kind !== 'web' || !value.elements.every((e) => ts.isArrayLiteralExpression(e)))
      return manual(`'headers' (${text}) is a list mtls-fix cannot extend`);
    const pair = `[${quoted(analysis, 'WWW-Authenticate')}, ${quoted(analysis, scheme)}]`;
    const last = value.elements[value.elements.length - 1];
    if (!last) return { edits: [analysis.replace(value, `[${pair}]`)] };
    return { edits: [{ start: last.getEnd(), end: last.getEnd(), text: `, ${pair}` }] };
  }
  if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value)) {
    const named = ts.isIdentifier(value) ? namedValue(value, kind) : kind === 'record' ? 'plain' : 'unknown';
    if (named === 'challenge') return {};
    if (named !== 'plain') return manual(`'headers' (${text}) ${WHY[named]}`);
    return { edits: [analysis.replace(value, `{ ...${value.getText(analysis.sourceFile)}, ${entry} }`)] };
  }
  return manual(`'headers' (${text}) ${WHY.unknown}`);
}

const WHY = {
  headers: 'is a Headers object, which an object spread does not keep',
  unknown: 'may be a Headers object or a list of pairs, which an object spread does not keep',
} as const;

/** The text of a property name (`headers`, `'headers'`), or undefined for a computed one. */
function nameOf(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)
    ? name.text
    : undefined;
}

/** A short form of an expression for a reason. */
function shown(analysis: FileAnalysis, node: ts.Node): string {
  const text = node.getText(analysis.sourceFile).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * What a spread `...x` brings into an object: `plain` (a const object literal of this file with named entries and
 * no `headers` key), `headers` (such a literal with a `headers` key), `challenge` (one naming WWW-Authenticate),
 * or `unknown`.
 */
function plainSpread(expression: ts.Expression): 'plain' | 'headers' | 'challenge' | 'unknown' {
  const literal = initObject(expression);
  if (!literal) return 'unknown';
  if (/www-authenticate/i.test(literal.getText())) return 'challenge';
  let result: 'plain' | 'headers' = 'plain';
  for (const property of literal.properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) return 'unknown';
    if (nameOf(property.name) === undefined) return 'unknown';
    if (nameOf(property.name) === 'headers') result = 'headers';
  }
  return result;
}

/**
 * What a named headers value is: `plain` (a const object literal of plain entries, a parameter typed as a record
 * `Record<string, string>` / `{ [k: string]: string }`, or in a `record` framework any name), `headers` (a
 * `new Headers(…)`), `challenge` (a literal naming WWW-Authenticate), or `unknown` (anything else in a `web`
 * framework: a `HeadersInit` parameter may be a Headers object or a list of pairs).
 */
function namedValue(name: ts.Identifier, kind: HeadersKind): 'plain' | 'headers' | 'challenge' | 'unknown' {
  const spread = plainSpread(name);
  if (spread === 'challenge') return 'challenge';
  if (spread === 'plain' || spread === 'headers') return 'plain';
  if (kind === 'record') return 'plain';
  const declaration = declarationOf(name);
  if (!declaration) return 'unknown';
  if (ts.isParameter(declaration))
    return declaration.type && isRecordType(declaration.type) ? 'plain' : 'unknown';
  const init = declaration.initializer && skipOuter(declaration.initializer);
  if (
    init &&
    ts.isNewExpression(init) &&
    ts.isIdentifier(init.expression) &&
    init.expression.text === 'Headers'
  )
    return 'headers';
  return declaration.type && isRecordType(declaration.type) && !declaration.initializer ? 'plain' : 'unknown';
}

/** `Record<string, string>`, `{ [key: string]: string }`, `{ a: string }`: an object type, never `Headers`. */
function isRecordType(type: ts.TypeNode): boolean {
  if (ts.isTypeLiteralNode(type)) return true;
  return ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Record';
}

/** The parameter or variable declaring `name` in the scopes around it (same file), or undefined. */
function declarationOf(name: ts.Identifier): ts.ParameterDeclaration | ts.VariableDeclaration | undefined {
  for (let scope: ts.Node | undefined = name.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope))
      for (const parameter of scope.parameters)
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name.text) return parameter;
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name.text) return declaration;
    }
  }
  return undefined;
}
