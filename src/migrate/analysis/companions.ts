import ts from '../../typescript.cjs';
import { CONSTANT_NAMES, phraseTableHas, reasonPhrase } from '../status-names.js';
import type { Edit } from '../types.js';
import { returnedBodies, type UnreadBodyValue } from './returned-bodies.js';
import { isPhraseTable, type Constants } from './constants.js';
import type { StatusEvaluator } from './evaluation.js';
import type { FileImports } from './file-imports.js';
import {
  expressionRoot,
  isFunctionBoundary,
  replaceNode,
  rootIdentifier,
  sameCase,
  skipOuter,
} from './syntax.js';

/** Body keys that mirror the status (`{ statusCode: 403 }`): rewritten with it. */
const MIRROR_STATUS_KEYS = new Set(['statusCode', 'status', 'code', 'httpStatus', 'httpStatusCode']);
/** Keys whose value is an error code that may spell the status name (`code: 'FORBIDDEN'`). */
const CODE_KEYS = new Set([
  'code',
  'error',
  'errorCode',
  'error_code',
  'type',
  'reason',
  'status',
  'statusText',
  'statusMessage',
]);
/** Translation helpers: their string argument is a key, not text (`t('Forbidden')`). */
const TRANSLATION_CALLS = /^(t|i18n|__|_t|translate|gettext|formatMessage|intl)$/;

/**
 * Companions of a status (DESIGN §6 "Companions follow"): the reason phrase, bodies that say it and body
 * mirrors of the status, in the same expression and in the neighbour statements on the same receiver.
 */
export class Companions {
  constructor(
    private readonly sourceFile: ts.SourceFile,
    /** The agreed status. */
    private readonly target: number,
    private readonly imports: FileImports,
    private readonly constants: Constants,
    private readonly evaluator: StatusEvaluator,
  ) {}

  /**
   * A reason-phrase edit for a string literal (`'Forbidden'` -> `'Unauthorized'`), keeping its quotes. A phrase
   * holding the quote (`I'm a Teapot` for 418) is escaped for it; in a JSX attribute, which takes no escapes, the
   * other quote is used. Before session 39 the phrase was written raw and the run fell back to "would add a
   * syntax error".
   */
  phraseEdit(node: ts.Node, phrase: string): Edit {
    const raw = node.getText(this.sourceFile);
    return replaceNode(this.sourceFile, node, quotedLike(raw, phrase, ts.isJsxAttribute(node.parent)));
  }

  /**
   * G6/G7 companions of a status: reason phrases (`statusText: 'Forbidden'`, `ReasonPhrases.FORBIDDEN`,
   * `STATUS_CODES[403]`, `httpStatus[httpStatus.FORBIDDEN]`, hapi `.message('Forbidden')`), bodies that say the
   * phrase (`'Forbidden'`, `{ message: 'Forbidden' }`, `{ code: 'FORBIDDEN' }`) and literal body mirrors
   * (`{ statusCode: 403 }`), in the same expression and in the statements next to it that act on the same
   * receiver (`res.writeHead(403); res.end('Forbidden')`, `ctx.status = 403; ctx.message = 'Forbidden'`).
   */
  companionEdits(form: ts.Node): Edit[] {
    const root = expressionRoot(form);
    const edits = this.companionsIn(root);
    for (const statement of this.neighbourStatements(root)) edits.push(...this.companionsIn(statement));
    return edits;
  }

  /** The text the response of a form spans: its expression and the neighbour statements on the same receiver. */
  companionCover(form: ts.Node): { start: number; end: number } {
    const root = expressionRoot(form);
    const parts = [root, ...this.neighbourStatements(root)];
    return {
      start: Math.min(...parts.map((p) => p.getStart(this.sourceFile))),
      end: Math.max(...parts.map((p) => p.getEnd())),
    };
  }

  /** Companions inside one body expression alone (an exception's object argument), not its enclosing call. */
  bodyEdits(body: ts.Expression): Edit[] {
    return this.companionsIn(body);
  }

  /**
   * Companions in the bodies a decorated route method returns, for the status its decorator sets on every
   * successful answer (Nest, routing-controllers and Midway `@HttpCode(403)`): each `return { … }` of the method,
   * and each `return body` of a local holding only object literals (`const body = { … }`; since session 48 also
   * `let body = { … }; if (q) body = { … }`), is the body sent with that status, so its mirrors (`statusCode:
   * 403`, `error: 'Forbidden'`) change with it. Before session 47 the decorator was rewritten alone and a
   * `statusCode: 403` mirror read as a result a caller sends later. Empty when the decorator is not on a method
   * with a body. `unread`: the values of a returned `let` that are no object literal (returned-bodies.ts), when a
   * literal body of that `let` mirrors the 403.
   */
  returnedBodyEdits(decorator: ts.Decorator): { edits: Edit[]; unread: UnreadBodyValue[] } {
    const method = decorator.parent;
    if (!ts.isMethodDeclaration(method) || !method.body) return { edits: [], unread: [] };
    const { objects, unread } = returnedBodies(method.body);
    // A value is worth naming only beside bodies that mirror the 403 (`{ ok: false }` says nothing of it).
    const mirrored = unread.filter((u) => u.bodies.some((body) => this.companionsIn(body).length > 0));
    return { edits: objects.flatMap((object) => this.companionsIn(object)), unread: mirrored };
  }

  /** `ReasonPhrases.FORBIDDEN` (stoker: `HttpStatusPhrases.FORBIDDEN`), `getReasonPhrase(403)`, `getStatusText(403)`, `STATUS_CODES[403]`. */
  phraseCompanion(node: ts.Node): Edit[] {
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'FORBIDDEN' &&
      ts.isIdentifier(node.expression)
    ) {
      if (isPhraseTable(this.imports.importOf(node.expression.text))) {
        const name = CONSTANT_NAMES[this.target];
        return name ? [replaceNode(this.sourceFile, node.name, name)] : [];
      }
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.arguments.length === 1) {
      const binding = this.imports.importOf(node.expression.text);
      if (
        binding?.module === 'http-status-codes' &&
        ['getReasonPhrase', 'getStatusText'].includes(binding.name)
      ) {
        // `getReasonPhrase(499)` throws: the 403 call stays, for the run to name.
        if (!phraseTableHas(this.target, 'http-status-codes')) return [];
        return this.evaluator.forbiddenEdits(node.arguments[0]) ?? [];
      }
    }
    if (
      ts.isElementAccessExpression(node) &&
      ((ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'STATUS_CODES') ||
        (ts.isIdentifier(node.expression) && this.constants.isStatusTable(node.expression.text)))
    ) {
      // `STATUS_CODES[499]`, `httpStatus[499]` are undefined: the 403 lookup stays, for the run to name.
      return phraseTableHas(this.target, 'status-codes') ? this.lookupKeyEdits(node.argumentExpression) : [];
    }
    if (ts.isElementAccessExpression(node)) {
      // `StatusCodes[403]`, `HttpStatus[HttpStatus.FORBIDDEN]`, `Codes[Codes.Forbidden]` (a numeric enum read
      // backwards: the member's name, `'FORBIDDEN'`): the name of the target's member, when the enum has one.
      // Before session 48 `StatusCodes[403]` stayed silently beside a rewritten status.
      const statuses = this.constants.reverseStatuses(node.expression, node);
      if (statuses?.has(this.target)) return this.evaluator.forbiddenEdits(node.argumentExpression) ?? [];
    }
    return [];
  }

  /**
   * Whether the code around a node already sets WWW-Authenticate (in its statement or another statement of
   * the same block): the challenge it chose is never overwritten, and needs no note.
   */
  setsChallenge(node: ts.Node): boolean {
    let current: ts.Node = node;
    while (
      current.parent &&
      !ts.isBlock(current.parent) &&
      !ts.isSourceFile(current.parent) &&
      !ts.isCaseClause(current.parent)
    )
      current = current.parent;
    const holder = current.parent;
    const scope = holder && !ts.isSourceFile(holder) ? holder : current;
    return /www-authenticate/i.test(scope.getText(this.sourceFile));
  }

  /** Companion edits inside one expression or statement (not crossing into nested functions). */
  private companionsIn(root: ts.Node): Edit[] {
    const edits: Edit[] = [];
    const visit = (node: ts.Node): void => {
      if (isFunctionBoundary(node)) return;
      if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
        // GraphQL `extensions.code` is a protocol code clients switch on, not a phrase.
        if (node.name.text === 'extensions') return;
        if (MIRROR_STATUS_KEYS.has(node.name.text))
          edits.push(...(this.evaluator.forbiddenEdits(node.initializer) ?? []));
      }
      // `const code = 403; res.status(code).json({ code })`: the shorthand mirrors the status as `code: code`
      // does (replaceNode writes `code: 401`; kept-names.ts moves the value to the declaration when every read
      // is rewritten). Before session 49 the status was rewritten and the body kept saying 403, unreported.
      if (ts.isShorthandPropertyAssignment(node) && MIRROR_STATUS_KEYS.has(node.name.text))
        edits.push(...(this.evaluator.forbiddenEdits(node.name) ?? []));
      if (ts.isPropertyAssignment(node)) edits.push(...this.statusKeyEdits(node));
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        const edit = this.bodyPhraseEdit(node);
        if (edit) edits.push(edit);
      }
      edits.push(...this.phraseCompanion(node));
      node.forEachChild(visit);
    };
    visit(root);
    return edits;
  }

  /**
   * A body key that is the status (`{ 403: 'Forbidden' }`, `{ '403': … }`, `{ [StatusCodes.FORBIDDEN]: … }`):
   * renamed with it, unless its object already has a key for the target (renaming would write that key twice;
   * such a map of statuses is text the census counts as a body).
   */
  private statusKeyEdits(node: ts.PropertyAssignment): Edit[] {
    const name = node.name;
    const target = String(this.target);
    const literalKey = (n: ts.PropertyName): string | undefined =>
      ts.isNumericLiteral(n) || ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)
        ? n.text
        : undefined;
    if (!ts.isObjectLiteralExpression(node.parent)) return [];
    if (node.parent.properties.some((p) => p.name !== undefined && literalKey(p.name) === target)) return [];
    if (ts.isComputedPropertyName(name)) return this.evaluator.forbiddenEdits(name.expression) ?? [];
    if (literalKey(name) !== '403') return [];
    if (ts.isNumericLiteral(name)) return [replaceNode(this.sourceFile, name, target)];
    const raw = name.getText(this.sourceFile);
    return [replaceNode(this.sourceFile, name, `${raw[0]}${target}${raw[raw.length - 1]}`)];
  }

  /**
   * A string that says the reason phrase of the status (`'Forbidden'`, `'Forbidden.'`, `'403 Forbidden'`) or
   * its constant name as an error code (`code: 'FORBIDDEN'`): rewritten to the target's. Keys, import paths and
   * translation keys (`t('Forbidden')`) are left alone.
   */
  private bodyPhraseEdit(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): Edit | undefined {
    const parent = node.parent;
    if (ts.isPropertyAssignment(parent) && parent.name === node) return undefined;
    if (ts.isCallExpression(parent) && parent.arguments.includes(node) && isTranslation(parent.expression))
      return undefined;
    if (
      ts.isElementAccessExpression(parent) ||
      ts.isLiteralTypeNode(parent) ||
      ts.isImportDeclaration(parent)
    )
      return undefined;
    const text = node.text;
    const phrase = reasonPhrase(this.target);
    if (text === '403 Forbidden') return this.phraseEdit(node, `${this.target} ${phrase}`);
    const word = /^(forbidden)([.!]?)$/i.exec(text);
    if (!word) return undefined;
    // 'Forbidden' as written by RFC 9110 anywhere in the response; 'FORBIDDEN' / 'forbidden' as a code value.
    const key =
      ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))
        ? parent.name.text
        : '';
    if (word[1] !== 'Forbidden' && !CODE_KEYS.has(key)) return undefined;
    return this.phraseEdit(node, `${sameCase(word[1], phrase)}${word[2]}`);
  }

  /**
   * Statements right before and after the one holding `root`, in the same block, that act on the same
   * receiver (`res`, `ctx`, `reply`, `err`): they describe the same response.
   */
  private neighbourStatements(root: ts.Node): ts.Statement[] {
    const statement =
      ts.isExpressionStatement(root.parent) || ts.isReturnStatement(root.parent) ? root.parent : undefined;
    const receiver = rootIdentifier(root);
    if (!statement || !receiver) return [];
    const block = statement.parent;
    if (
      !ts.isBlock(block) &&
      !ts.isSourceFile(block) &&
      !ts.isCaseClause(block) &&
      !ts.isDefaultClause(block)
    )
      return [];
    const statements = block.statements;
    const index = statements.indexOf(statement);
    const same = (s: ts.Statement): boolean => {
      const expression = ts.isExpressionStatement(s)
        ? s.expression
        : ts.isReturnStatement(s)
          ? s.expression
          : undefined;
      return Boolean(expression && rootIdentifier(expression) === receiver);
    };
    // A statement that sets a status or throws is another response (or its own site): the run stops there.
    const other = (s: ts.Statement): boolean =>
      /\.(status|code|sendStatus|writeHead|redirect|throw)\s*\(|\.(status|statusCode)\s*=[^=]|\bthrow\b/.test(
        s.getText(this.sourceFile),
      );
    const out: ts.Statement[] = [];
    let before = index - 1;
    for (; before >= 0 && same(statements[before]) && !other(statements[before]); before--)
      out.push(statements[before]);
    // `const response = h.response({ status: 403 }); response.code(403)` (hapi): the body built for the receiver
    // right before its status is set is that response's body.
    const built = statements[before];
    if (built && buildsReceiver(built, receiver) && !other(built)) out.push(built);
    let next = index + 1;
    for (; next < statements.length && same(statements[next]) && !other(statements[next]); next++)
      out.push(statements[next]);
    // `reply.code(403); return { status: 403, message }`: the object returned right after is the body a handler
    // sends with that status (Fastify, Elysia, h3, Nest passthrough) or a result mirroring the status the function
    // just set; its mirror keys change with the status. Before session 39 it was reported as a result sent later.
    const following = statements[next];
    if (following && returnsObject(following) && !other(following)) out.push(following);
    // `reply.code(403); const body = { status: 403 }; return body`: the object held for the return right after.
    else if (following && returnsHeld(following, statements[next + 1]) && !other(following))
      out.push(following);
    return out;
  }

  /** The key of a message lookup: `403`, `httpStatus.FORBIDDEN`, `'403_MESSAGE'`, `` `${httpStatus.FORBIDDEN}_NAME` ``. */
  private lookupKeyEdits(key: ts.Expression): Edit[] {
    const direct = this.evaluator.forbiddenEdits(key);
    if (direct) return direct;
    const node = skipOuter(key);
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      /^403_[A-Z_]+$/.test(node.text)
    ) {
      const start = node.getStart(this.sourceFile) + 1;
      return [{ start, end: start + 3, text: String(this.target) }];
    }
    if (ts.isTemplateExpression(node) && node.head.text === '') {
      return node.templateSpans.length === 1
        ? (this.evaluator.forbiddenEdits(node.templateSpans[0].expression) ?? [])
        : [];
    }
    return [];
  }
}

/** `const <receiver> = <call>(…)`: one declaration of the receiver, made by a call (a response builder). */
function buildsReceiver(statement: ts.Statement, receiver: string): boolean {
  if (!ts.isVariableStatement(statement)) return false;
  const [declaration, ...rest] = statement.declarationList.declarations;
  return (
    declaration !== undefined &&
    !rest.length &&
    ts.isIdentifier(declaration.name) &&
    declaration.name.text === receiver &&
    declaration.initializer !== undefined &&
    ts.isCallExpression(skipOuter(declaration.initializer))
  );
}

/** `return { … }` (through parentheses, `as`, `satisfies`, `await`): a plain object literal returned. */
function returnsObject(statement: ts.Statement): boolean {
  return (
    ts.isReturnStatement(statement) &&
    statement.expression !== undefined &&
    ts.isObjectLiteralExpression(skipOuter(statement.expression))
  );
}

/**
 * `const body = { … }` (one declaration of a plain object literal) followed by `return body`: the object a handler
 * names before returning it.
 */
function returnsHeld(statement: ts.Statement, after: ts.Statement | undefined): boolean {
  if (!ts.isVariableStatement(statement) || !after || !ts.isReturnStatement(after) || !after.expression)
    return false;
  const [declaration, ...rest] = statement.declarationList.declarations;
  const returned = skipOuter(after.expression);
  return (
    declaration !== undefined &&
    !rest.length &&
    ts.isIdentifier(declaration.name) &&
    declaration.initializer !== undefined &&
    ts.isObjectLiteralExpression(skipOuter(declaration.initializer)) &&
    ts.isIdentifier(returned) &&
    returned.text === declaration.name.text
  );
}

function isTranslation(callee: ts.Expression): boolean {
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : '';
  return TRANSLATION_CALLS.test(name);
}

/**
 * `text` as a literal of the same kind as `raw` (its first and last characters are the quotes): the quote, a
 * backslash and, in a template, `${` escaped. In a JSX attribute (`jsx`, no escapes there) a text holding the
 * quote takes the other quote.
 */
function quotedLike(raw: string, text: string, jsx: boolean): string {
  const open = raw[0];
  const close = raw[raw.length - 1];
  if (jsx) {
    const quote = text.includes(open) ? (open === '"' ? "'" : '"') : open;
    return `${quote}${text}${quote}`;
  }
  let body = text.replaceAll('\\', '\\\\').replaceAll(open, `\\${open}`);
  if (open === '`') body = body.replaceAll('${', '\\${');
  return `${open}${body}${close}`;
}
