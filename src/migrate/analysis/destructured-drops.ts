import ts from '../../typescript.cjs';
import type { ImportNeed } from '../types.js';
import { isFixedBinding } from './fixed-bindings.js';
import { bindsName, skipOuter } from './syntax.js';

/**
 * The drop of a destructured status name once the rewrite no longer reads it: `F` of
 * `const { FORBIDDEN: F, NOT_FOUND } = StatusCodes` (or `const { HTTP_STATUS_FORBIDDEN } = http2.constants`), whose
 * read `res.status(F)` becomes `res.status(401)`. Without it the binding stays, unused (TS6133 under
 * noUnusedLocals). As an {@link ImportNeed} that is already `present` (import-edits.ts `planImportEdits` drops it
 * only when no other use of the name is left in the file): the element goes from its list, or the whole
 * statement when it is the only element of the only declaration. Undefined when `name` is no such binding, or the
 * pattern has a rest element (a name dropped would change what the rest holds).
 */
export function destructuredDrop(sourceFile: ts.SourceFile, name: ts.Identifier): ImportNeed | undefined {
  const found = bindingOf(name);
  if (!found) return undefined;
  const { element, pattern, statement } = found;
  const elements = pattern.elements;
  if (elements.some((e) => e.dotDotDotToken)) return undefined;
  const index = elements.indexOf(element);
  const span = {
    start: element.getStart(sourceFile),
    end: element.getEnd(),
    text: element.getText(sourceFile),
  };
  let remove: { start: number; end: number; text: string };
  const next = elements[index + 1];
  const previous = elements[index - 1];
  if (next) remove = { start: element.getStart(sourceFile), end: next.getStart(sourceFile), text: '' };
  else if (previous) remove = { start: previous.getEnd(), end: element.getEnd(), text: '' };
  else if (statement.declarationList.declarations.length === 1) {
    // The only name the statement binds: the statement goes, with its line when nothing else is on it.
    remove = statementRemoval(sourceFile, statement);
  } else return undefined;
  return {
    module: `\u0000destructured:${pattern.getStart(sourceFile)}`,
    from: name.text,
    to: name.text,
    present: true,
    rename: span,
    add: span,
    remove,
  };
}

/**
 * What `owner` of a destructuring stands for when it is a `const` alias of another table in the same file
 * (`const L = StatusCodes; const { FORBIDDEN: F } = L`): the aliased expression, followed a few times; else
 * `owner` itself.
 */
export function aliasedTable(
  owner: ts.Expression,
  declarationOf: (name: string, from: ts.Node) => ts.Node | undefined,
): ts.Expression {
  let current = skipOuter(owner);
  for (let hops = 0; hops < 4 && ts.isIdentifier(current); hops++) {
    const declaration = declarationOf(current.text, current);
    if (
      !declaration ||
      !ts.isVariableDeclaration(declaration) ||
      !ts.isIdentifier(declaration.name) ||
      !declaration.initializer ||
      !isFixedBinding(declaration.parent, declaration.name.text)
    )
      break;
    const next = skipOuter(declaration.initializer);
    if (!ts.isIdentifier(next) && !ts.isPropertyAccessExpression(next)) break;
    current = next;
  }
  return current;
}

interface Bound {
  element: ts.BindingElement;
  pattern: ts.ObjectBindingPattern;
  statement: ts.VariableStatement;
}

/** The `const { … }` (or never reassigned `let` / `var`) element that binds `name` where it is read (as constants.ts `destructured` finds it). */
function bindingOf(name: ts.Identifier): Bound | undefined {
  for (let scope: ts.Node | undefined = name.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name.text)))
      return undefined;
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isObjectBindingPattern(declaration.name)) continue;
        for (const element of declaration.name.elements)
          if (ts.isIdentifier(element.name) && element.name.text === name.text)
            return isFixedBinding(statement.declarationList, name.text)
              ? { element, pattern: declaration.name, statement }
              : undefined;
      }
    }
  }
  return undefined;
}

/**
 * The drops a removed read leaves behind, from `owner` (the table a dropped destructuring or a read rewritten as
 * the number read): a `const` alias of this file (`const L = StatusCodes`, not exported, alone in its statement)
 * whose only reads were removed, then what it aliased, in turn, up to the import (`import { StatusCodes } from
 * 'http-status-codes'`, through `importDrop`). Each is an {@link ImportNeed} already `present`, so
 * planImportEdits (import-edits.ts) drops it only when no use is left once the other drops are made (session 30:
 * `const L = StatusCodes` and its import stayed, unread, TS6133 under noUnusedLocals). Empty when `owner` is no
 * name.
 */
export function aliasChainDrops(
  sourceFile: ts.SourceFile,
  owner: ts.Expression,
  declarationOf: (name: string, from: ts.Node) => ts.Node | undefined,
  importDrop: (name: string) => ImportNeed | undefined,
): ImportNeed[] {
  const drops: ImportNeed[] = [];
  let current = rootName(owner);
  for (let hops = 0; current && hops < 4; hops++) {
    const declaration = declarationOf(current.text, current);
    if (!declaration) {
      const drop = importDrop(current.text);
      if (drop) drops.push(drop);
      break;
    }
    const statement = declaration.parent?.parent;
    if (
      !ts.isVariableDeclaration(declaration) ||
      !ts.isIdentifier(declaration.name) ||
      !declaration.initializer ||
      !isAlias(declaration.initializer) ||
      !statement ||
      !ts.isVariableStatement(statement) ||
      !isFixedBinding(statement.declarationList, declaration.name.text) ||
      statement.declarationList.declarations.length !== 1 ||
      statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ||
      !ts.isSourceFile(statement.parent)
    )
      break;
    const span = {
      start: declaration.name.getStart(sourceFile),
      end: declaration.name.getEnd(),
      text: declaration.name.text,
    };
    drops.push({
      module: `\u0000alias:${span.start}`,
      from: declaration.name.text,
      to: declaration.name.text,
      present: true,
      rename: span,
      add: span,
      remove: statementRemoval(sourceFile, statement),
    });
    current = rootName(declaration.initializer);
  }
  return drops;
}

/** An alias: a name or a member of one (`StatusCodes`, `http2.constants`), never a table written in place. */
function isAlias(initializer: ts.Expression): boolean {
  const value = skipOuter(initializer);
  return ts.isIdentifier(value) || ts.isPropertyAccessExpression(value);
}

/** The name an expression starts from (`StatusCodes` of `StatusCodes`, `http.constants`), if any. */
function rootName(expression: ts.Expression): ts.Identifier | undefined {
  let current = skipOuter(expression);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current))
    current = skipOuter(current.expression);
  return ts.isIdentifier(current) ? current : undefined;
}

/**
 * The removal of a whole statement: with the line break after it, and its indentation when nothing precedes it
 * on its line (an indented `const { FORBIDDEN } = require('m').StatusCodes;` left its indentation joined to the
 * next line's, breakfix33d).
 */
function statementRemoval(
  sourceFile: ts.SourceFile,
  statement: ts.Statement,
): { start: number; end: number; text: string } {
  const text = sourceFile.text;
  const start = statement.getStart(sourceFile);
  const after = /^[ \t]*\r?\n/.exec(text.slice(statement.getEnd()));
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const alone = after !== null && /^[ \t]*$/.test(text.slice(lineStart, start));
  return { start: alone ? lineStart : start, end: statement.getEnd() + (after?.[0].length ?? 0), text: '' };
}
