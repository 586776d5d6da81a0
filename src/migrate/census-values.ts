import ts from '../typescript.cjs';
import { forwardedReason } from './census-forwarded.js';
import { heldResponseReason } from './census-held-responses.js';
import { documentedExampleReason } from './census-doc-examples.js';
import { commonJsEntry, EXPORTS_TABLE, isExportedTableValue, isExportsLiteral } from './census-exports.js';
import { resultWrapperOf } from './census-result-wrappers.js';
import { nestedTableOf } from './census-nested-tables.js';
import { keepDeclaredNames } from './analysis/kept-names.js';
import { nonHttpManual } from './analysis/non-http.js';
import type { ClassifyContext } from './census-verdicts.js';
import { defaultExportKey } from './census-site-names.js';
import { shorten, type FileAnalysis } from './analysis.js';
import { isObjectFreeze, outerParent, skipOuter } from './analysis/syntax.js';
import { keyHelperOf, type KeyHelper } from './key-helpers.js';
import type { ImportedDeclarations } from './references.js';
import { REASON_PHRASES, statusOfName } from './status-names.js';
import {
  calleeName,
  tableOf,
  inComparison,
  inLogCall,
  isInType,
  isPropertyName,
  nearestShape,
} from './census-syntax.js';
import { manual, PHRASE, type ManualVerdict } from './census-verdicts.js';
import type { NotAnEmitKind } from './types.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * 403 values no module claimed (census.ts): a number or `'403'` in a type, a comparison, a log call, a table of
 * reason phrases, a duration or size, a local data call is not an emit; a constant a site uses is a
 * declaration; an entry keyed 403, a key helper's argument, a status parameter's default, a constant no site
 * uses and any other shape become manual sites.
 */

/** Callees whose numeric arguments are durations or sizes, not statuses. */
const NON_STATUS_CALLS = new Set([
  'setTimeout',
  'setInterval',
  'setImmediate',
  'sleep',
  'delay',
  'wait',
  'timeout',
  'slice',
  'substring',
  'substr',
  'padStart',
  'padEnd',
  'repeat',
  'toFixed',
  'Array',
  'Buffer',
  'alloc',
  'allocUnsafe',
]);

/** Words that end a property or variable name holding a number that is not a status (`retryAfterMs`). */
const NON_STATUS_WORDS =
  /^(?:width|height|top|left|right|bottom|x|y|z|size|length|len|timeout|delay|ttl|port|count|limit|offset|page|pageSize|max|min|margin|padding|fontSize|zIndex|line|column|col|row|index|idx|version|weight|duration|retries|interval|radius|opacity|year|month|day|hours?|minutes?|seconds?|ms|bytes|amount|price|quantity|qty|retries|attempts|capacity|depth|level|score|total)$/i;

/** Whether a name's last word (camelCase, snake_case) says it is not a status: `retryAfterMs`, `max_width`. */
function isNonStatusName(name: string): boolean {
  const words = name.split(/(?<=[a-z0-9])(?=[A-Z])|[-_$]+/).filter(Boolean);
  return NON_STATUS_WORDS.test(words[words.length - 1] ?? '');
}

/**
 * A `'403'` among names: an array of string literals where most are words, not numbers or phrases (a list of
 * reserved URL slugs, `['403', '404', '500', 'about', 'account', 'admin', …]`, as Documenso keeps for team and
 * organisation URLs): a path segment no one may take, not a status.
 */
export function isNameList(node: ts.Node): boolean {
  const list = node.parent;
  if (!ts.isArrayLiteralExpression(list)) return false;
  const strings = list.elements.filter(ts.isStringLiteralLike).map((e) => e.text);
  if (strings.length !== list.elements.length) return false;
  const words = strings.filter((t) => /^[a-z][\w-]*$/i.test(t) && !PHRASE.test(t) && !/^[A-Z_]+$/.test(t));
  return words.length >= 3 && words.length * 2 > strings.length;
}

/**
 * A key of a table of reason phrases: every entry a status number with its RFC 9110 phrase as a string, 403
 * with `'Forbidden'` (`{ 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }`, as an uptime monitor
 * describes the statuses it observes). The table names each status and sends none; the 401 entry is there.
 */
function isPhraseTable(key: ts.Node): boolean {
  const entry = key.parent;
  if (!ts.isPropertyAssignment(entry) || !ts.isObjectLiteralExpression(entry.parent)) return false;
  let matched = 0;
  for (const property of entry.parent.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isNumericLiteral(property.name)) return false;
    if (!ts.isStringLiteralLike(property.initializer)) return false;
    const phrase = REASON_PHRASES[Number(property.name.text)];
    if (phrase === undefined) continue;
    if (phrase.toLowerCase() !== property.initializer.text.toLowerCase()) return false;
    matched++;
  }
  return matched >= 3;
}

/** A 403 value (number or `'403'`) that no module claimed. */
export function classifyValue(
  analysis: FileAnalysis,
  node: ts.Node,
  usedBySite: (name: string) => boolean,
  imported?: ImportedDeclarations,
  names: Pick<
    ClassifyContext,
    'replacedAt' | 'memberGoneAt' | 'fieldGoneAt' | 'fieldReadInRun' | 'readInRun' | 'keyedReadAt'
  > = {},
): NotAnEmitKind | ManualVerdict {
  if (isInType(node)) return 'type';
  if (inComparison(node)) return 'comparison';
  if (inLogCall(node)) return 'log';
  if (isPropertyName(node) && isPhraseTable(node)) return 'string';
  // `const REMAP = { 403: 401 }`: an entry mapping 403 to the agreed status is a remap, nothing to move
  // (session 48: a Lambda wrapper's table was "an entry keyed 403 ... Review it").
  if (isPropertyName(node) && mapsToTarget(node, analysis.target)) return 'remap';
  if (isPropertyName(node))
    return manual(
      node,
      `An entry keyed 403: a status map or a response declaration for 403. Review it: what is sent for 403 should move to ${analysis.target}.`,
    );
  const parent = outerParent(node, true);
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    const callee = calleeName(parent.expression);
    if (callee && NON_STATUS_CALLS.has(callee)) return 'unrelated-number';
  }
  const keyHelper = ts.isCallExpression(node.parent)
    ? keyHelperOf(analysis, node.parent, node, imported)
    : undefined;
  if (keyHelper)
    return {
      ...manual(node, keyHelperReason(keyHelper, analysis.target), parent),
      framework: keyHelper.responses ? 'openapi' : 'key-helper',
    };
  const holder = holderName(node);
  if (holder && isNonStatusName(holder)) return 'unrelated-number';
  const local = localCall(analysis, parent, node);
  if (local === 'data') return 'unrelated-number';
  if (local)
    return manual(
      node,
      local.handed
        ? `Passed to ${local.callee} as '${local.param}', which it hands on as a status (line ${local.line}: ${shorten(local.choice)}) in a shape mtls-fix does not know: this call may answer 403 there. If it is a response status, pass ${analysis.target} on mTLS routes; if not, mark it // mtls-fix-ignore: <why>.`
        : `Passed to ${local.callee} as '${local.param}', which it sends beside a 403 (line ${local.line}: ${shorten(local.choice)}) in a shape mtls-fix does not know: this call answers 403 there. If it is a response status, pass ${analysis.target} on mTLS routes; if not, mark it // mtls-fix-ignore: <why>.`,
    );
  const asserted = assertedName(node);
  if (asserted && isNonStatusName(asserted)) return 'unrelated-number';
  // `export default 403` whose every importer's read this run writes as the status itself.
  if (ts.isExportAssignment(parent) && !parent.isExportEquals && names.replacedAt) {
    const replaced = names.replacedAt(defaultExportKey(analysis.sourceFile.fileName));
    if (replaced && !editedByRewrite(analysis, node))
      return {
        ...manual(node, replacedReason('export default', replaced.uses, analysis.target)),
        replacedUses: replaced.uses,
      };
  }
  // `exports.DENIED = 403`, `module.exports = { DENIED: 403 }`, `Object.assign(module.exports, { DENIED: 403 })`:
  // an entry of the module's exports, read by importers as a table's entry is (census-exports.ts).
  const entry = commonJsEntry(node, analysis.target);
  const declared =
    ts.isVariableDeclaration(parent) || ts.isEnumMember(parent) || ts.isPropertyDeclaration(parent)
      ? parent
      : ts.isPropertyAssignment(parent) && isConstantTable(parent.parent)
        ? parent
        : entry?.declared;
  const defaulted =
    defaultOfStatusParameter(analysis, parent, node) ?? assignedStatusParameter(analysis, parent, node);
  if (defaulted) return defaulted;
  if (declared) {
    const own = ts.isBinaryExpression(declared) ? undefined : declared;
    const name = entry?.name ?? own?.name.getText(analysis.sourceFile).replace(/^['"]|['"]$/g, '') ?? '';
    // `codes.STATUS.FORBIDDEN` of `const codes = { STATUS: { FORBIDDEN: 403 } }`: reads name the outer table.
    const nested =
      !entry && ts.isPropertyAssignment(declared) && ts.isObjectLiteralExpression(declared.parent)
        ? nestedTableOf(declared.parent)
        : undefined;
    const table = entry
      ? EXPORTS_TABLE
      : ts.isPropertyAssignment(declared)
        ? (tableOf(declared.parent) ?? classFieldTable(declared.parent) ?? nested?.root)
        : undefined;
    // `export const DENIED = 403` whose every site read this run writes as the status itself
    // (`res.status(DENIED)` -> `res.status(401)`): the definition keeps 403 and no site reads it any more.
    // A table's entry or an enum member stays a true name of 403 (`Codes.FORBIDDEN`), read or not (kept-names.ts);
    // an exported constant no file of the run imports may be read outside it.
    const variable = ts.isVariableDeclaration(declared) ? declared : undefined;
    const replaced = variable && names.replacedAt?.(name);
    if (
      variable &&
      replaced &&
      (replaced.imported || !isExported(variable)) &&
      !editedByRewrite(analysis, node)
    )
      return {
        ...manual(node, replacedReason(name, replaced.uses, analysis.target)),
        replacedUses: replaced.uses,
      };
    // `enum Http { Forbidden = 403 }`, `const Codes = { FORBIDDEN: 403 }`, `static FORBIDDEN = 403` whose every
    // read this run rewrites (to the number, or to a sibling `Http.Unauthorized`): the entry stays a name of 403
    // that nothing of the run reads after it. Reported on this run as on the next, with the same words.
    // Where the container holds the agreed status too (`Http.Unauthorized`), the reads were renamed to it and the
    // entry stays one name of a table of statuses: a declaration, on this run and the next.
    const member = entry
      ? { container: EXPORTS_TABLE, exported: false, hasTarget: entry.hasTarget }
      : own && memberOf(own, table, analysis.target);
    // The entry as the file spells it (`exports.DENIED`, not `module.exports.DENIED`), for the reasons.
    const shown = entry
      ? entry.written
      : nested
        ? `${nested.shown}.${name}`
        : member
          ? `${member.container}.${name}`
          : name;
    const shownTable = entry
      ? entry.written.replace(/(?:\.[\w$]+|\[[^\]]*\])$/, '')
      : (nested?.shown ?? table);
    const memberGone = member && names.memberGoneAt?.(name, member.container);
    // `const status = STATUS_BY_KIND[err.kind] ?? 500; res.status(status)`: the entry is not read by its name (or
    // no more after this run), but a file of the run reads its table by a run-time key (into a local, a
    // helper): the entry may still be sent, and "no file of this run reads it" would be false.
    const tableRead = (): string | undefined => member && names.keyedReadAt?.(member.container);
    if (
      member &&
      memberGone &&
      (memberGone.imported || !member.exported) &&
      !editedByRewrite(analysis, node)
    ) {
      const read = tableRead();
      if (read)
        return manual(node, tableReadReason(name, shownTable ?? member.container, read, analysis.target));
      return member.hasTarget
        ? 'declaration'
        : {
            ...manual(node, memberGoneReason(shown, memberGone.uses, analysis.target)),
            replacedUses: memberGone.uses,
          };
    }
    // A constant a rewritten or reported site uses: that use is counted there; the definition stays. A table's
    // key is used only where a site reads it (`Codes.FORBIDDEN`, a destructured `FORBIDDEN`): another object's
    // `status: 403` in the file is no use of `const http = { status: 403 }`.
    if (usedBySite(name) && !(table && keyOnlyInSites(analysis, name))) return 'declaration';
    // `export const scriptFailureStatusCodes = { denied: 403 }` read as `codes[kind]` in a status slot: the entry
    // is reported here, the reading site names it too (evaluation.ts).
    if (table && usedBySite(table))
      return manual(
        node,
        `'${name}' of ${shownTable} holds 403, and a status slot reads ${shownTable}: where that entry is sent on an mTLS route, answer ${analysis.target} instead (change the entry, or map it where it is read).`,
      );
    // Unread, beside a name of the agreed status (`Http.Unauthorized`, `export const UNAUTHORIZED = 401` in the
    // same module): its reads were renamed to that sibling, as on the run that renamed them.
    const besideTarget = member ? member.hasTarget : variable !== undefined && declaresTarget(analysis);
    if (names.readInRun && !names.readInRun(name, member !== undefined)) {
      const read = tableRead();
      if (member && read)
        return manual(node, tableReadReason(name, shownTable ?? member.container, read, analysis.target));
      return besideTarget ? 'declaration' : manual(node, unreadReason(shown, analysis.target));
    }
    return manual(
      node,
      `'${name}' holds 403 and no status slot using it was rewritten here: check where '${name}' is used; if a response sends it, the use should send ${analysis.target}.`,
    );
  }
  // `new Meteor.Error(403, m)`, a socket.io acknowledgement or emit: a 403 of another protocol (non-http.ts).
  const nonHttp = nonHttpManual(analysis, node);
  if (nonHttp) return manual(node, nonHttp.reason, nonHttp.at);
  // `let r = reply; r = other; r.code(403)`: the response held in a variable, named with its line.
  const held = heldResponseReason(analysis, nearestShape(node));
  if (held) return manual(node, held);
  // `return left({ status: 403, message })`: the failure of a result wrapper, sent later by whatever maps it.
  const wrapper = resultWrapperOf(node);
  if (wrapper)
    return manual(
      node,
      `A 403 returned inside a result wrapper (${wrapper}): nothing is sent here; the code that turns this result into a reply sends it. If that answers an mTLS route, make it ${analysis.target} here (or map it where the reply is made).`,
    );
  // `res.status.call(other, 403)`: a forwarded call the analysis could not read as a sender, named as such.
  const forwarded = forwardedReason(analysis, node);
  if (forwarded) return manual(node, forwarded);
  // `@ApiProperty({ example: 403 }) statusCode: number`: a documented example, named as one.
  const example = documentedExampleReason(analysis, node);
  if (example) return manual(node, example);
  // `Errors = { FORBIDDEN_ROUTE: { status: 403, body } }` read as `res.status(Errors.FORBIDDEN_ROUTE.status)`, each
  // read written `res.status(401)`: the field keeps 403 and nothing of the run reads it after the run.
  const field = objectEntryField(node);
  // `Errors[code].status`: the table read by a run-time key may send the entry's field (as for a flat entry).
  const keyed = field && names.keyedReadAt?.(field.root);
  if (field && keyed)
    return manual(
      node,
      tableReadReason(
        `${field.entry}.${field.field}`,
        field.shown.slice(0, -field.entry.length - 1),
        keyed,
        analysis.target,
      ),
    );
  const fieldGone =
    field && !editedByRewrite(analysis, node)
      ? names.fieldGoneAt?.(field.entry, field.field, field.root)
      : undefined;
  if (field && fieldGone)
    return {
      ...manual(node, memberGoneReason(`${field.shown}.${field.field}`, fieldGone.uses, analysis.target)),
      replacedUses: fieldGone.uses,
    };
  // The run after: no file reads that field any more (nor the entry whole).
  if (field && names.fieldReadInRun && !names.fieldReadInRun(field.entry, field.field))
    return manual(node, unreadReason(`${field.shown}.${field.field}`, analysis.target));
  const shape = nearestShape(node);
  return {
    ...manual(
      node,
      `A 403 in a shape mtls-fix does not know (${shorten(shape.getText(analysis.sourceFile))}): if it is a response status, change it to ${analysis.target} by hand; if not, mark it // mtls-fix-ignore: <why>.`,
    ),
    // `M.jsonErr(403, errors.ForbiddenErrorResponse$inboundSchema)` (a generated client's decoder, 38 in unkey's
    // SDK): the schema named beside the number is the same item.
    ...(ts.isCallExpression(shape) || ts.isNewExpression(shape)
      ? { cover: { start: shape.getStart(analysis.sourceFile), end: shape.getEnd() } }
      : {}),
  };
}

/**
 * The field a 403 is the value of when its object is an entry of a constant table (`status` of `FORBIDDEN_ROUTE:
 * { status: 403, body }` in `const Errors = { … }` or an exported table): the table's name reads start from
 * (`root`), the entry's key and the entry as reads spell it (`Errors.FORBIDDEN_ROUTE`). Undefined otherwise.
 */
function objectEntryField(
  node: ts.Node,
): { root: string; entry: string; shown: string; field: string } | undefined {
  const property = outerParent(node, true);
  if (!ts.isPropertyAssignment(property) || skipOuter(property.initializer) !== node) return undefined;
  if (!ts.isIdentifier(property.name) && !ts.isStringLiteral(property.name)) return undefined;
  if (!ts.isObjectLiteralExpression(property.parent)) return undefined;
  const nested = nestedTableOf(property.parent);
  const entry = nested?.shown.split('.').pop();
  if (!nested || !entry) return undefined;
  return { root: nested.root, entry, shown: nested.shown, field: property.name.text };
}

/**
 * Whether the file's plan edits the 403 itself: `const LOCAL = 403` read only by rewritten slots is written
 * `const LOCAL = 401` and its reads kept (kept-names.ts, which the plan runs after the census: run here on
 * copies of the rewrites).
 */
function editedByRewrite(analysis: FileAnalysis, node: ts.Node): boolean {
  const start = node.getStart(analysis.sourceFile);
  const rewrites = analysis.sites
    .filter((s) => s.kind === 'rewrite')
    .map((s) => ({ ...s, edits: [...s.edits] }));
  keepDeclaredNames(analysis.sourceFile, rewrites);
  return rewrites.some((s) => s.edits.some((e) => e.start <= start && node.end <= e.end));
}

/** `export const X = 403` (the statement's modifiers). */
function isExported(declaration: ts.VariableDeclaration): boolean {
  const statement = declaration.parent.parent;
  return (
    ts.isVariableStatement(statement) &&
    Boolean(statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
  );
}

/** The reason for a constant's 403 whose site reads this run replaced with the status itself. */
export function replacedReason(name: string, uses: readonly string[], target: number): string {
  const shown = uses.slice(0, 3).join(', ');
  const more = uses.length > 3 ? `; ${uses.length - 3} more` : '';
  return `'${name}' still holds 403: this run writes ${target} in place of it where a status slot read it (${shown}${more}), so no rewritten site reads it any more. Where anything else still sends '${name}' as a status, that answers 403: change it there (or this definition) to ${target}; if nothing reads it, remove it; else mark it // mtls-fix-ignore: <why>.`;
}

/** Whether the file declares a top-level constant holding the agreed status (`export const UNAUTHORIZED = 401`). */
function declaresTarget(analysis: FileAnalysis): boolean {
  return analysis.sourceFile.statements.some(
    (statement) =>
      ts.isVariableStatement(statement) &&
      statement.declarationList.declarations.some((d) => {
        const value = d.initializer && skipOuter(d.initializer);
        return value !== undefined && ts.isNumericLiteral(value) && Number(value.text) === analysis.target;
      }),
  );
}

/** An entry's container: its name, whether it is exported, whether another entry holds the agreed status. */
interface MemberOf {
  container: string;
  exported: boolean;
  hasTarget: boolean;
}

/** What holds an entry: the enum, constant table or class of a member (`target`: the agreed status). */
function memberOf(
  declared: ts.VariableDeclaration | ts.EnumMember | ts.PropertyDeclaration | ts.PropertyAssignment,
  table: string | undefined,
  target: number,
): MemberOf | undefined {
  const exportedNode = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) &&
    Boolean(ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  const holds = (value: ts.Node | undefined): boolean => {
    const inner = value && skipOuter(value as ts.Expression);
    return inner !== undefined && ts.isNumericLiteral(inner) && Number(inner.text) === target;
  };
  if (ts.isEnumMember(declared)) {
    const owner = declared.parent;
    const hasTarget = owner.members.some((m) => holds(m.initializer));
    return { container: owner.name.text, exported: exportedNode(owner), hasTarget };
  }
  if (ts.isPropertyDeclaration(declared)) {
    const owner = declared.parent;
    const isStatic = ts.getModifiers(declared)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
    if (!isStatic || !ts.isClassDeclaration(owner) || !owner.name) return undefined;
    const hasTarget = owner.members.some((m) => ts.isPropertyDeclaration(m) && holds(m.initializer));
    return { container: owner.name.text, exported: exportedNode(owner), hasTarget };
  }
  // `namespace Codes { export const FORBIDDEN = 403 }`: read as `Codes.FORBIDDEN`, an entry as a class's field is.
  const block = ts.isVariableDeclaration(declared) ? declared.parent.parent.parent : undefined;
  if (block && ts.isModuleBlock(block) && ts.isIdentifier(block.parent.name)) {
    const hasTarget = block.statements.some(
      (s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => holds(d.initializer)),
    );
    return { container: block.parent.name.text, exported: exportedNode(block.parent), hasTarget };
  }
  if (ts.isPropertyAssignment(declared) && table) {
    const hasTarget = declared.parent.properties.some(
      (p) => ts.isPropertyAssignment(p) && holds(p.initializer),
    );
    let holder: ts.Node = declared.parent;
    while (!ts.isVariableDeclaration(holder) && holder.parent) holder = holder.parent;
    const statement = holder.parent?.parent;
    return { container: table, exported: statement !== undefined && exportedNode(statement), hasTarget };
  }
  return undefined;
}

/**
 * The reason for an entry (`Http.Forbidden`) whose every read this run rewrites: it stays a name of 403 that
 * nothing of the run reads any more. `shown`: `file:line form` of the rewrites.
 */
function memberGoneReason(entry: string, uses: readonly string[], target: number): string {
  const shown = uses.slice(0, 3).join(', ');
  const more = uses.length > 3 ? `; ${uses.length - 3} more` : '';
  return `'${entry}' still holds 403 and no file of this run reads it after this run: its reads (${shown}${more}) now send ${target}. It stays a name of 403: where code outside these files sends it as a status, that answers 403 (send ${target} there); if nothing does, remove it or mark it // mtls-fix-ignore: <why>.`;
}

/**
 * The reason for a table's 403 entry (`NOT_ALLOWED` of `STATUS_BY_KIND`) that no file of the run reads by its name
 * while one reads the table by a run-time key (`read`: `file:line form` of the first such read,
 * `src/app.ts:11 STATUS_BY_KIND[err.kind]`).
 */
function tableReadReason(entry: string, table: string, read: string, target: number): string {
  return `'${entry}' of ${table} holds 403, and this run reads ${table} (${read}): where that entry is sent as a status on an mTLS route, answer ${target} instead (change the entry, or map it where it is read).`;
}

/** The reason for a definition holding 403 that no file of the run reads at all (the run after its readers were rewritten). */
function unreadReason(name: string, target: number): string {
  return `'${name}' still holds 403 and no file of this run reads it. It stays a name of 403: where code outside these files sends it as a status, that answers 403 (send ${target} there); if nothing does, remove it or mark it // mtls-fix-ignore: <why>.`;
}

/**
 * The reason for a 403 passed to a key helper: the same text for every call of one helper (whatever the other
 * statuses passed), so the report groups them into one item.
 */
function keyHelperReason(helper: KeyHelper, target: number): string {
  const table = `${helper.table}${helper.tableAt ? ` (${helper.tableAt})` : ''}`;
  if (helper.responses)
    return `Declares 403 in the API description: ${helper.name} (${helper.at}) only selects the 403 entry of ${table}, a table of OpenAPI Response Objects; nothing is sent here. Where the route answers ${target} on mTLS, pass ${target} instead of 403, or the generated document lists 403 again.`;
  return `The 403 only selects an entry: ${helper.name} (${helper.at}) uses it as a key of ${table}, never as a status. Review what ${helper.table} holds for 403; where it is a response on mTLS, it should be ${target}.`;
}

/**
 * An object literal held by a `const` (or exported as a whole): a table of named constants; also the entry of a
 * status name in a nested one (`{ ReturnCodes: { FORBIDDEN: { CODE: 403 } } }`, mojaloop's status tables).
 */
function isConstantTable(node: ts.Node, nested = false): boolean {
  if (!ts.isObjectLiteralExpression(node)) return false;
  // `Object.freeze({ FORBIDDEN: 403 })`: the frozen table is held the same way.
  const frozen = outerParent(node, true);
  const parent = isObjectFreeze(frozen) ? outerParent(frozen, true) : frozen;
  // `{ STATUS: { FORBIDDEN: 403 } }`: a table of statuses nested under any key of a table (session 49: "a shape
  // mtls-fix does not know" while `codes.STATUS.FORBIDDEN` reads were rewritten), as one keyed by a status name.
  if (
    ts.isPropertyAssignment(parent) &&
    (nested ||
      namesStatuses(node) ||
      statusOfName(parent.name.getText().replace(/^['"]|['"]$/g, '')) !== undefined)
  )
    return isConstantTable(parent.parent, true);
  // `exports.STATUS = { FORBIDDEN: 403 }` (session 48: "a shape mtls-fix does not know") is
  // `export const STATUS = { FORBIDDEN: 403 }` written in CommonJS; `module.exports = { http: { FORBIDDEN: 403 } }`
  // holds such a table under a key.
  return (
    ts.isVariableDeclaration(parent) ||
    ts.isExportAssignment(parent) ||
    (isExportedTableValue(parent) && (nested || namesStatuses(node))) ||
    (nested && isExportsLiteral(node)) ||
    classFieldTable(node) !== undefined
  );
}

/** Whether a key's entry holds the agreed status as a number literal (`403: 401`). */
function mapsToTarget(key: ts.Node, target: number): boolean {
  const entry = key.parent;
  if (!ts.isPropertyAssignment(entry) || entry.name !== key) return false;
  const value = skipOuter(entry.initializer);
  return ts.isNumericLiteral(value) && Number(value.text) === target;
}

/**
 * Whether every entry of an object is keyed by a status name (`{ FORBIDDEN: 403, OK: 200 }`): a table of
 * statuses, not a result (`{ status: 403, message }`, which results.ts and the census name as such).
 */
function namesStatuses(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.every(
    (p) =>
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      statusOfName(p.name.text) !== undefined,
  );
}

/**
 * The name of the class field an object literal initializes (`static CODES = { FORBIDDEN: 403 }`, also frozen):
 * a class's own table, read as `Http.CODES.FORBIDDEN` or `this.CODES.FORBIDDEN` (analysis/class-tables.ts,
 * session 34). Undefined for any other object.
 */
function classFieldTable(object: ts.Node): string | undefined {
  const frozen = outerParent(object, true);
  const holder = isObjectFreeze(frozen) ? outerParent(frozen, true) : frozen;
  return ts.isPropertyDeclaration(holder) &&
    ts.isClassLike(holder.parent) &&
    holder.initializer !== undefined &&
    (ts.isIdentifier(holder.name) || ts.isStringLiteral(holder.name))
    ? holder.name.text
    : undefined;
}

/**
 * `constructor(body?: unknown, statusCode = 403)` (a Lambda response class `Forbidden extends LambdaResponse`),
 * `function deny(res, status = 403)`: the default of a parameter the helper analysis saw reach a status slot.
 * Every call that leaves it out answers 403; the default is the helper's own decision, so it is reported (never
 * edited, as a shared declaration is not), under the helper's module.
 */
function defaultOfStatusParameter(
  analysis: FileAnalysis,
  parent: ts.Node,
  node: ts.Node,
): ManualVerdict | undefined {
  if (!ts.isParameter(parent) || parent.initializer === undefined || !ts.isIdentifier(parent.name))
    return undefined;
  // `parent` is the first ancestor past parentheses and casts: the 403 is (inside) the default itself.
  if (node.pos < parent.initializer.pos || node.end > parent.initializer.end) return undefined;
  const name = parent.name.text;
  const helper = analysis.helpers.find(
    (h) => h.fn === parent.parent && h.name === name && h.property === undefined,
  );
  if (!helper) return undefined;
  return {
    ...manual(
      node,
      `The default of '${name}' is 403: every ${helperCallOf(parent.parent)} that leaves it out answers 403. Where that answers an mTLS route, pass ${analysis.target}, or make the default ${analysis.target} if every use is such a route.`,
      parent,
    ),
    framework: helper.framework,
  };
}

/**
 * `if (!statusCode) statusCode = 403;` (or `status ??= 403`) in a helper whose parameter the helper analysis saw
 * reach a status slot: a default written in the body. It is reported as a parameter's default is (never edited:
 * the helper decides for every caller), naming the parameter and the helper.
 */
function assignedStatusParameter(
  analysis: FileAnalysis,
  first: ts.Node,
  node: ts.Node,
): ManualVerdict | undefined {
  // `code = code || 403`, `code = denied ? 403 : code`: the 403 is one branch of the value assigned.
  let value: ts.Node = node;
  let parent = first;
  while (
    (ts.isBinaryExpression(parent) &&
      (parent.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) ||
    (ts.isConditionalExpression(parent) && skipOuter(parent.condition) !== value)
  ) {
    value = parent;
    parent = outerParent(parent, true);
  }
  if (!ts.isBinaryExpression(parent) || skipOuter(parent.right) !== skipOuter(value as ts.Expression))
    return undefined;
  const assigns = [
    ts.SyntaxKind.EqualsToken,
    ts.SyntaxKind.QuestionQuestionEqualsToken,
    ts.SyntaxKind.BarBarEqualsToken,
  ].includes(parent.operatorToken.kind);
  const left = skipOuter(parent.left);
  if (!assigns || !ts.isIdentifier(left)) return undefined;
  let fn: ts.Node | undefined = parent.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return undefined;
  const helper = analysis.helpers.find(
    (h) => h.fn === fn && h.name === left.text && h.property === undefined,
  );
  if (!helper) return undefined;
  return {
    ...manual(
      node,
      `'${left.text}' is a parameter of ${helperCallOf(helper.fn)} that it sends as the status, set to 403 here: every call that reaches this line answers 403. Where that answers an mTLS route, set ${analysis.target} (or pass ${analysis.target} from the callers); if not, mark it // mtls-fix-ignore: <why>.`,
      parent,
    ),
    framework: helper.framework,
  };
}

/** How a helper is called, for a reason: `new X(…)`, `f(…)`, `deny(…)` of `const deny = (…) => …`. */
function helperCallOf(fn: ts.Node): string {
  // An arrow or function expression is named by what holds it (`const deny = (res, status = 403) => …`).
  const holder = fn.parent;
  const heldAs =
    (ts.isVariableDeclaration(holder) ||
      ts.isPropertyAssignment(holder) ||
      ts.isPropertyDeclaration(holder)) &&
    holder.initializer === fn &&
    (ts.isIdentifier(holder.name) || ts.isPrivateIdentifier(holder.name))
      ? holder.name.text
      : undefined;
  return ts.isConstructorDeclaration(fn) && ts.isClassLike(fn.parent) && fn.parent.name
    ? `new ${fn.parent.name.text}(…)`
    : 'name' in fn && fn.name && ts.isIdentifier(fn.name as ts.Node)
      ? `${(fn.name as ts.Identifier).text}(…)`
      : heldAs
        ? `${heldAs}(…)`
        : 'call of this function';
}

/** A 403 passed to a function of this file: data, or a parameter the function sends beside a 403. */
type LocalCall =
  'data' | { callee: string; param: string; line: number; choice: string; handed: boolean } | undefined;

/**
 * `new Order(403)`, `price(403)`: a call to a function or class declared in this file whose parameter never
 * reaches a status slot (the helper analysis found none), so the number is data ('data'). Unless the parameter is
 * a branch beside a 403 (`{ statusCode: denied ? 403 : code }`, `this.status = code || 403`) in a shape no module
 * read (the 403 itself is reported there): then the call's 403 is sent too, and is named.
 */
function localCall(analysis: FileAnalysis, parent: ts.Node, node: ts.Node): LocalCall {
  if (!ts.isCallExpression(parent) && !ts.isNewExpression(parent)) return undefined;
  if (!ts.isIdentifier(parent.expression)) return undefined;
  const index = parent.arguments?.findIndex((a) => a === node || a.getStart() === node.getStart()) ?? -1;
  if (index < 0) return undefined;
  const name = parent.expression.text;
  const declaration = analysis.sourceFile.statements.find(
    (s): s is ts.ClassDeclaration | ts.FunctionDeclaration =>
      (ts.isClassDeclaration(s) || ts.isFunctionDeclaration(s)) && s.name?.text === name,
  );
  if (!declaration) return undefined;
  if (analysis.helpers.some((h) => h.index === index && helperName(h.fn) === name)) return undefined;
  const fn = ts.isClassDeclaration(declaration)
    ? declaration.members.find(ts.isConstructorDeclaration)
    : declaration;
  const parameter = fn?.parameters[index];
  if (!fn?.body || !parameter || !ts.isIdentifier(parameter.name)) return 'data';
  const choice = choiceBeside403(fn.body, parameter.name.text);
  const handed = choice ? undefined : statusKeyUse(fn.body, parameter.name.text);
  const found = choice ?? handed;
  if (!found) return 'data';
  const line = lineAndCharacterAt(analysis.sourceFile, found.getStart(analysis.sourceFile)).line + 1;
  return {
    callee: ts.isClassDeclaration(declaration) ? `new ${name}(…)` : `${name}(…)`,
    param: parameter.name.text,
    line,
    choice: found.getText(analysis.sourceFile),
    handed: handed !== undefined,
  };
}

/** Keys that hold a status wherever they are written (`{ status }`, `init.statusCode = s`). */
const STATUS_KEYS = /^(?:status|statusCode|status_code|httpStatus|httpStatusCode|httpCode)$/;

/**
 * The first place in `body` that writes the parameter `name` under a status key: `{ status }`, `{ statusCode:
 * name }`, `x.status = name` (breaker50, b0b4456/remix-mini: `statusJson(status) { return json({…}, { status }) }`
 * with `json` of a package no module knew; `statusJson(403)` was counted as data). A status handed on in a shape
 * mtls-fix does not know, so the caller's 403 is sent there.
 */
function statusKeyUse(body: ts.Node, name: string): ts.Node | undefined {
  const isName = (e: ts.Expression): boolean => {
    const inner = skipOuter(e);
    return ts.isIdentifier(inner) && inner.text === name;
  };
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isShorthandPropertyAssignment(node) && node.name.text === name && STATUS_KEYS.test(name)) {
      found = node;
      return;
    }
    if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      STATUS_KEYS.test(node.name.text) &&
      isName(node.initializer)
    ) {
      found = node;
      return;
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      STATUS_KEYS.test(node.left.name.text) &&
      isName(node.right)
    ) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** The first `c ? 403 : name` / `c ? name : 403` / `name || 403` / `name ?? 403` in `body`, parentheses seen through. */
function choiceBeside403(body: ts.Node, name: string): ts.Expression | undefined {
  const is403 = (e: ts.Expression): boolean => {
    const inner = skipOuter(e);
    return (ts.isNumericLiteral(inner) || ts.isStringLiteral(inner)) && inner.text === '403';
  };
  const isName = (e: ts.Expression): boolean => {
    const inner = skipOuter(e);
    return ts.isIdentifier(inner) && inner.text === name;
  };
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      (ts.isConditionalExpression(node) &&
        ((is403(node.whenTrue) && isName(node.whenFalse)) ||
          (is403(node.whenFalse) && isName(node.whenTrue)))) ||
      (ts.isBinaryExpression(node) &&
        (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
          node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) &&
        isName(node.left) &&
        is403(node.right))
    ) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

function helperName(fn: ts.Node): string | undefined {
  if (ts.isConstructorDeclaration(fn) && ts.isClassLike(fn.parent)) return fn.parent.name?.text;
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  return undefined;
}

/** `retries` in `expect(result.retries).toBe(403)` / `.to.equal(403)`: the value an assertion checks. */
function assertedName(node: ts.Node): string | undefined {
  let call: ts.Node = outerParent(node, true);
  if (!ts.isCallExpression(call)) return undefined;
  let root: ts.Expression = call.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) {
    if (ts.isCallExpression(root) && /(?:^|\.)expect$/.test(root.expression.getText())) {
      call = root;
      break;
    }
    root = root.expression;
  }
  if (!ts.isCallExpression(call) || call === node.parent) return undefined;
  const subject = call.arguments[0];
  if (subject && ts.isPropertyAccessExpression(subject)) return subject.name.text;
  if (subject && ts.isIdentifier(subject)) return subject.text;
  return undefined;
}

/** The name a value is held under: `width` in `{ width: 403 }`, `const width = 403`, `x.width = 403`. */
function holderName(node: ts.Node): string | undefined {
  const parent = outerParent(node, true);
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent)) &&
    parent.name &&
    (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))
  )
    return parent.name.text;
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(parent.left)
  )
    return parent.left.name.text;
  return undefined;
}

/**
 * Whether `name` appears in the file's own sites only as a key of an object they write (`{ status: 403 }`),
 * never read as a name or member (`S.FORBIDDEN`, `S['FORBIDDEN']`, a destructured `FORBIDDEN`, `{ status }`).
 * False when no site of the file holds it (a use in another file counts as it did).
 */
function keyOnlyInSites(analysis: FileAnalysis, name: string): boolean {
  const spans = analysis.sites.map((s) => s.span);
  let keys = 0;
  let reads = 0;
  const visit = (node: ts.Node): void => {
    if (reads || !spans.some((span) => node.pos < span.end && span.start < node.end)) return;
    if ((ts.isIdentifier(node) || ts.isStringLiteralLike(node)) && node.text === name) {
      const start = node.getStart(analysis.sourceFile);
      if (spans.some((span) => span.start <= start && node.end <= span.end)) {
        if (ts.isPropertyAssignment(node.parent) && node.parent.name === node) keys++;
        else reads++;
      }
    }
    node.forEachChild(visit);
  };
  visit(analysis.sourceFile);
  return keys > 0 && reads === 0;
}
