import ts from '../../typescript.cjs';
import { boundLocalName, importNeed, localNameFor, type ImportSource } from '../import-edits.js';
import { defaultImportDrop } from './default-import-drops.js';
import { aliasChainDrops, aliasedTable, destructuredDrop } from './destructured-drops.js';
import { trpcStatusWhy } from './trpc-status.js';
import type { ImportMap } from '../imports.js';
import { enclosingFunction, type FunctionLike } from '../scope.js';
import { AssignmentIndex } from './assignments.js';
import { capturingFunctions, constructorValueOf } from './captured.js';
import type { Edit, ImportNeed } from '../types.js';
import { namesStatusConstants, type Constants, type MemberRead } from './constants.js';
import type { FileImports } from './file-imports.js';
import { statusOfName } from '../status-names.js';
import {
  literalNumber,
  numericValue,
  replaceNode,
  sameValueOperand,
  shorten,
  skipOuter,
  staticMember,
  type StaticMember,
} from './syntax.js';
import type { Evaluation, ImportedConstant } from './types.js';
import { nestedLocalValue } from './nested-tables.js';
import { forbiddenLookup } from './lookups.js';
import { foldConstant, type Folded } from './fold.js';

/** The key under a status name that holds its number (`ReturnCodes.FORBIDDEN.CODE`, `codes.ok.status`). */
const CODE_KEY = /^(?:code|status|status_?code|http_?code|http_?status|value)$/i;

/**
 * Status evaluation: what an expression in a status slot is worth (403 with the edits that make it the
 * target, another known status, a parameter of the enclosing function, or dynamic). An imported 403
 * constant's edit may need an import edit too: `importFor(edit)` gives it.
 */
export class StatusEvaluator implements ImportSource {
  /** Import edits that go with a value edit (an imported constant renamed to its sibling), by edit. */
  private readonly editImports = new Map<Edit, ImportNeed[]>();

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly text: string,
    /** The agreed status. */
    private readonly target: number,
    private readonly fileImports: FileImports,
    private readonly constants: Constants,
  ) {}

  get imports(): ImportMap {
    return this.fileImports.map;
  }

  replace(node: ts.Node, text: string): Edit {
    return replaceNode(this.sourceFile, node, text);
  }

  /**
   * The import edits that must go with `edit`, when `edit` renames or drops a use of an imported constant (and,
   * since session 30, the aliases and imports that drop leaves unread: `const L = StatusCodes`). Empty: none.
   */
  importFor(edit: Edit): ImportNeed[] {
    return this.editImports.get(edit) ?? [];
  }

  /** Evaluates a status slot: 403 (with edits), a known other status, a helper parameter, or dynamic. */
  evaluate(expression: ts.Expression): Evaluation {
    const node = skipOuter(expression);
    const edits = this.forbiddenEdits(expression);
    if (edits) return { kind: 'forbidden', edits };
    if (this.isKnownStatus(node)) return { kind: 'static' };
    // `callback({ ok: true, status: false })` (a socket.io acknowledgement): a boolean or null is no status.
    if (
      node.kind === ts.SyntaxKind.TrueKeyword ||
      node.kind === ts.SyntaxKind.FalseKeyword ||
      node.kind === ts.SyntaxKind.NullKeyword
    )
      return { kind: 'static' };
    if (ts.isConditionalExpression(node)) {
      // `isAdmin ? 200 : 403`: rewrite the 403 branch, whatever the other is; a run-time branch is named.
      // `status === 403 ? 401 : status` (a remap written in place): the branch taken when the value is not 403 is
      // that value, so it is no 403 (session 41).
      const spared = this.notForbiddenBranch(node);
      const branches = [node.whenTrue, node.whenFalse].map((branch): Evaluation =>
        branch === spared ? { kind: 'static' } : this.evaluate(branch),
      );
      const combined = combine(branches);
      return combined.kind === 'forbidden'
        ? { ...combined, ...besides(branches, [node.whenTrue, node.whenFalse]) }
        : combined;
    }
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    ) {
      // `err.status || 403`: the literal fallback is ours; the left side passes another status through.
      const right = this.evaluate(node.right);
      if (right.kind === 'forbidden')
        return { ...right, ...besides([this.evaluate(node.left)], [node.left]) };
      // `code ?? 400`: the caller's status, with a default.
      const left = this.parameterOf(node.left);
      if (left) return left;
      // `codeToStatus[code] ?? 500`, `byCode.get(code) ?? 500`, `err.status || STATUS[code] || 500`: the
      // lookup is named, wherever it stands in the chain.
      const why = this.chainLookup(node.left);
      return why ? { kind: 'dynamic', why } : { kind: 'dynamic' };
    }
    if (isFoldable(node)) {
      // `CLIENT_ERROR + 3`, `Http.Unauthorized + 2`: 403 by its constants, written as arithmetic the rewrite
      // does not take apart (the names may be read elsewhere); named as a 403, never as a run-time status.
      const folded = this.fold(node, true);
      if (folded && isForbidden(folded.value))
        return {
          kind: 'dynamic',
          reason: `${shorten(node.getText(this.sourceFile))} is 403 (its constants fold to 403): on mTLS routes write the agreed status (${this.target}) here instead.`,
        };
      if (folded && typeof folded.value === 'number' && Number.isInteger(folded.value))
        return { kind: 'static' };
    }
    const parameter = this.parameterOf(node);
    if (parameter) return parameter;
    const trpc = trpcStatusWhy(node, this.fileImports, (name, from) =>
      this.constants.findDeclaration(name, from),
    );
    if (trpc) return { kind: 'dynamic', why: trpc };
    if (ts.isIdentifier(node)) return this.localVariable(node) ?? { kind: 'dynamic' };
    const named = this.unreadPackageMember(node);
    if (named) return named;
    if (this.isNameRead(node)) return { kind: 'static' };
    const why = this.computedLookup(node) ?? this.calledLookup(node);
    return why ? { kind: 'dynamic', why } : { kind: 'dynamic' };
  }

  /**
   * The `if (name === 403) name = 401` (also `403 == name`, a named 403, a block around the assignment) that
   * comes before `read` in a block holding it, with the local given a known status other than 403 there: the
   * local's remap. Undefined when there is none.
   */
  private localRemap(read: ts.Identifier, body: ts.Node): ts.IfStatement | undefined {
    const name = read.text;
    for (let block: ts.Node | undefined = read.parent; block && block !== body.parent; block = block.parent) {
      if (!ts.isBlock(block) && !ts.isSourceFile(block)) continue;
      for (const statement of block.statements) {
        if (statement.end > read.pos) break;
        if (!ts.isIfStatement(statement) || statement.elseStatement) continue;
        const condition = skipOuter(statement.expression);
        if (!ts.isBinaryExpression(condition)) continue;
        const kind = condition.operatorToken.kind;
        if (kind !== ts.SyntaxKind.EqualsEqualsEqualsToken && kind !== ts.SyntaxKind.EqualsEqualsToken)
          continue;
        const sides = [condition.left, condition.right].map(skipOuter);
        const compared = sides.findIndex((e) => ts.isIdentifier(e) && e.text === name);
        const other = sides[1 - compared];
        if (compared < 0 || !other || !this.forbiddenEdits(other)) continue;
        const then = ts.isBlock(statement.thenStatement)
          ? statement.thenStatement.statements
          : [statement.thenStatement];
        const assigned = then.some((s) => {
          const e = ts.isExpressionStatement(s) ? skipOuter(s.expression) : undefined;
          return (
            e !== undefined &&
            ts.isBinaryExpression(e) &&
            e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            ts.isIdentifier(skipOuter(e.left)) &&
            (skipOuter(e.left) as ts.Identifier).text === name &&
            !this.forbiddenEdits(e.right) &&
            this.evaluate(e.right).kind === 'static'
          );
        });
        if (assigned) return statement;
      }
    }
    return undefined;
  }

  /**
   * The branch of `x === 403 ? a : x` (or `x !== 403 ? x : a`) that is the compared value itself: it is taken only
   * when that value is not 403. Undefined for any other choice.
   */
  private notForbiddenBranch(node: ts.ConditionalExpression): ts.Expression | undefined {
    const condition = skipOuter(node.condition);
    if (!ts.isBinaryExpression(condition)) return undefined;
    const kind = condition.operatorToken.kind;
    const equal = kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken;
    const unequal =
      kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
    if (!equal && !unequal) return undefined;
    const text = (e: ts.Expression): string => skipOuter(e).getText(this.sourceFile);
    for (const [value, compared] of [
      [condition.left, condition.right],
      [condition.right, condition.left],
    ] as const) {
      if (!this.forbiddenEdits(value)) continue;
      const branch = equal ? node.whenFalse : node.whenTrue;
      if (text(branch) === text(compared)) return branch;
    }
    return undefined;
  }

  /**
   * A member of a status table imported from a package mtls-fix does not read (`import { statusCodes } from
   * '@defra/cdp-validation-kit'; h.response().code(statusCodes.ok)`, `HTTP.codes.INTERNAL_SERVER_ERROR`): its
   * name says the status (status-names.ts `statusOfName`). Another status is `static`, never "Dynamic"; a 403
   * name stays to decide by hand, with a reason saying so (its sibling's name in that package is not known).
   * Undefined when the owner is no import of a package, or the name is no status word.
   */
  private unreadPackageMember(node: ts.Expression): Evaluation | undefined {
    const member = staticMember(node);
    if (!member) return undefined;
    let root = skipOuter(member.owner);
    for (let up = staticMember(root); up; up = staticMember(root)) root = skipOuter(up.owner);
    if (!ts.isIdentifier(root)) return undefined;
    const module = this.fileImports.importOf(root.text)?.module ?? this.aliasedModule(root);
    if (!module || /^(?:\.|\/|#|~|@\/|node:)/.test(module)) return undefined;
    const table = skipOuter(member.owner).getText(this.sourceFile);
    if (!/status|code|http/i.test(table)) return undefined;
    // `Http.ReturnCodes.ACCEPTED.CODE` (mojaloop's central-services-shared): the status is named one key up.
    const up = CODE_KEY.test(member.name) ? staticMember(skipOuter(member.owner)) : undefined;
    const status = statusOfName(up ? up.name : member.name);
    if (status === undefined) return undefined;
    if (status !== 403) return { kind: 'static' };
    return {
      kind: 'dynamic',
      reason: `${node.getText(this.sourceFile)} names 403 by its name in ${module}, which mtls-fix does not read: on mTLS routes use that table's ${this.target} member instead (or map it centrally).`,
    };
  }

  /** `Http` of `const Http = Enum.Http` (a const naming a member of an import): that import's module. */
  private aliasedModule(name: ts.Identifier): string | undefined {
    const declaration = this.constants.findDeclaration(name.text, name);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    let root = skipOuter(declaration.initializer);
    for (let up = staticMember(root); up; up = staticMember(root)) root = skipOuter(up.owner);
    return ts.isIdentifier(root) && root !== name ? this.fileImports.importOf(root.text)?.module : undefined;
  }

  /**
   * `StatusCodes[403]`, `httpStatus[httpStatus.FORBIDDEN]`, `Codes[Codes.Forbidden]`: a table that maps numbers
   * back to text (constants.ts `reverseStatuses`) read by a status: a name or message, never a status. The
   * companions of the status beside it rewrite its key; before session 48 such a read in `res.send(...)` was a
   * "Computed status ... by a key known only at run time (403)".
   */
  private isNameRead(node: ts.Expression): boolean {
    if (!ts.isElementAccessExpression(node)) return false;
    const key = skipOuter(node.argumentExpression);
    const isStatus = (e: ts.Expression): boolean =>
      ts.isNumericLiteral(e) || this.forbiddenEdits(e) !== undefined || this.isKnownStatus(e);
    // http-status's `'403_MESSAGE'`, `` `${httpStatus.FORBIDDEN}_NAME` `` keys read text too.
    const status =
      isStatus(key) ||
      (ts.isStringLiteralLike(key) && /^\d{3}(?:_[A-Z_]+)?$/.test(key.text)) ||
      (ts.isTemplateExpression(key) &&
        key.head.text === '' &&
        key.templateSpans.length === 1 &&
        isStatus(key.templateSpans[0].expression));
    return status && this.constants.reverseStatuses(node.expression, node) !== undefined;
  }

  /**
   * `StatusCodes[403]`, `HttpStatus[403]`, `httpStatus['403']`, `httpStatus['403_NAME']`, `http.STATUS_CODES[403]`,
   * `httpStatus[httpStatus.FORBIDDEN]`: a read of the text a table maps back from 403 (its name or reason phrase),
   * which is never a status (session 49: in a status slot it was "a shape mtls-fix does not know").
   */
  forbiddenNameRead(expression: ts.Expression): boolean {
    const node = skipOuter(expression);
    if (!ts.isElementAccessExpression(node) || !this.isNameRead(node)) return false;
    const key = skipOuter(node.argumentExpression);
    if (ts.isStringLiteralLike(key)) return /^403(?:_[A-Z_]+)?$/.test(key.text);
    const value = ts.isTemplateExpression(key) ? key.templateSpans[0].expression : key;
    return this.forbiddenEdits(value) !== undefined;
  }

  /**
   * `HTTP_STATUS[key]` where the table (a status library's, or a project object or enum of this file or exported
   * by another, frozen or not) holds 403 and the key is computed: says so, naming the table's 403 entry, for the manual reason.
   */
  private computedLookup(node: ts.Expression): string | undefined {
    if (!ts.isElementAccessExpression(node) || staticMember(node)) return undefined;
    const owner = skipOuter(node.expression);
    const table = owner.getText(this.sourceFile);
    const key = node.argumentExpression.getText(this.sourceFile);
    const entry = this.constants.forbiddenEntry(owner, node);
    if (entry === undefined) return undefined;
    const at = entry.at ? ` (${entry.at})` : '';
    return `read from ${table} by a key known only at run time (${key}); ${table} answers 403 for '${entry.name}'${at}`;
  }

  /**
   * The first operand of a `||`/`??` chain (`err.status || STATUS[code]`) that is a lookup giving 403 for some
   * run-time key ({@link computedLookup}, {@link calledLookup}): its `why`. Undefined when no operand is one.
   */
  private chainLookup(expression: ts.Expression): string | undefined {
    const node = skipOuter(expression);
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    )
      return this.chainLookup(node.left) ?? this.chainLookup(node.right);
    return this.computedLookup(node) ?? this.calledLookup(node);
  }

  /**
   * `statusOf(err.code)`, `byCode.get(err.code)`: a lookup the project wrote (a function of this file or imported,
   * a Map) that gives 403 for some key (lookups.ts): says so, naming it, for the manual reason.
   */
  private calledLookup(node: ts.Expression): string | undefined {
    const found = forbiddenLookup(
      node,
      this.sourceFile,
      this.fileImports,
      this.constants.link,
      (owner, from) => this.constants.forbiddenEntry(owner, from),
    );
    if (!found) return undefined;
    return `sent from ${shorten(node.getText(this.sourceFile))}, a lookup by a key known only at run time; ${found.lookup} (${found.at}) answers 403 ${found.gives}`;
  }

  /** Variables being evaluated (a `code = code || 403` assignment reads itself). */
  private readonly evaluating = new Set<ts.Node>();
  /** Each function body's assignments by name, walked once per body (assignments.ts). */
  private assignments?: AssignmentIndex;

  /**
   * A local variable of the enclosing function that carries the status to the slot:
   * `const code = ok ? 200 : 403`, or `let code = 200; if (!cert) code = 403;`. Its initializer and every plain
   * assignment in the function are evaluated; the 403 ones are rewritten where they are written. A known other
   * status (`static`) when every value is one; the one value known only at run time when it is named (`dynamic`
   * with its `why`: `const status = TABLE[err.kind] ?? 500` reads as `TABLE[err.kind] ?? 500` inline). Undefined
   * (the slot stays dynamic) when none holds a 403 and some other value is not known, or when the variable is also
   * changed in another way
   * (`code += 1`, `code++`, a destructuring) or assigned inside a nested function.
   */
  private localVariable(node: ts.Identifier): Evaluation | undefined {
    const fn = enclosingFunction(node);
    const body = fn?.body;
    if (!body || this.evaluating.has(node)) return undefined;
    this.assignments ??= new AssignmentIndex(this.sourceFile);
    const { declared, unknown, values } = this.assignments.of(body, node.text);
    if (!declared || unknown || !values.length) return undefined;
    this.evaluating.add(node);
    try {
      const evaluations = values.map((v) => this.evaluate(v));
      // `status = 403` in one case, `status = upstream.status` in another (a switch default): the run-time value
      // is named as in `cond ? 403 : upstream.status`, since it may pass a 403 on.
      if (evaluations.some((e) => e.kind === 'forbidden')) {
        const { passes } = besides(evaluations, values);
        return { ...combine(evaluations), ...(passes ? { passes } : {}) };
      }
      // `let statusCode = StatusCodes.NOT_ACCEPTABLE; if (get) statusCode = StatusCodes.NOT_FOUND;`: every value
      // it can hold is a known status other than 403, so the slot sends no 403 (not a dynamic one to review).
      if (evaluations.every((e) => e.kind === 'static')) return { kind: 'static' };
      // `const status = STATUS_BY_KIND[err.kind] ?? 500`, `let status = 500; if (e) status = statusOf(e.code)`:
      // the one value not known before run time is named as the slot would name it written inline (a table read
      // by a computed key, a lookup, a 403 name of an unread package). Two or more such values stay plain Dynamic.
      const open = evaluations.filter((e) => e.kind !== 'static');
      // `let status = err.status; if (status === 403) status = 401; res.status(status)`: a remap written on the
      // local, before the read; whatever it held before is no 403 here (as `s === 403 ? 401 : s`, session 41).
      const remap = this.localRemap(node, body);
      if (remap && values.every((v, i) => evaluations[i]?.kind === 'static' || v.end <= remap.pos))
        return { kind: 'static' };
      const only = open.length === 1 ? open[0] : undefined;
      return only?.kind === 'dynamic' && (only.why !== undefined || only.reason !== undefined)
        ? only
        : undefined;
    } finally {
      this.evaluating.delete(node);
    }
  }

  /**
   * Whether the value of `expression` can only be known by reading another project module: a name imported by
   * name from one (constants.ts `readsImportedModule`). `forbiddenValueEdits` answers it by parsing that module.
   */
  readsImportedModule(expression: ts.Expression): boolean {
    const node = skipOuter(expression);
    return ts.isIdentifier(node) && this.constants.readsImportedModule(node);
  }

  /**
   * {@link forbiddenEdits}, and also a value that can be 403 by way of a branch or a local constant
   * (`cond ? 403 : 422`, `err.status || 403`, `const status = denied ? 403 : 422` then `status`), as a status
   * slot reads it ({@link evaluate}): the edits rewrite the 403 branch. For an argument passed to a helper
   * whose parameter is the status. Undefined when no reading gives 403.
   */
  forbiddenValueEdits(expression: ts.Expression): Edit[] | undefined {
    const edits = this.forbiddenEdits(expression);
    if (edits) return edits;
    const node = skipOuter(expression);
    const branches =
      ts.isConditionalExpression(node) ||
      ts.isIdentifier(node) ||
      (ts.isBinaryExpression(node) &&
        (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
          node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken));
    if (!branches) return undefined;
    const evaluation = this.evaluate(node);
    return evaluation.kind === 'forbidden' ? evaluation.edits : undefined;
  }

  /**
   * The number a status operand holds: a literal (`403`, `0x193`), or a name this file's evaluation reads as a
   * number (a constant of the file or imported from the project, an enum member, a table entry, a status
   * library's constant: `DENIED`, `HttpStatus.FORBIDDEN`, `StatusCodes.UNAUTHORIZED`, `CODES.denied`).
   * Undefined for anything else (a call, a run-time value, a string). Reads only the one expression.
   */
  statusValue(expression: ts.Expression): number | undefined {
    const node = skipOuter(expression);
    const direct = literalNumber(node);
    if (direct !== undefined) return direct;
    if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node))
      return undefined;
    const folded = this.fold(node, true);
    return typeof folded?.value === 'number' && Number.isInteger(folded.value) ? folded.value : undefined;
  }

  /**
   * The edits that turn a 403-valued expression into the target, or undefined when the expression is not 403:
   * literals (`403`, `0x193`, `'403'`), library constants, project constants (rewritten at the use site).
   */
  forbiddenEdits(expression: ts.Expression): Edit[] | undefined {
    const node = skipOuter(expression);
    const target = this.target;
    if (ts.isNumericLiteral(node)) {
      return numericValue(node) === 403
        ? [this.replace(node, String(target)), ...this.castTypeEdits(expression, node)]
        : undefined;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (node.text !== '403') return undefined;
      const raw = node.getText(this.sourceFile);
      return [
        this.replace(node, `${raw[0]}${target}${raw[raw.length - 1]}`),
        ...this.castTypeEdits(expression, node),
      ];
    }
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
      return this.memberEdits(node);
    if (ts.isIdentifier(node)) return this.identifierEdits(node);
    return this.foldedEdits(node);
  }

  /**
   * A constant expression of literals alone that is 403 (`400 + 3`, `806 / 2`, `Number('403')`,
   * `parseInt('403', 10)`, `+'403'`, `` `${403}` ``, `'4' + '03'`; analysis/fold.ts): the whole expression becomes
   * the target, as a number, or as a string when it folds to the string `'403'` (a template keeps its backticks).
   * A conversion of a 403 alone keeps the conversion: `Number('401')`, `Number(String(StatusCodes.UNAUTHORIZED))`.
   */
  private foldedEdits(node: ts.Expression): Edit[] | undefined {
    if (!isFoldable(node)) return undefined;
    // `Number('403')`, `parseInt('403', 10)`, `+'403'`, `Number(String(StatusCodes.FORBIDDEN))`: the value inside
    // the conversions is edited and the conversions kept (`Number('401')`).
    let inner: ts.Expression = node;
    for (let operand = sameValueOperand(inner, true); operand; operand = sameValueOperand(inner, true))
      inner = operand;
    const edits = inner === node ? undefined : this.forbiddenEdits(inner);
    if (edits) return edits;
    const folded = this.fold(node, false);
    if (!folded?.pure || !isForbidden(folded.value)) return undefined;
    if (typeof folded.value === 'number') return [this.replace(node, String(this.target))];
    const quote = ts.isTemplateExpression(node) ? '`' : quoteOf(node, this.sourceFile);
    return [this.replace(node, `${quote}${this.target}${quote}`)];
  }

  /**
   * The value `node` folds to (analysis/fold.ts); with `names`, names of constants this file or its imports
   * declare are read too (`CLIENT_ERROR + 3`, `Http.Unauthorized + 2`), and the result is not pure.
   */
  private fold(node: ts.Expression, names: boolean): Folded | undefined {
    const shadowed = (name: string, at: ts.Node): boolean =>
      this.fileImports.importOf(name) !== undefined ||
      this.constants.findDeclaration(name, at) !== undefined ||
      declaresFunction(this.sourceFile, name);
    const lookup = names
      ? (read: ts.Identifier | ts.PropertyAccessExpression | ts.ElementAccessExpression) => {
          if (ts.isIdentifier(read))
            return (
              this.constants.localConstant(read)?.value ??
              this.constants.importedConstant(read)?.value ??
              this.destructuredValue(read)
            );
          const library = this.constants.libraryConstant(read)?.value;
          if (library !== undefined) return library >= 0 ? library : undefined;
          return this.constants.localMember(read)?.value ?? this.constants.importedMember(read)?.value;
        }
      : undefined;
    return foldConstant(node, lookup, shadowed);
  }

  /**
   * A literal 403 written as a cast's type between the slot and its literal (`403 as 403`,
   * `<403>403`, `403 satisfies 403`) changes with the literal: `401 as 403` does not compile (TS2352).
   * Wider types (`403 as StatusCode`, `as const`) are left alone.
   */
  private castTypeEdits(expression: ts.Expression, literal: ts.Expression): Edit[] {
    const edits: Edit[] = [];
    for (let node: ts.Node = literal; node !== expression && node.parent; node = node.parent) {
      const cast = node.parent;
      if (!ts.isAsExpression(cast) && !ts.isSatisfiesExpression(cast) && !ts.isTypeAssertionExpression(cast))
        continue;
      const type = cast.type;
      if (!ts.isLiteralTypeNode(type)) continue;
      const value = type.literal;
      if (ts.isNumericLiteral(value) && numericValue(value) === 403)
        edits.push(this.replace(value, String(this.target)));
      else if (ts.isStringLiteral(value) && value.text === '403') {
        const raw = value.getText(this.sourceFile);
        edits.push(this.replace(value, `${raw[0]}${this.target}${raw[raw.length - 1]}`));
      }
    }
    return edits;
  }

  /**
   * Whether the expression is a number: a numeric literal, a local numeric constant or enum member, or a
   * status library's constant. String literals (`'403'`) are not.
   */
  isNumeric(expression: ts.Expression): boolean {
    const node = skipOuter(expression);
    if (ts.isNumericLiteral(node)) return true;
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const library = this.constants.libraryConstant(node);
      if (library) return library.value >= 0;
      const member = this.constants.localMember(node);
      return member !== undefined && this.constants.memberIsNumber(node);
    }
    if (ts.isIdentifier(node)) {
      const binding = this.fileImports.importOf(node.text);
      if (binding) return namesStatusConstants(binding.module) || binding.module === 'http2';
      if (this.destructuredValue(node) !== undefined) return true;
      const declaration = this.constants.findDeclaration(node.text, node);
      return Boolean(
        declaration &&
        ts.isVariableDeclaration(declaration) &&
        declaration.initializer &&
        ts.isNumericLiteral(skipOuter(declaration.initializer)),
      );
    }
    return false;
  }

  /** Whether the expression is a known status (literal or constant), 403 or not. */
  isKnownStatus(expression: ts.Expression): boolean {
    const node = skipOuter(expression);
    if (ts.isNumericLiteral(node) || ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
      return true;
    // `400 + 4`, `Number('404')`: a constant of literals alone (a 403 one is rewritten before this is asked).
    if (isFoldable(node)) {
      const folded = this.fold(node, false);
      if (folded?.pure && !isForbidden(folded.value)) return true;
    }
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      return (
        this.constants.libraryConstant(node) !== undefined ||
        this.constants.localMember(node) !== undefined ||
        this.constants.importedMember(node) !== undefined ||
        nestedLocalValue(this.constants, node, this.target) !== undefined
      );
    }
    if (ts.isIdentifier(node)) {
      if (node.text === 'undefined') return true;
      return (
        this.constants.localConstant(node) !== undefined ||
        namesStatusConstants(this.fileImports.importOf(node.text)?.module ?? '') ||
        this.constants.importedConstant(node) !== undefined ||
        this.destructuredValue(node) !== undefined
      );
    }
    return false;
  }

  /**
   * `const { message, statusCode } = errorData` (or `const statusCode = errorData.statusCode`) in the body of
   * the function whose parameter `errorData` is: the name is that parameter's key. Also when a string parameter
   * is first made an object (`const { code, status = 400 } = typeof input === 'string' ? { code: input } : input`,
   * Logto's RequestError), or an object read later (`const options = input || {}` then `options.status`, with
   * `read` the key read): see {@link parameterBranch}. Only a `const` at the top of the body, before any
   * statement can reassign the parameter.
   */
  private destructuredParameter(
    node: ts.Identifier,
    fn: FunctionLike,
    read?: string,
  ): Extract<Evaluation, { kind: 'param' }> | undefined {
    const body = fn.body;
    if (!body || !ts.isBlock(body) || !constNamesOf(body).has(node.text)) return undefined;
    for (const statement of body.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && skipOuter(declaration.initializer);
        let owner: ts.Expression | undefined;
        let key: string | undefined;
        if (ts.isObjectBindingPattern(declaration.name) && init) {
          const element = declaration.name.elements.find(
            (e) => ts.isIdentifier(e.name) && e.name.text === node.text && !e.dotDotDotToken,
          );
          const name = element && (element.propertyName ?? element.name);
          if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) {
            owner = init;
            key = name.text;
          }
        } else if (ts.isIdentifier(declaration.name) && declaration.name.text === node.text && init) {
          if (ts.isPropertyAccessExpression(init)) {
            owner = init.expression;
            key = init.name.text;
          } else if (read !== undefined) {
            // `const options = input || { code: 'x' }` then `options.status`: the key is the read's.
            const through = parameterBranch(init, read);
            const index = fn.parameters.findIndex(
              (p: ts.ParameterDeclaration) =>
                ts.isIdentifier(through) && ts.isIdentifier(p.name) && p.name.text === through.text,
            );
            if (through !== init && index >= 0 && declaration.getStart() < node.getStart())
              return { kind: 'param', fn, index, name: (through as ts.Identifier).text, property: read };
          }
        }
        if (owner && key !== undefined) owner = parameterBranch(owner, key);
        if (!owner || key === undefined || !ts.isIdentifier(owner)) continue;
        const index = fn.parameters.findIndex(
          (p: ts.ParameterDeclaration) => ts.isIdentifier(p.name) && p.name.text === owner.text,
        );
        if (index >= 0 && declaration.getStart() < node.getStart())
          return { kind: 'param', fn, index, name: owner.text, property: key };
      }
    }
    return undefined;
  }

  /**
   * A parameter of the enclosing function: `status`, a destructured key (`({ status = 400 }) => …`), or a key of
   * an options parameter (`opts.status`).
   */
  parameterOf(expression: ts.Expression): Extract<Evaluation, { kind: 'param' }> | undefined {
    const node = skipOuter(expression);
    if (ts.isIdentifier(node)) {
      // The enclosing function's, or an outer one's a returned middleware captures (analysis/captured.ts).
      for (const fn of capturingFunctions(node, node.text)) {
        const found = this.ownParameter(node, fn);
        if (found !== 'none') return found;
      }
      return undefined;
    }
    // `this.status` (or `this.opts.status`) a constructor filled from its parameter, read by a method.
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const value = constructorValueOf(node);
      return value && skipOuter(value) !== node ? this.parameterOf(value) : undefined;
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.expression.kind === ts.SyntaxKind.ThisKeyword
    ) {
      const owner = this.parameterOf(node.expression);
      return owner && owner.property === undefined ? { ...owner, property: node.name.text } : undefined;
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const owner = this.parameterOf(node.expression);
      if (owner && owner.property === undefined) return { ...owner, property: node.name.text };
      const fn = owner ? undefined : enclosingFunction(node);
      if (fn) return this.destructuredParameter(node.expression, fn, node.name.text);
    }
    return undefined;
  }

  /** `node` as a parameter of `fn` (a name or a destructured key); 'none' when `fn` does not bind it. */
  private ownParameter(
    node: ts.Identifier,
    fn: FunctionLike,
  ): Extract<Evaluation, { kind: 'param' }> | undefined | 'none' {
    for (const [index, parameter] of fn.parameters.entries()) {
      // `findAll(@Query('status') status: string)`: a decorated parameter is filled by the framework from the
      // request (Nest, routing-controllers, tsoa), never by a caller of the method: a run-time status.
      if (ts.isIdentifier(parameter.name) && parameter.name.text === node.text)
        return ts.getDecorators(parameter)?.length
          ? undefined
          : { kind: 'param', fn, index, name: node.text };
      if (ts.isObjectBindingPattern(parameter.name)) {
        for (const element of parameter.name.elements) {
          if (!ts.isIdentifier(element.name) || element.name.text !== node.text || element.dotDotDotToken)
            continue;
          const key = element.propertyName ?? element.name;
          if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return undefined;
          return { kind: 'param', fn, index, name: node.text, property: key.text };
        }
      }
    }
    return this.destructuredParameter(node, fn) ?? 'none';
  }

  private memberEdits(node: MemberRead): Edit[] | undefined {
    const read = staticMember(node);
    if (!read) return this.keyedEdits(node);
    const library = this.constants.libraryConstant(node);
    if (library !== undefined) {
      if (library.value !== 403) return undefined;
      const name = library.names[this.target];
      return [name ? this.renameMember(read, name) : this.literalMember(node)];
    }
    const local = this.constants.localMember(node) ?? this.constants.importedMember(node);
    if (!local) return this.nestedEdits(node);
    if (local.value !== 403) return undefined;
    // Rename to a sibling member holding the target when the map has one; never edit the definition here
    // (one that only rewritten reads use is edited instead at planning, analysis/kept-names.ts).
    const sibling = local.siblings.get(this.target);
    return [sibling ? this.renameMember(read, sibling) : this.literalMember(node)];
  }

  /**
   * `CODES[K]` with a key this file fixes (`const K = 'FORBIDDEN'`; constant-keys.ts): 403 when the table's entry
   * under that key is, and the whole read becomes the target's literal (the key's name may be read elsewhere,
   * so it is not renamed). Session 36: such a read was named as "a key known only at run time".
   */
  private keyedEdits(node: MemberRead): Edit[] | undefined {
    const read = this.constants.memberRead(node);
    if (!read) return undefined;
    const value =
      this.constants.libraryConstant(node)?.value ??
      this.constants.localMember(node)?.value ??
      this.constants.importedMember(node)?.value;
    if (value !== 403) return undefined;
    const edit = this.replace(node, String(this.target));
    let root: ts.Expression = skipOuter(read.owner);
    for (let member = staticMember(root); member; member = staticMember(root)) root = skipOuter(member.owner);
    const drops = this.chainDrops(root);
    if (drops.length) this.editImports.set(edit, drops);
    return [edit];
  }

  /**
   * `Http.ReturnCodes.FORBIDDEN.CODE` of a nested table of this file (analysis/nested-tables.ts): the key renamed
   * to the sibling that reaches the target (`Http.ReturnCodes.UNAUTHORIZED.CODE`), else the target's literal.
   */
  private nestedEdits(node: MemberRead): Edit[] | undefined {
    const nested = nestedLocalValue(this.constants, node, this.target);
    if (!nested || nested.value !== 403) return undefined;
    const sibling = nested.sibling;
    if (!sibling) return [this.literalMember(node)];
    // The accesses of the path, its first key first: the one at the sibling's index is renamed.
    const reads: StaticMember[] = [];
    for (let read = staticMember(skipOuter(node)); read; read = staticMember(skipOuter(read.owner)))
      reads.unshift(read);
    const read = reads[sibling.index];
    return [read ? this.renameMember(read, sibling.name) : this.literalMember(node)];
  }

  /**
   * `Http.Forbidden` -> the target's literal; the table's named import (`import { Http } from './constants'`)
   * is dropped once no other use is left, so no unused import stays behind (TS6133 under noUnusedLocals); since
   * session 30 a default import too (`import HttpStatus from 'http-status-enum'` with no 451 member).
   */
  private literalMember(node: MemberRead): Edit {
    const edit = this.replace(node, String(this.target));
    let root: ts.Expression = skipOuter(node);
    for (let member = staticMember(root); member; member = staticMember(root)) root = skipOuter(member.owner);
    const drops = this.chainDrops(root);
    if (drops.length) this.editImports.set(edit, drops);
    return edit;
  }

  /** `X.FORBIDDEN` -> `X.UNAUTHORIZED`; `X['FORBIDDEN']` -> `X['UNAUTHORIZED']` (its own quotes kept). */
  private renameMember(read: StaticMember, name: string): Edit {
    if (ts.isIdentifier(read.nameNode) || ts.isPrivateIdentifier(read.nameNode))
      return this.replace(read.nameNode, name);
    const raw = read.nameNode.getText(this.sourceFile);
    return this.replace(read.nameNode, `${raw[0]}${name}${raw[raw.length - 1]}`);
  }

  /**
   * The value of a name bound by destructuring a status table (`const { HTTP_STATUS_FORBIDDEN } =
   * http2.constants`, `const { FORBIDDEN } = StatusCodes`, a project object or enum, frozen or not, in this file
   * or imported), or undefined when the name is not such a binding or its value is not known.
   */
  private destructuredValue(node: ts.Identifier): number | undefined {
    const bound = this.constants.destructured(node);
    if (!bound) return undefined;
    const owner = aliasedTable(bound.owner, (name, from) => this.constants.findDeclaration(name, from));
    return (
      this.constants.libraryValue(owner, bound.key)?.value ??
      this.constants.localValue(owner, bound.key, node)?.value ??
      this.constants.importedValue(owner, bound.key, node)?.value
    );
  }

  private identifierEdits(node: ts.Identifier): Edit[] | undefined {
    const binding = this.fileImports.importOf(node.text);
    if (
      (binding && namesStatusConstants(binding.module) && binding.name === 'FORBIDDEN') ||
      (binding?.module === 'http2' && binding.name === 'HTTP_STATUS_FORBIDDEN')
    )
      return [this.literalDroppingName(node)];
    const local = this.constants.localConstant(node);
    if (local) {
      if (local.value !== 403) return undefined;
      const sibling = local.siblings.get(this.target);
      return [this.replace(node, sibling ?? String(this.target))];
    }
    // `const { HTTP_STATUS_FORBIDDEN } = http2.constants`: the use becomes the literal.
    const destructured = this.destructuredValue(node);
    if (destructured !== undefined) {
      if (destructured !== 403) return undefined;
      return [this.literalDroppingName(node)];
    }
    const imported = this.constants.importedConstant(node);
    if (!imported || imported.value !== 403) return undefined;
    return [this.importedEdit(node, imported)];
  }

  /**
   * `F` -> the target's literal, where `F` is a 403 bound by destructuring a status table (`const { FORBIDDEN: F }
   * = StatusCodes`, `= http2.constants`) or imported by name (`import { FORBIDDEN } from 'http-status-codes'`):
   * the binding goes once no other use of it is left (destructured-drops.ts, import-edits.ts), so no unused name
   * stays (TS6133 under noUnusedLocals).
   */
  private literalDroppingName(node: ts.Identifier): Edit {
    const edit = this.replace(node, String(this.target));
    const destructured = destructuredDrop(this.sourceFile, node);
    const drop =
      destructured ??
      (this.imports.get(node.text)?.namedImports && !this.constants.findDeclaration(node.text, node)
        ? importNeed(this, node.text, node.text)
        : undefined);
    const owner = destructured && this.constants.destructured(node)?.owner;
    if (drop) this.editImports.set(edit, [drop, ...(owner ? this.chainDrops(owner) : [])]);
    return edit;
  }

  /** The alias and import a removed read of `owner` may leave unread (destructured-drops.ts `aliasChainDrops`). */
  private chainDrops(owner: ts.Expression): ImportNeed[] {
    return aliasChainDrops(
      this.sourceFile,
      owner,
      (name, from) => this.constants.findDeclaration(name, from),
      (name) =>
        importNeed(this, name, name) ??
        (this.imports.get(name)?.name === 'default' ? defaultImportDrop(this.sourceFile, name) : undefined),
    );
  }

  /**
   * The use of an imported 403 constant becomes the module's sibling for the target (`UNAUTHORIZED`, with the
   * import renamed or added; under a free alias when the name is taken here), else, with no sibling, the literal
   * (the import dropped once unused).
   * The shared declaration is never edited: other routes may still mean 403.
   */
  private importedEdit(node: ts.Identifier, imported: ImportedConstant): Edit {
    const sibling = imported.siblings.get(this.target);
    // The sibling already imported under another name (`UNAUTHORIZED as U`) is used under that name.
    const module = this.imports.get(node.text)?.module;
    const reused =
      sibling !== undefined && module !== undefined
        ? boundLocalName(this.imports, module, sibling)
        : undefined;
    const free =
      reused !== undefined ||
      (sibling !== undefined && !this.imports.has(sibling) && !this.constants.findDeclaration(sibling, node));
    // The sibling's name taken here (a local `UNAUTHORIZED`, another module's import): imported under a free
    // alias (`UNAUTHORIZED as CodesUNAUTHORIZED`), as a renamed class is, rather than the literal.
    const name =
      reused ??
      (free || sibling === undefined || module === undefined ? sibling : localNameFor(this, module, sibling));
    const need = name !== undefined ? importNeed(this, node.text, name, sibling) : undefined;
    if (need && name !== undefined) {
      const edit = this.replace(node, name);
      this.editImports.set(edit, [need]);
      return edit;
    }
    const edit = this.replace(node, String(this.target));
    const drop =
      importNeed(this, node.text, node.text) ??
      (this.imports.get(node.text)?.name === 'default'
        ? defaultImportDrop(this.sourceFile, node.text)
        : undefined);
    if (drop) this.editImports.set(edit, [drop]);
    return edit;
  }
}

/**
 * What a 403 choice holds beside its 403 (`passes`: a run-time branch; `param`: a parameter of the enclosing
 * function, `code` of `denied ? 403 : code` or `code || 403`), from its branches' evaluations; a nested 403 choice
 * gives its own.
 */
function besides(
  branches: Evaluation[],
  nodes: ts.Expression[],
): Pick<Extract<Evaluation, { kind: 'forbidden' }>, 'passes' | 'param'> {
  let passes: ts.Expression | undefined;
  let param: Extract<Evaluation, { kind: 'forbidden' }>['param'];
  branches.forEach((branch, index) => {
    const node = nodes[index];
    if (branch.kind === 'dynamic') passes ??= node;
    else if (branch.kind === 'param') param ??= { evaluation: branch, node };
    else if (branch.kind === 'forbidden') {
      passes ??= branch.passes;
      param ??= branch.param;
    }
  });
  return { ...(passes ? { passes } : {}), ...(param ? { param } : {}) };
}

/** The evaluation of a choice between values: any 403 branch wins, then a parameter, then dynamic. */
function combine(evaluations: Evaluation[]): Evaluation {
  const edits = evaluations.flatMap((e) => (e.kind === 'forbidden' ? e.edits : []));
  if (edits.length) return { kind: 'forbidden', edits };
  return (
    evaluations.find((e) => e.kind === 'param') ??
    evaluations.find((e) => e.kind === 'dynamic') ?? { kind: 'static' }
  );
}

/**
 * The expression an options object is read from, with a fallback that cannot hold `key` seen through: in
 * `typeof input === 'string' ? { code: input } : input`, `input ?? {}` or `input || { code: 'x' }`, the only
 * branch that can give `key` is `input`, so a caller's `{ status: 403 }` is what the read gets. Any other
 * expression is returned as it is; a fallback object that names `key` (or spreads) is left alone.
 */
function parameterBranch(owner: ts.Expression, key: string): ts.Expression {
  const lacksKey = (branch: ts.Expression): boolean => {
    const object = skipOuter(branch);
    return (
      ts.isObjectLiteralExpression(object) &&
      object.properties.every(
        (p) =>
          !ts.isSpreadAssignment(p) &&
          p.name !== undefined &&
          (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
          p.name.text !== key,
      )
    );
  };
  const pick = (a: ts.Expression, b: ts.Expression): ts.Expression | undefined => {
    const [first, second] = [skipOuter(a), skipOuter(b)];
    if (ts.isIdentifier(first) && lacksKey(second)) return first;
    if (ts.isIdentifier(second) && lacksKey(first)) return second;
    return undefined;
  };
  if (ts.isConditionalExpression(owner)) return pick(owner.whenTrue, owner.whenFalse) ?? owner;
  if (
    ts.isBinaryExpression(owner) &&
    (owner.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      owner.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
    ts.isIdentifier(skipOuter(owner.left)) &&
    lacksKey(owner.right)
  )
    return skipOuter(owner.left);
  return owner;
}

/** An expression constant folding may give a value that a literal check does not: arithmetic, a conversion, a template. */
function isFoldable(node: ts.Expression): boolean {
  return (
    ts.isBinaryExpression(node) ||
    ts.isPrefixUnaryExpression(node) ||
    ts.isCallExpression(node) ||
    ts.isTemplateExpression(node)
  );
}

/** 403 as a status slot reads it: the number, or the string `'403'`. */
function isForbidden(value: number | string): boolean {
  return value === 403 || value === '403';
}

/** The quote of the first string literal in `node` (`'` when none). */
function quoteOf(node: ts.Node, sourceFile: ts.SourceFile): string {
  let quote: string | undefined;
  const visit = (child: ts.Node): void => {
    if (quote) return;
    if (ts.isStringLiteral(child) || ts.isNoSubstitutionTemplateLiteral(child))
      quote = child.getText(sourceFile)[0];
    else child.forEachChild(visit);
  };
  visit(node);
  return quote ?? "'";
}

/**
 * The names a block's own `const` statements bind (plain names, and the names of an object pattern's elements other
 * than a rest), made once per block: `destructuredParameter` looks only at those statements, for every name read
 * in a function and in each function around it, and a test file's `describe(() => { … })` body of thousands of
 * statements made that quadratic.
 */
const constNames = new WeakMap<ts.Block, ReadonlySet<string>>();
function constNamesOf(body: ts.Block): ReadonlySet<string> {
  let names = constNames.get(body);
  if (names) return names;
  const found = new Set<string>();
  for (const statement of body.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const))
      continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name)) found.add(declaration.name.text);
      else if (ts.isObjectBindingPattern(declaration.name))
        for (const element of declaration.name.elements)
          if (ts.isIdentifier(element.name) && !element.dotDotDotToken) found.add(element.name.text);
    }
  }
  names = found;
  constNames.set(body, names);
  return names;
}

/** Whether the file declares a function or class named `name` anywhere (a local `Number` or `parseInt`). */
function declaresFunction(sourceFile: ts.SourceFile, name: string): boolean {
  return functionNamesIn(sourceFile).has(name);
}

/**
 * The names of the functions and classes a file declares anywhere, and of its plain identifier parameters,
 * collected once per file: `declaresFunction` is asked for every conversion call a run folds, and walking a large
 * file per question made one 14,800-line test file take seconds.
 */
const functionNames = new WeakMap<ts.SourceFile, ReadonlySet<string>>();
function functionNamesIn(sourceFile: ts.SourceFile): ReadonlySet<string> {
  let names = functionNames.get(sourceFile);
  if (names) return names;
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name)
      found.add(node.name.text);
    else if (ts.isParameter(node) && ts.isIdentifier(node.name)) found.add(node.name.text);
    node.forEachChild(visit);
  };
  visit(sourceFile);
  names = found;
  functionNames.set(sourceFile, names);
  return names;
}
