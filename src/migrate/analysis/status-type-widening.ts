import ts from '../../typescript.cjs';
import type { FunctionLike } from '../scope.js';
import type { Edit } from '../types.js';
import type { DeclarationSite } from './types.js';

/**
 * Where an imported name is declared: its file (relative to the working folder when the run knows it) and its name
 * there (the run's cross-file link); none outside it.
 */
export type ImportedDeclaration = (
  name: string,
) => Pick<DeclarationSite, 'file' | 'name' | 'sourceFile'> | undefined;

/**
 * What a status parameter's declared literal type needs when its callers' 403s become the agreed status: `edits`
 * that add the status to it (`status: 400 | 403` -> `400 | 403 | 401`, 403 kept for any caller that still passes
 * it), at `node` (the 403 of the type); or `reason` when the type is declared where this file cannot edit it (an
 * imported alias). Undefined when the type holds no literal 403, already holds the status, or is no literal type
 * (`number`, an enum). Session 39 (breaker39 06: ddd-forum's `endRequest(status: 400 | 401 | 403, …)`, whose
 * callers were rewritten to 404 and the project no longer compiled, TS2345).
 */
export type Widening = { node: ts.Node; edits: Edit[] } | { node: ts.Node; reason: string };

/** How many type aliases are followed from the parameter's type. */
const MAX_ALIASES = 4;

/**
 * The widening parameter `index` of `fn` (its key `property` when an options object) needs for `target`: read
 * from its type annotation, through type aliases declared in the same file (`type DeniedStatus = 400 | 403`). An
 * untyped parameter of a function installed on a framework object under a name (`installedName`) takes its type
 * from that name's signature when this file declares one (Hono's `new Hono<{ Variables: { deny: (code: 403 | 404)
 * => Response } }>()` for `c.set('deny', (code) => …)`, a `declare module` interface's method).
 */
export function statusTypeWidening(
  fn: FunctionLike,
  index: number,
  property: string | undefined,
  sourceFile: ts.SourceFile,
  target: number,
  declarationOf?: ImportedDeclaration,
  installedName?: (fn: FunctionLike) => string | undefined,
): Widening | undefined {
  const parameter = fn.parameters[index];
  let type = parameter?.type;
  if (parameter && !type) {
    const name = installedName?.(fn);
    if (name === undefined) return undefined;
    const signature = signaturesOf(sourceFile).get(name);
    // TypeScript types an untyped parameter of an installed function from a declaration of its name: in another
    // file (`declare module 'hono'`, an Express augmentation, an imported Env), this run cannot read or edit it.
    if (!signature)
      return TYPESCRIPT.test(sourceFile.fileName) ? typedElsewhere(parameter, name, target) : undefined;
    type = signature.parameters[index]?.type;
  }
  if (type && property !== undefined) {
    const literal = skipParens(type);
    if (!ts.isTypeLiteralNode(literal)) return undefined;
    const member = literal.members.find(
      (m): m is ts.PropertySignature =>
        ts.isPropertySignature(m) &&
        (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) &&
        m.name.text === property,
    );
    type = member?.type;
  }
  for (let depth = 0; type && depth <= MAX_ALIASES; depth++) {
    const inner = skipParens(type);
    if (ts.isTypeReferenceNode(inner) && ts.isIdentifier(inner.typeName) && !inner.typeArguments) {
      const alias = localAlias(sourceFile, inner.typeName.text);
      if (alias) {
        type = alias.type;
        continue;
      }
      const site = declarationOf?.(inner.typeName.text);
      const declared = site && localAlias(site.sourceFile, site.name);
      // An alias of another file is named, not edited there: that file may be shared or outside the run.
      if (declared && literalWidening(skipParens(declared.type), site.sourceFile, target))
        return importedAlias(inner, inner.typeName.text, site.file, target);
      return undefined;
    }
    return literalWidening(inner, sourceFile, target);
  }
  return undefined;
}

/** `403` alone or in a union of literals: the status added after it, unless the union already holds it. */
function literalWidening(type: ts.TypeNode, sourceFile: ts.SourceFile, target: number): Widening | undefined {
  const members = ts.isUnionTypeNode(type) ? type.types.map(skipParens) : [type];
  const values = members.map(numericLiteral);
  const forbidden = members.find((_, i) => values[i] === 403);
  if (!forbidden || values.includes(target)) return undefined;
  const inUnion = ts.isUnionTypeNode(type);
  // `403[]`, `keyof 403`: a lone literal under another type operator needs parentheses to take a union.
  const bare = !inUnion && !ts.isTypeReferenceNode(type.parent) && !isAnnotation(type);
  const start = forbidden.getStart(sourceFile);
  const end = forbidden.getEnd();
  const edits: Edit[] = bare
    ? [{ start, end, text: `(403 | ${target})` }]
    : [{ start: end, end, text: ` | ${target}` }];
  return { node: forbidden, edits };
}

/** An imported alias holding 403 and not the status: named, with what to add there. */
function importedAlias(node: ts.TypeReferenceNode, name: string, file: string, target: number): Widening {
  return {
    node,
    reason: `This status parameter is typed ${name} (${file}), a literal type holding 403 and not ${target}: callers rewritten to ${target} no longer compile (TS2345). Add ${target} to ${name} where it is declared (keep 403 while a caller passes it).`,
  };
}

/** A file TypeScript type-checks (a `.js` file's untyped parameter is `any`). */
const TYPESCRIPT = /\.[cm]?tsx?$/i;

/** An untyped parameter of a helper installed as `name` whose signature this file does not declare: named. */
function typedElsewhere(parameter: ts.ParameterDeclaration, name: string, target: number): Widening {
  return {
    node: parameter,
    reason: `This status parameter has no type of its own: TypeScript takes it from the declaration of '${name}' the helper is installed as, which this file does not hold (an augmentation, a \`declare module\`, an imported type). If that type is a literal union holding 403 and not ${target}, callers rewritten to ${target} no longer compile (TS2345): add ${target} to it there (keep 403 while a caller passes it).`,
  };
}

/**
 * A file's named function signatures, read once per file (a file may install many helpers): the first property
 * typed as a function (`deny: (code: 403 | 404) => Response`) or method signature (`deny(code: 403): void`) under
 * each name, anywhere in the file (a generic argument, an interface, a `declare module`).
 */
const SIGNATURES = new WeakMap<ts.SourceFile, Map<string, ts.SignatureDeclarationBase>>();

function signaturesOf(sourceFile: ts.SourceFile): Map<string, ts.SignatureDeclarationBase> {
  const cached = SIGNATURES.get(sourceFile);
  if (cached) return cached;
  const out = new Map<string, ts.SignatureDeclarationBase>();
  const visit = (node: ts.Node): void => {
    if (
      (ts.isPropertySignature(node) || ts.isMethodSignature(node)) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      !out.has(node.name.text)
    ) {
      const signature = ts.isPropertySignature(node) && node.type ? skipParens(node.type) : node;
      if (ts.isMethodSignature(signature) || ts.isFunctionTypeNode(signature))
        out.set(node.name.text, signature);
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  SIGNATURES.set(sourceFile, out);
  return out;
}

/** The type of a top-level `type name = …` of this file, if any. */
function localAlias(sourceFile: ts.SourceFile, name: string): ts.TypeAliasDeclaration | undefined {
  return sourceFile.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name,
  );
}

/** The number of a numeric literal type (`403`), else undefined. */
function numericLiteral(type: ts.TypeNode): number | undefined {
  return ts.isLiteralTypeNode(type) && ts.isNumericLiteral(type.literal)
    ? Number(type.literal.text)
    : undefined;
}

/** Whether a type is the whole annotation of a parameter, property or alias (it takes a union as it is). */
function isAnnotation(type: ts.TypeNode): boolean {
  const parent = type.parent;
  return (
    (ts.isParameter(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isTypeAliasDeclaration(parent) ||
      ts.isParenthesizedTypeNode(parent)) &&
    parent.type === type
  );
}

function skipParens(type: ts.TypeNode): ts.TypeNode {
  let inner = type;
  while (ts.isParenthesizedTypeNode(inner)) inner = inner.type;
  return inner;
}
