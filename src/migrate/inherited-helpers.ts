import ts from '../typescript.cjs';
import type { FileAnalysis, HelperParam } from './analysis.js';

/** Where an imported class is declared: the file (absolute) and the name it is exported under there. */
export type ClassDefinition = (
  from: string,
  module: string,
  name: string,
) => { file: string; name: string } | undefined;

/** How many classes up a chain are followed (a cycle ends it sooner). */
const MAX_BASES = 5;

/**
 * Helpers a subclass reaches through `this.m(…)` from a base class declared in another file: `class AdminGuard
 * extends BaseGuard` with `import { BaseGuard } from './base-guard'`, and `BaseGuard`'s `deny(res, status)` sets
 * the status. `callee` is the call's name (`AdminGuard.prototype.deny`, analysis/call-sites.ts `calleeName`);
 * the classes `extends` names are followed through imports (re-exports, barrels, default exports: `definition`,
 * the link's) and, in each declaring file, through that file's own base classes, nearest first, until one whose
 * analysis (`analysisOf`, parsed on demand) holds the helper. Returns [] when the callee is not a method call, or
 * no base class of the project declares it (a library base class, a mixin call `extends Deny(Base)`).
 */
export function inheritedHelpers(
  absolute: string,
  analysis: FileAnalysis,
  callee: string,
  definition: ClassDefinition,
  analysisOf: (absolute: string) => FileAnalysis | undefined,
  lookup: (analysis: FileAnalysis, callee: string) => HelperParam[],
): HelperParam[] {
  const method = /^([\w$]+)\.prototype\.([\w$]+)$/.exec(callee);
  if (!method) return [];
  let file = absolute;
  let here: FileAnalysis | undefined = analysis;
  let name = method[1] ?? '';
  const seen = new Set<string>();
  for (let depth = 0; here && depth < MAX_BASES; depth++) {
    const cls = classNamed(here.sourceFile, name);
    if (!cls) return [];
    // `class Admin extends Deny(Base)`: the class the mixin returns comes first, then the mixin's argument.
    const mixin = mixinCall(cls);
    if (mixin) {
      const found = mixinHelpers(here, file, mixin.name, method[2] ?? '', definition, analysisOf);
      if (found.length) return found;
    }
    const base = mixin ? mixin.base : baseName(cls);
    if (!base) return [];
    const binding = here.imports.get(base);
    if (!binding) {
      // A base class of the same file: its own helpers were looked up by the caller; go on up its chain.
      name = base;
      if (seen.has(`${file}#${name}`)) return [];
      seen.add(`${file}#${name}`);
      continue;
    }
    const defined = definition(file, binding.module, binding.name);
    if (!defined || seen.has(`${defined.file}#${defined.name}`)) return [];
    seen.add(`${defined.file}#${defined.name}`);
    const there = analysisOf(defined.file);
    const declared = there && classNamed(there.sourceFile, defined.name);
    const local = declared?.name?.text;
    if (!there || !local) return [];
    const found = lookup(there, `${local}.prototype.${method[2] ?? ''}`);
    if (found.length) return found;
    file = defined.file;
    here = there;
    name = local;
  }
  return [];
}

/** `extends Deny(Base)`: the mixin's name and the class it is given (when that is a name). */
function mixinCall(cls: ts.ClassDeclaration): { name: string; base?: string } | undefined {
  const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
    ?.expression;
  if (!base || !ts.isCallExpression(base) || !ts.isIdentifier(base.expression)) return undefined;
  const argument = base.arguments[0];
  return {
    name: base.expression.text,
    base: argument && ts.isIdentifier(argument) ? argument.text : undefined,
  };
}

/**
 * The helper `method` of the class a mixin returns (`const Deny = (B) => class extends B { deny(res, status) {…} }`,
 * `function Deny(B) { return class extends B {…} }`), the mixin declared in the file or imported.
 */
function mixinHelpers(
  here: FileAnalysis,
  file: string,
  name: string,
  method: string,
  definition: ClassDefinition,
  analysisOf: (absolute: string) => FileAnalysis | undefined,
): HelperParam[] {
  let there: FileAnalysis | undefined = here;
  let local = name;
  const binding = here.imports.get(name);
  if (binding) {
    const defined = definition(file, binding.module, binding.name);
    there = defined && analysisOf(defined.file);
    local = defined?.name ?? name;
  }
  if (!there) return [];
  const classes = returnedClasses(there.sourceFile, local);
  return there.helpers.filter(
    (h) =>
      ts.isMethodDeclaration(h.fn) &&
      ts.isIdentifier(h.fn.name) &&
      h.fn.name.text === method &&
      classes.includes(h.fn.parent),
  );
}

/** The class expressions a top-level mixin function of the file returns (its arrow body or its `return`s). */
function returnedClasses(sourceFile: ts.SourceFile, name: string): ts.Node[] {
  let fn: ts.Node | undefined;
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) fn = statement;
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) fn = d.initializer;
  }
  const classes: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassExpression(node)) {
      classes.push(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  if (fn) visit(fn);
  return classes;
}

/** A class of the file by its name; `default`: the default-exported class (`export default class X`). */
function classNamed(sourceFile: ts.SourceFile, name: string): ts.ClassDeclaration | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    if (statement.name?.text === name) return statement;
    const modifiers = ts.getModifiers(statement) ?? [];
    if (name === 'default' && modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword))
      return statement;
  }
  if (name === 'default')
    for (const statement of sourceFile.statements)
      if (ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression))
        return classNamed(sourceFile, statement.expression.text);
  return undefined;
}

/** The identifier a class extends (`extends BaseGuard`), undefined for anything else. */
function baseName(cls: ts.ClassDeclaration): string | undefined {
  const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
    ?.expression;
  return base && ts.isIdentifier(base) ? base.text : undefined;
}
