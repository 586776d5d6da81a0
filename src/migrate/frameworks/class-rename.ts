import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { importedRename } from '../import-edits.js';
import { reasonPhrase } from '../status-names.js';
import type { Edit, ImportNeed } from '../types.js';
import { propertyOf } from './shared.js';

/**
 * Renames the class or member a form names (`new Forbidden(m)` -> `new NotAuthenticated(m)`,
 * `errors.Forbidden` -> `errors.NotAuthenticated`, `APIError.permissionDenied` -> `APIError.unauthenticated`)
 * and records the site. A named import follows (`importNeed`); when the new name is already bound from the
 * same module (`const { Forbidden, NotAuthenticated } = require(…)`) only the use changes; an aliased import
 * (`Forbidden as F`) or a require() without the new name is manual. `to` undefined: the library has no name for the target (manual, `missing`).
 */
export function renameSite(
  analysis: FileAnalysis,
  input: {
    form: ts.Node;
    /** The identifier or `ns.Name` access whose name changes. */
    callee: ts.Expression;
    to: string | undefined;
    framework: string;
    missing: string;
    edits?: Edit[];
    reason?: string | null;
  },
): void {
  const { form, callee, to, framework } = input;
  if (!to) {
    analysis.addSite({ node: form, framework, manual: true, reason: input.missing });
    return;
  }
  const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  if (!ts.isIdentifier(nameNode)) return;
  let imports: ImportNeed[] = [];
  let name = to;
  if (ts.isIdentifier(callee)) {
    const binding = analysis.importOf(callee.text);
    // One local name per file for `to`: an existing import reused, a taken name aliased (import-edits.ts).
    const imported = importedRename(analysis, callee.text, to);
    const bound = analysis.importOf(to);
    if (imported && !('manual' in imported)) {
      imports = imported.imports;
      name = imported.local;
    } else if (!(binding && bound?.module === binding.module && bound.name === to)) {
      // An aliased import (`Forbidden as F`) or a require() that does not bind the new name yet.
      analysis.addSite({
        node: form,
        framework,
        manual: true,
        reason:
          imported && 'manual' in imported
            ? imported.manual
            : `Bind ${to} from '${binding?.module ?? 'the same module'}' next to '${callee.text}' (an aliased import or a require() is not edited) and use it here.`,
      });
      return;
    }
  }
  analysis.addSite({
    node: form,
    framework,
    edits: [analysis.replace(nameNode, name), ...(input.edits ?? []), ...analysis.companionEdits(form)],
    imports,
    reason: input.reason ?? null,
  });
}

/**
 * A message that is the reason phrase follows the status: `'Forbidden'` as the argument, or as the `message` /
 * `statusMessage` / `statusText` of an options object, becomes the target's phrase (`'Unauthorized'`).
 */
export function messageEdits(analysis: FileAnalysis, argument: ts.Expression | undefined): Edit[] {
  if (!argument) return [];
  if (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) {
    return argument.text === 'Forbidden'
      ? [analysis.phraseEdit(argument, reasonPhrase(analysis.target))]
      : [];
  }
  if (!ts.isObjectLiteralExpression(argument)) return [];
  return ['message', 'statusMessage', 'statusText'].flatMap((key) => {
    const value = propertyOf(argument, key)?.initializer;
    return value ? messageEdits(analysis, value) : [];
  });
}
