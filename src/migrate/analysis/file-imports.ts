import ts from '../../typescript.cjs';
import { staticMember } from './syntax.js';
import { collectImports, normalizeModule, type ImportBinding, type ImportMap } from '../imports.js';

/** One file's imports, and the questions framework modules ask of them (which module a name comes from). */
export class FileImports {
  /** Local name -> its import, as written (`node:` prefixes kept). */
  readonly map: ImportMap;
  private readonly moduleChecks = new Map<string, boolean>();

  /**
   * `alias`: the module an aliased specifier names (Deno's import map, AnalysisOptions `moduleAlias`). `origin`:
   * the package a name imported from a project module comes from when that module only re-exports it
   * (ImportLink `origin`); `resolvesTo` asks it for such imports.
   */
  constructor(
    sourceFile: ts.SourceFile,
    alias: (specifier: string) => string = (specifier) => specifier,
    private readonly origin?: (
      binding: Pick<ImportBinding, 'module' | 'name'>,
    ) => { module: string; name: string } | undefined,
  ) {
    const map = new Map(collectImports(sourceFile));
    // Every reader of the imports (modules test `analysis.imports` too) sees the aliased module.
    for (const [local, binding] of map) {
      const module = alias(binding.module);
      if (module !== binding.module) map.set(local, { ...binding, module });
    }
    this.map = map;
  }

  /** The same imports with `node:` prefixes dropped, made on first use (asked for on almost every call). */
  private normalized: Map<string, ImportBinding> | undefined;

  /**
   * The import a local name comes from (`node:` prefixes dropped, an import-map alias resolved). The same object
   * for the same name: read only.
   */
  importOf(name: string): ImportBinding | undefined {
    if (!this.normalized) {
      this.normalized = new Map();
      for (const [local, binding] of this.map)
        this.normalized.set(local, { ...binding, module: normalizeModule(binding.module) });
    }
    return this.normalized.get(name);
  }

  /** Whether the file imports any of these modules (or a subpath of them); answered once per module list. */
  importsModule(...modules: string[]): boolean {
    const key = modules.join('\0');
    let result = this.moduleChecks.get(key);
    if (result === undefined) {
      result = [...this.map.values()].some((binding) => {
        const module = normalizeModule(binding.module);
        return modules.some((m) => module === m || module.startsWith(`${m}/`));
      });
      this.moduleChecks.set(key, result);
    }
    return result;
  }

  /**
   * Whether `expression` is `Name` or `ns.Name` where Name comes from `module` (`ForbiddenException` from Nest).
   * The member may be named by a string element access (`Boom['forbidden']`, `` common[`ForbiddenException`] ``)
   * or, with `keyOf`, by a key the file fixes (`Boom[K]` with `const K = 'forbidden'`; analysis/constant-keys.ts):
   * the same member, read the same way (session 37: these were "not an emit (string)", silent).
   */
  resolvesTo(
    expression: ts.Expression,
    modules: readonly string[],
    name: string,
    keyOf?: (access: ts.ElementAccessExpression) => string | undefined,
  ): boolean {
    if (ts.isIdentifier(expression)) {
      const binding = this.packageOf(expression.text);
      return Boolean(binding && modules.includes(binding.module) && binding.name === name);
    }
    const member = staticMember(expression);
    const read =
      member?.name ?? (keyOf && ts.isElementAccessExpression(expression) ? keyOf(expression) : undefined);
    if (
      read === name &&
      (ts.isPropertyAccessExpression(expression) || ts.isElementAccessExpression(expression))
    ) {
      const root = expression.expression;
      if (!ts.isIdentifier(root)) return false;
      const binding = this.importOf(root.text);
      return Boolean(
        binding && modules.includes(binding.module) && (binding.name === '*' || binding.name === 'default'),
      );
    }
    return false;
  }

  private readonly origins = new Map<string, { module: string; name: string } | undefined>();

  /**
   * The import of a local name as its package exports it: the import itself, or, for a name a project module
   * only re-exports (`import { TRPCError } from './trpc'`), the package and name it comes from. Asked once
   * per name.
   */
  packageOf(local: string): { module: string; name: string } | undefined {
    const binding = this.importOf(local);
    if (!binding || !this.origin) return binding;
    if (!this.origins.has(local)) {
      const found = this.origin(binding);
      this.origins.set(local, found && { module: normalizeModule(found.module), name: found.name });
    }
    return this.origins.get(local) ?? binding;
  }
}
