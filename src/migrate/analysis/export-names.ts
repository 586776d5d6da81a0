import ts from '../../typescript.cjs';
import { skipOuter } from './syntax.js';

/**
 * How a top-level local of a file is exported by statements apart from its declaration (call-sites.ts for a
 * helper's names, census-held-phrases.ts for a phrase's holder): one walk over the file's statements.
 */
export interface LocalExports {
  /**
   * Names importers use: `export { local as X }`, `module.exports = { local, X: local }`, `exports.X = local`,
   * `module.exports.X = local`.
   */
  names: string[];
  /** `export default local`. */
  defaultExport: boolean;
  /** The module is the local itself: `export = local`, `module.exports = local`. */
  exportEquals: boolean;
}

/** The exports of `local` (a top-level name of `sourceFile`) written apart from its declaration. */
export function exportsOfLocal(sourceFile: ts.SourceFile, local: string): LocalExports {
  const out: LocalExports = { names: [], defaultExport: false, exportEquals: false };
  const isLocal = (e: ts.Expression): boolean => {
    const value = skipOuter(e);
    return ts.isIdentifier(value) && value.text === local;
  };
  for (const statement of sourceFile.statements) {
    if (
      ts.isExportDeclaration(statement) &&
      !statement.moduleSpecifier &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements)
        if ((element.propertyName ?? element.name).text === local) out.names.push(element.name.text);
    } else if (ts.isExportAssignment(statement) && isLocal(statement.expression)) {
      if (statement.isExportEquals) out.exportEquals = true;
      else out.defaultExport = true;
    } else if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const { left, right } = statement.expression;
      // `module.exports = …` (a bare `exports = …` only rebinds the local name).
      if (isModuleExports(left)) {
        const value = skipOuter(right);
        if (isLocal(value)) out.exportEquals = true;
        else if (ts.isObjectLiteralExpression(value))
          for (const p of value.properties) {
            if (ts.isShorthandPropertyAssignment(p) && p.name.text === local) out.names.push(local);
            else if (
              ts.isPropertyAssignment(p) &&
              (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
              isLocal(p.initializer)
            )
              out.names.push(p.name.text);
          }
      } else if (ts.isPropertyAccessExpression(left) && isExportsObject(left.expression) && isLocal(right))
        out.names.push(left.name.text);
    }
  }
  return out;
}

/** True for CommonJS's exports object as written: `exports` or `module.exports`. */
export function isExportsObject(owner: ts.Expression): boolean {
  return (ts.isIdentifier(owner) && owner.text === 'exports') || isModuleExports(owner);
}

function isModuleExports(node: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'module' &&
    node.name.text === 'exports'
  );
}
