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
    const base = cls && baseName(cls);
    if (!cls || !base) return [];
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
