import ts from '../typescript.cjs';
import { shorten, type FileAnalysis } from './analysis.js';
import { isOuter, outerParent } from './analysis/syntax.js';
import { isFixedBinding } from './analysis/fixed-bindings.js';
import { manual, type ManualVerdict, type ReferenceVerdict } from './census-verdicts.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * The census's reading of a 403 text that names a member which is then called (session 37, breaker37 #08):
 * `Boom['forbidden']()`, `new createError['Forbidden']()`, `reply[`forbidden`]()`, and the key held in a name,
 * `const K = 'forbidden'; Boom[K]()`. The framework modules read the libraries they know in these spellings as
 * they read `Boom.forbidden()` (resolvesTo, methodCall); what is left here is a member no module placed, and a
 * called member is never "not an emit (string)": it is a manual site with its reason, or, for a held key whose
 * call a site covers, a reference to that site.
 */

/**
 * The call or `new` whose callee is the element access `node` is the key of (`Boom['forbidden']('no')` for
 * `'forbidden'`, through parentheses and casts), or undefined.
 */
export function calledWithKey(node: ts.Node): ts.CallExpression | ts.NewExpression | undefined {
  let key: ts.Node = node;
  while (isOuter(key.parent)) key = key.parent;
  const access = key.parent;
  if (!access || !ts.isElementAccessExpression(access) || access.argumentExpression !== key) return undefined;
  let callee: ts.Node = access;
  while (isOuter(callee.parent)) callee = callee.parent;
  const call = callee.parent;
  if (call && (ts.isCallExpression(call) || ts.isNewExpression(call)) && call.expression === callee)
    return call;
  return undefined;
}

/** Whether a string is the key of an element access (`X['ForbiddenException']`): a member's name, not an error code. */
export function isMemberKey(node: ts.Node): boolean {
  const access = outerParent(node);
  return ts.isElementAccessExpression(access) && access.argumentExpression.getStart() === node.getStart();
}

/**
 * The verdict for a 403 text that names a called member, or undefined when it names none: the key written in
 * place (`Boom['forbidden']()`) is manual at the call; a key held in a fixed name (`const K = 'forbidden'`, a
 * `let` never reassigned) and read as a called key (`Boom[K]()`) is a reference to the site that covers that
 * call, else manual, naming the read and its line.
 */
export function calledKeyVerdict(
  analysis: FileAnalysis,
  node: ts.Node,
): ManualVerdict | ReferenceVerdict | undefined {
  const raw = shorten(node.getText(analysis.sourceFile));
  const target = analysis.target;
  const call = calledWithKey(node);
  if (call) {
    const shown = shorten(call.getText(analysis.sourceFile));
    return manual(
      node,
      `${raw} names a member that is called (${shown}): a 403 factory, error class or response helper read by a string key, in a shape mtls-fix does not know. If it answers 403, change it to ${target} by hand; if not, mark it // mtls-fix-ignore: <why>.`,
      call,
    );
  }
  const held = heldKey(node);
  if (!held) return undefined;
  const read = calledRead(analysis.sourceFile, held.name);
  if (!read) return undefined;
  const line = lineAndCharacterAt(analysis.sourceFile, read.getStart(analysis.sourceFile)).line + 1;
  const shown = shorten(read.getText(analysis.sourceFile));
  const start = read.getStart(analysis.sourceFile);
  const covered = analysis.sites.some(
    (s) => s.file !== undefined && s.span.start <= start && read.getEnd() <= s.span.end,
  );
  if (covered) return { via: `${analysis.file}:${line} (${shown})` };
  return manual(
    node,
    `The text ${raw} (${held.name}) names the member called at line ${line} (${shown}): a 403 factory, error class or response helper read by a key, in a shape mtls-fix does not know. If it answers 403, change it to ${target} by hand; if not, mark it // mtls-fix-ignore: <why>.`,
  );
}

/** The fixed name a text initialises (`const K = 'forbidden'`), or undefined. */
function heldKey(node: ts.Node): { name: string } | undefined {
  let value: ts.Node = node;
  while (isOuter(value.parent)) value = value.parent;
  const declaration = value.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer !== value)
    return undefined;
  if (!ts.isIdentifier(declaration.name) || !isFixedBinding(declaration.parent, declaration.name.text))
    return undefined;
  return { name: declaration.name.text };
}

/** Per file: each name to the first call whose callee is `X[name]` (`Boom[K]('no')`), in the order of the text. */
const calledReads = new WeakMap<ts.SourceFile, Map<string, ts.CallExpression | ts.NewExpression>>();

/**
 * The first call whose callee is `X[name]` in the file (`Boom[K]('no')`), or undefined. The file is walked once
 * for every name: a walk per held text made a file of many `const message = 'Forbidden'` quadratic
 * (test/migrate/called-keys-cost.test.ts).
 */
function calledRead(
  sourceFile: ts.SourceFile,
  name: string,
): ts.CallExpression | ts.NewExpression | undefined {
  let index = calledReads.get(sourceFile);
  if (!index) {
    const built = new Map<string, ts.CallExpression | ts.NewExpression>();
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && !built.has(node.text)) {
        const call = calledWithKey(node);
        if (call) built.set(node.text, call);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    calledReads.set(sourceFile, (index = built));
  }
  return index.get(name);
}
