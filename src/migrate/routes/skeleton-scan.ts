import ts from '../../typescript.cjs';
import { ROUTER_PARAM_NAMES, ROUTER_PARAM_TYPES } from './wiring.js';
import { NameRules } from './skeleton.js';
import { readRouteFacts } from './route-facts.js';
import type { RouteFacts, Tokens } from './route-fact-model.js';

export type { Tokens };

/**
 * `skeletonText` (skeleton.ts) made from the compiler's scanner (tokens) instead of a parsed tree: the text with
 * the statements of handler bodies blanked (spaces; line breaks kept, so every position and line is the same).
 * Measured on the 1,600 route files of the 16,000-route bench tree (6 MB, one process, loaded machine): 0.21-0.25 s
 * of CPU for every skeleton from tokens against 0.55-0.95 s for a whole parse and `skeletonText` (the bare
 * scanner: 0.17 s). The worker thread uses it (skeleton-worker.ts), and so does the main thread for the files it
 * trims itself (skeleton-tree.ts: a token pass and the parse of the skeleton text cost less than a whole parse).
 *
 * It blanks a body only where `trimmableBodies` would, never elsewhere: every condition below is the tree rule's
 * or stricter (a body it is not sure of is kept whole, which only keeps more of the tree alive), so the route
 * graph and the reach index answer on its skeleton as on the full tree (skeleton.ts says why). On plain code it
 * gives the same text as `skeletonText` (skeleton-scan.test.ts checks both on every fixture project).
 *
 * - The function: an arrow function (`[async] (params) => {`, `[async] x => {`) or a function expression
 *   without a return type annotation, that is a whole argument of a call or `new` (the argument ends with its
 *   body); the call's parentheses follow a callee (a name, `)`, `]`, `?.`), not a keyword (`if (`), a
 *   function's name (`function f(`) nor type arguments (`f<T>(`: not read here), and are not followed by a
 *   body or a return type (`m(x) {`: a method).
 * - Its parameters: no name that reads as a router (`ROUTER_PARAM_NAMES`), and no router type
 *   (`ROUTER_PARAM_TYPES`) anywhere in their text.
 * - Its body: no name (member names included) route wiring reads, no plumbing (`require`...), no `this`,
 *   `super`, `import`, decorator, no `]` followed by a call (`x[m](...)`), and, when it may hold a function,
 *   no router type anywhere in its text; and no name it uses (member names after `.` excepted) that occurs
 *   anywhere outside the functions that do not enclose it: a superset of the names the scopes around it
 *   declare (the scope tables `Project.lookup` reads), so no reference to a declaration outside can be lost.
 *
 * Returns undefined when the tokens cannot be read with certainty: a file that is not TypeScript without JSX
 * (`.ts`, `.mts`, `.cts`), a scanner error, unbalanced brackets, or a `/` whose meaning (division or a regular
 * expression) depends on the parse (after `}`, `++`, `await`...). The caller then parses the file whole and
 * uses `skeletonText`.
 */
export function scannedSkeletonText(
  fileName: string,
  text: string,
  wiringMethods: ReadonlySet<string>,
): string | undefined {
  return scannedSkeleton(fileName, text, wiringMethods)?.text;
}

/**
 * `scannedSkeletonText`, and with `factMethods` (`routeFactMethods(WIRINGS)`) the route facts of a file whose
 * registrations the tokens show whole (route-facts.ts): their statements are blanked too (spaces, line breaks
 * kept), so the tree parsed from the text holds the file's imports and router declarations and the facts hold its
 * routes. Undefined when the tokens cannot tell (as `scannedSkeletonText`).
 */
export function scannedSkeleton(
  fileName: string,
  text: string,
  wiringMethods: ReadonlySet<string>,
  factMethods?: ReadonlySet<string>,
): { text: string; facts?: RouteFacts } | undefined {
  if (!SCANNABLE.test(fileName)) return undefined;
  const tokens = scanTokens(text);
  scanner.setText(''); // the file's text is not kept
  if (!tokens) return undefined;
  const bodies = trimmableByTokens(tokens, text, wiringMethods);
  const read = factMethods ? readRouteFacts(fileName, text, tokens, bodies, factMethods) : undefined;
  // Character ranges to blank: the fact statements whole, and the bodies outside them (inside `{` ... `}`).
  const ranges: [number, number][] = [];
  if (read) {
    const statements = read.statements.map(([first, last]): [number, number] => [
      tokens.start[first],
      tokens.end[last],
    ]);
    let s = 0;
    for (const [open, close] of bodies) {
      const from = tokens.start[open] + 1;
      while (s < statements.length && statements[s][1] <= from) ranges.push(statements[s++]);
      if (s < statements.length && statements[s][0] <= from) continue; // inside a blanked statement
      ranges.push([from, tokens.start[close]]);
    }
    while (s < statements.length) ranges.push(statements[s++]);
  } else for (const [open, close] of bodies) ranges.push([tokens.start[open] + 1, tokens.start[close]]);
  if (!ranges.length) return { text };
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of ranges) {
    parts.push(text.slice(from, start));
    // Each run between line breaks becomes as many spaces; the breaks stay.
    let run = start;
    LINE_BREAKS.lastIndex = start;
    for (let found = LINE_BREAKS.exec(text); found && found.index < end; found = LINE_BREAKS.exec(text)) {
      parts.push(spaces(found.index - run), found[0]);
      run = found.index + 1;
    }
    parts.push(spaces(end - run));
    from = end;
  }
  parts.push(text.slice(from));
  return read ? { text: parts.join(''), facts: read.facts } : { text: parts.join('') };
}

/** TypeScript files without JSX: `.js` files may hold JSX (the parser reads them so), which a scanner cannot tell. */
const SCANNABLE = /\.[cm]?ts$/;
const LINE_BREAKS = /[\n\r\u2028\u2029]/g;
let SPACES = ' '.repeat(256);
/** `n` spaces (slices of one string, grown when a longer run comes). */
function spaces(n: number): string {
  while (SPACES.length < n) SPACES += SPACES;
  return SPACES.slice(0, n);
}

/** Syntax kinds as plain numbers: the tokens are kept in number arrays. */
const K: { readonly [Name in Exclude<keyof typeof ts.SyntaxKind, number>]: number } = ts.SyntaxKind;
const IDENTIFIER = K.Identifier;
const PRIVATE_IDENTIFIER = K.PrivateIdentifier;
const OPEN_PAREN = K.OpenParenToken;
const CLOSE_PAREN = K.CloseParenToken;
const OPEN_BRACKET = K.OpenBracketToken;
const CLOSE_BRACKET = K.CloseBracketToken;
const OPEN_BRACE = K.OpenBraceToken;
const CLOSE_BRACE = K.CloseBraceToken;
const TEMPLATE_HEAD = K.TemplateHead;
const TEMPLATE_MIDDLE = K.TemplateMiddle;
const TEMPLATE_TAIL = K.TemplateTail;
const DOT = K.DotToken;
const QUESTION_DOT = K.QuestionDotToken;
const COMMA = K.CommaToken;
const COLON = K.ColonToken;
const ARROW = K.EqualsGreaterThanToken;
const LESS_THAN = K.LessThanToken;
const GREATER_THAN = K.GreaterThanToken;
const ASTERISK = K.AsteriskToken;
const AT = K.AtToken;
const STRING = K.StringLiteral;
const NO_SUBSTITUTION_TEMPLATE = K.NoSubstitutionTemplateLiteral;
const FUNCTION_KEYWORD = K.FunctionKeyword;
const CLASS_KEYWORD = K.ClassKeyword;
const ASYNC_KEYWORD = K.AsyncKeyword;
const NEW_KEYWORD = K.NewKeyword;
const IMPORT_KEYWORD = K.ImportKeyword;
const THIS_KEYWORD = K.ThisKeyword;
const SUPER_KEYWORD = K.SuperKeyword;
const FIRST_KEYWORD = K.FirstKeyword;
const LAST_KEYWORD = K.LastKeyword;
/** Reserved words (`break` .. `with`) can never name a binding; the words after them can (`of`, `get`, `yield`...). */
const LAST_RESERVED_WORD = K.LastReservedWord;

const isKeyword = (kind: number): boolean => kind >= FIRST_KEYWORD && kind <= LAST_KEYWORD;
const isBindableWord = (kind: number): boolean =>
  kind === IDENTIFIER || (kind > LAST_RESERVED_WORD && kind <= LAST_KEYWORD);

/** Tokens before a `/` after which it divides (an operand ends there). */
const OPERAND_ENDS = new Set<number>([
  IDENTIFIER,
  PRIVATE_IDENTIFIER,
  K.NumericLiteral,
  K.BigIntLiteral,
  STRING,
  K.RegularExpressionLiteral,
  NO_SUBSTITUTION_TEMPLATE,
  TEMPLATE_TAIL,
  CLOSE_BRACKET,
  THIS_KEYWORD,
  SUPER_KEYWORD,
  K.NullKeyword,
  K.TrueKeyword,
  K.FalseKeyword,
]);
/** Keywords whose parenthesis is a statement's (`if (x) /re/.test(s)`: a regular expression after `)`). */
const STATEMENT_PARENS = new Set<number>([
  K.IfKeyword,
  K.WhileKeyword,
  K.ForKeyword,
  K.WithKeyword,
  K.SwitchKeyword,
  K.CatchKeyword,
]);
/** Words after which an operand follows (`await /re/`, `for (x of /re/...)`) though they may also be names. */
const OPERAND_BEFORE = new Set<number>([K.AwaitKeyword, K.YieldKeyword, K.OfKeyword]);
/** Words that are not a callee when `(` follows (`await (`, `x as (`, `for (a of (`). */
const NOT_CALLEES = new Set<number>([
  K.AwaitKeyword,
  K.YieldKeyword,
  K.OfKeyword,
  K.AsKeyword,
  K.SatisfiesKeyword,
  K.KeyOfKeyword,
  K.InferKeyword,
  K.IsKeyword,
  K.AssertsKeyword,
  K.UniqueKeyword,
  K.ReadonlyKeyword,
  ASYNC_KEYWORD,
]);

/** One scanner for every file (`setText` per file); `scanFailed` is set by its error callback. */
let scanFailed = false;
const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, '', () => {
  scanFailed = true;
});
/** Each keyword's text, by kind (no substring per keyword token). */
const KEYWORD_TEXT: string[] = [];
for (let kind = FIRST_KEYWORD; kind <= LAST_KEYWORD; kind++)
  KEYWORD_TEXT[kind] = ts.tokenToString(kind) ?? '';

function scanTokens(text: string): Tokens | undefined {
  scanFailed = false;
  scanner.setText(text);
  const kind: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const value: string[] = [];
  const lineBefore: boolean[] = [];
  const match: number[] = [];
  const open: number[] = [];
  for (;;) {
    let k: number = scanner.scan();
    if (k === K.EndOfFileToken) break;
    const i = kind.length;
    if (k === K.SlashToken || k === K.SlashEqualsToken) {
      const regex = slashStartsRegex(kind, match, i);
      if (regex === undefined) return undefined;
      if (regex) k = scanner.reScanSlashToken();
    } else if (k === CLOSE_BRACE && open.length) {
      const top = kind[open[open.length - 1]];
      if (top === TEMPLATE_HEAD || top === TEMPLATE_MIDDLE) k = scanner.reScanTemplateToken(false);
    }
    if (scanFailed) return undefined;
    kind.push(k);
    start.push(scanner.getTokenStart());
    end.push(scanner.getTokenEnd());
    value.push(k === IDENTIFIER ? scanner.getTokenValue() : isKeyword(k) ? KEYWORD_TEXT[k] : '');
    lineBefore.push(scanner.hasPrecedingLineBreak());
    match.push(-1);
    if (k === OPEN_PAREN || k === OPEN_BRACKET || k === OPEN_BRACE || k === TEMPLATE_HEAD) open.push(i);
    else if (k === CLOSE_PAREN || k === CLOSE_BRACKET || k === CLOSE_BRACE) {
      const o = open.pop();
      const expected = k === CLOSE_PAREN ? OPEN_PAREN : k === CLOSE_BRACKET ? OPEN_BRACKET : OPEN_BRACE;
      if (o === undefined || kind[o] !== expected) return undefined;
      match[o] = i;
      match[i] = o;
    } else if (k === TEMPLATE_MIDDLE || k === TEMPLATE_TAIL) {
      const o = open.pop();
      if (o === undefined || (kind[o] !== TEMPLATE_HEAD && kind[o] !== TEMPLATE_MIDDLE)) return undefined;
      match[o] = i;
      match[i] = o;
      if (k === TEMPLATE_MIDDLE) open.push(i);
    }
  }
  if (scanFailed || open.length) return undefined;
  return { kind, start, end, value, lineBefore, match: Int32Array.from(match) };
}

/** Whether a `/` at `i` starts a regular expression (else it divides); undefined when only a parse can tell. */
function slashStartsRegex(kind: readonly number[], match: readonly number[], i: number): boolean | undefined {
  if (i === 0) return true;
  const before = kind[i - 1];
  if (OPERAND_ENDS.has(before)) return false;
  if (before === CLOSE_PAREN) {
    const o = match[i - 1];
    const keyword = o > 0 ? kind[o - 1] : -1;
    return STATEMENT_PARENS.has(keyword) || (keyword === K.AwaitKeyword && kind[o - 2] === K.ForKeyword);
  }
  if (before === CLOSE_BRACE || before === K.PlusPlusToken || before === K.MinusMinusToken) return undefined;
  if (isKeyword(before)) {
    if (i > 1 && (kind[i - 2] === DOT || kind[i - 2] === QUESTION_DOT)) return false; // a member name
    if (before <= LAST_RESERVED_WORD) return true; // `return /x/`, `typeof /x/`
    return OPERAND_BEFORE.has(before) ? undefined : false;
  }
  return true;
}

/** A function the tokens show: its parameters and block body, and where the whole expression starts. */
interface FunctionSpan {
  /** First token of the expression (`async`, `function`, `(` or the lone parameter). */
  first: number;
  /** First token of the parameters (`(`, or the lone parameter of `x => {`). */
  params: number;
  /** The body's `{` and `}`. */
  open: number;
  close: number;
  /** Set while the names are sorted: names used directly in it (not inside a function nested in it). */
  names?: Set<string>;
  parent?: FunctionSpan;
}

function isMember(kind: readonly number[], i: number): boolean {
  const before = kind[i - 1];
  if (before !== DOT && before !== QUESTION_DOT) return false;
  // `new.target`, `import.meta`: a meta-property's name is looked up by the tree rule.
  const object = kind[i - 2];
  return !(before === DOT && (object === NEW_KEYWORD || object === IMPORT_KEYWORD));
}

/** The functions with block bodies the tokens show (arrow functions and `function` expressions/declarations). */
function functionsOf(tokens: Tokens): FunctionSpan[] {
  const { kind, match } = tokens;
  const out: FunctionSpan[] = [];
  const asyncBefore = (at: number): number =>
    at > 0 && kind[at - 1] === ASYNC_KEYWORD && !isMember(kind, at - 1) ? at - 1 : at;
  for (let i = 0; i < kind.length; i++) {
    const k = kind[i];
    if (k === ARROW) {
      if (kind[i + 1] !== OPEN_BRACE || i === 0) continue;
      const before = kind[i - 1];
      let params: number;
      if (before === CLOSE_PAREN) params = match[i - 1];
      else if (isBindableWord(before)) params = i - 1;
      else continue;
      out.push({ first: asyncBefore(params), params, open: i + 1, close: match[i + 1] });
    } else if (k === FUNCTION_KEYWORD) {
      let j = i + 1;
      if (kind[j] === ASTERISK) j++;
      if (isBindableWord(kind[j]) || kind[j] === IDENTIFIER) j++;
      if (kind[j] !== OPEN_PAREN) continue;
      const paramsClose = match[j];
      if (kind[paramsClose + 1] !== OPEN_BRACE) continue; // a return type, or a signature without a body
      out.push({ first: asyncBefore(i), params: j, open: paramsClose + 1, close: match[paramsClose + 1] });
    }
  }
  return out.sort((a, b) => a.params - b.params);
}

/** Whether the `(` at `o` opens the arguments of a call or `new` expression. */
function opensArguments(kind: readonly number[], match: Int32Array, o: number): boolean {
  if (o === 0) return false;
  const close = match[o];
  const after = kind[close + 1];
  // `m(x) {` and `m(x): T {`: a method; `(x) =>`: parameters.
  if (after === OPEN_BRACE || after === COLON || after === ARROW) return false;
  const before = kind[o - 1];
  if (before === IDENTIFIER) {
    const b2 = kind[o - 2];
    return !(b2 === FUNCTION_KEYWORD || (b2 === ASTERISK && kind[o - 3] === FUNCTION_KEYWORD));
  }
  if (before === CLOSE_BRACKET || before === QUESTION_DOT || before === TEMPLATE_TAIL) return true;
  if (before === NO_SUBSTITUTION_TEMPLATE) return true;
  if (before === SUPER_KEYWORD || before === IMPORT_KEYWORD) return true;
  if (before === CLOSE_PAREN) {
    const statement = match[o - 1] > 0 ? kind[match[o - 1] - 1] : -1;
    return !STATEMENT_PARENS.has(statement);
  }
  if (isKeyword(before)) {
    if (isMember(kind, o - 1)) return true; // `x.delete(`, `router.get(`
    if (before <= LAST_RESERVED_WORD) return false; // `if (`, `return (`, `function (`
    const b2 = kind[o - 2];
    if (b2 === FUNCTION_KEYWORD || (b2 === ASTERISK && kind[o - 3] === FUNCTION_KEYWORD)) return false;
    return !NOT_CALLEES.has(before);
  }
  return false;
}

/**
 * The arguments of every call and `new` expression, as first and last token. Calls whose arguments hold a `<`
 * that no `>` closes are left out (the commas of type arguments would split them wrongly).
 */
function callArguments(tokens: Tokens): [number, number][] {
  const { kind, match } = tokens;
  const out: [number, number][] = [];
  for (let o = 0; o < kind.length; o++) {
    if (kind[o] !== OPEN_PAREN || !opensArguments(kind, match, o)) continue;
    const close = match[o];
    const args: [number, number][] = [];
    let from = o + 1;
    let typed = false;
    for (let t = o + 1; t < close; t++) {
      const k = kind[t];
      if (k === OPEN_PAREN || k === OPEN_BRACKET || k === OPEN_BRACE) t = match[t];
      else if (k === TEMPLATE_HEAD) while (kind[t] !== TEMPLATE_TAIL) t = match[t];
      else if (k === LESS_THAN) {
        // Type arguments or a comparison: read as brackets up to the `>` that closes them, so their commas
        // split nothing (`f(g<A, B>(x), h)`; `f(a < b, c > d)` is then one argument: fewer functions found).
        const end = closingAngle(kind, match, t, close);
        if (end < 0) typed = true;
        else t = end;
      } else if (k === COMMA) {
        args.push([from, t - 1]);
        from = t + 1;
      }
    }
    if (typed) continue;
    if (from < close) args.push([from, close - 1]);
    out.push(...args);
  }
  return out;
}

/** The `>` that closes the `<` at `open` before `limit` (brackets skipped, `<` nested), or -1. */
function closingAngle(kind: readonly number[], match: Int32Array, open: number, limit: number): number {
  let depth = 0;
  for (let t = open; t < limit; t++) {
    const k = kind[t];
    if (k === OPEN_PAREN || k === OPEN_BRACKET || k === OPEN_BRACE) t = match[t];
    else if (k === TEMPLATE_HEAD) while (kind[t] !== TEMPLATE_TAIL) t = match[t];
    else if (k === LESS_THAN) depth++;
    else if (k === GREATER_THAN && --depth === 0) return t;
  }
  return -1;
}

/**
 * Arrow functions that are a whole argument of a call (an arrow function's body, a block or an expression,
 * runs to the end of the argument): `[async] (params)[: type] => body` or `[async] x => body`. `open` is -1
 * for an expression body.
 */
function argumentFunctions(tokens: Tokens, args: readonly [number, number][]): FunctionSpan[] {
  const { kind, match } = tokens;
  const out: FunctionSpan[] = [];
  for (const [first, last] of args) {
    let params = first;
    if (
      kind[first] === ASYNC_KEYWORD &&
      first < last &&
      (kind[first + 1] === OPEN_PAREN || isBindableWord(kind[first + 1]))
    )
      params = first + 1;
    let arrow = -1;
    if (kind[params] === OPEN_PAREN) {
      const close = match[params];
      if (kind[close + 1] === ARROW) arrow = close + 1;
      else if (kind[close + 1] === COLON) {
        // A return type: the first `=>` outside brackets ends it (one inside `<...>` only loses the body).
        for (let t = close + 2; t < last; t++) {
          const k = kind[t];
          if (k === OPEN_PAREN || k === OPEN_BRACKET || k === OPEN_BRACE) t = match[t];
          else if (k === TEMPLATE_HEAD) while (kind[t] !== TEMPLATE_TAIL) t = match[t];
          else if (k === ARROW) {
            arrow = t;
            break;
          }
        }
      }
    } else if (isBindableWord(kind[params]) && kind[params + 1] === ARROW) arrow = params + 1;
    if (arrow < 0 || arrow >= last) continue;
    const block = kind[arrow + 1] === OPEN_BRACE && match[arrow + 1] === last;
    out.push({ first, params, open: block ? arrow + 1 : -1, close: last });
  }
  return out;
}

/** What a token can be in the tree: no identifier, an identifier the tree only tests by its text, or one it may also look up. */
const NOT_A_NAME = 0;
const MEMBER_NAME = 1;
const BINDING_NAME = 2;

/** Keywords after which a contextual word may still be an operand (`of of x`, `as as T`): it stays a name then. */
const OPERATOR_WORDS = new Set<number>([
  K.InKeyword,
  K.OfKeyword,
  K.AsKeyword,
  K.SatisfiesKeyword,
  K.InstanceOfKeyword,
]);

/**
 * Per token, whether the tree can have an identifier there (a superset): an identifier token; a reserved word
 * only as a member or a key (`x.delete`, `{ delete: 1 }`, `delete(`: it can never be looked up); a contextual
 * word (`of`, `get`, `string`, `async`...) unless a name or keyword follows it on the same line (`get x()`,
 * `async function`, `let x`, `x as T`: a modifier or an operator there). Member names (after `.` or `?.`) are
 * never looked up.
 */
function nameKinds(tokens: Tokens): Uint8Array {
  const { kind, lineBefore } = tokens;
  const out = new Uint8Array(kind.length);
  for (let i = 0; i < kind.length; i++) {
    const k = kind[i];
    if (k === IDENTIFIER) out[i] = isMember(kind, i) ? MEMBER_NAME : BINDING_NAME;
    else if (!isKeyword(k)) out[i] = NOT_A_NAME;
    else if (k <= LAST_RESERVED_WORD)
      out[i] = isMember(kind, i) || usedAsKey(kind[i + 1]) ? MEMBER_NAME : NOT_A_NAME;
    else if (isMember(kind, i)) out[i] = MEMBER_NAME;
    else {
      const after = kind[i + 1];
      const modifier =
        after !== undefined &&
        !lineBefore[i + 1] &&
        (after === IDENTIFIER || (isKeyword(after) && !OPERATOR_WORDS.has(after)));
      out[i] = modifier ? NOT_A_NAME : BINDING_NAME;
    }
  }
  return out;
}

/**
 * The `{` / `}` token pairs of the bodies to blank, in order, none inside another. See `scannedSkeletonText`
 * for the rule.
 */
function trimmableByTokens(
  tokens: Tokens,
  text: string,
  wiringMethods: ReadonlySet<string>,
): [number, number][] {
  const { kind, value, match } = tokens;
  // Functions that are a whole argument of a call (the candidates when their body is a block), and the
  // other functions with block bodies.
  const args = callArguments(tokens);
  const inArguments = argumentFunctions(tokens, args);
  const functions = functionsOf(tokens);
  const candidates = inArguments.filter((f) => f.open >= 0);
  const byFirst = new Map(candidates.map((f) => [f.first, f]));
  const argumentEnds = new Set(args.map(([first, last]) => `${first}:${last}`));
  for (const fn of functions) {
    const keyword = kind[fn.first] === ASYNC_KEYWORD ? fn.first + 1 : fn.first;
    if (kind[keyword] !== FUNCTION_KEYWORD || byFirst.has(fn.first)) continue;
    if (argumentEnds.has(`${fn.first}:${fn.close}`)) candidates.push(fn); // `f(function (x) {...})`
  }
  if (!candidates.length) return [];
  const names = nameKinds(tokens);
  // `async (x) => {`, `async function`: a modifier, no name.
  for (const fn of [...functions, ...inArguments]) if (fn.first !== fn.params) names[fn.first] = NOT_A_NAME;
  // Scopes: the functions, and each `(...) {...}` (a method, `if`, `for`, `catch`...): whatever such a span
  // declares (its parameters, the statements of its block) is in scope only inside it.
  const scopes: FunctionSpan[] = [];
  const starts = new Set<number>();
  for (const fn of [...inArguments, ...functions])
    if (!starts.has(fn.params)) {
      starts.add(fn.params);
      scopes.push(fn);
    }
  for (let i = 0; i < kind.length; i++) {
    if (kind[i] !== CLOSE_PAREN || kind[i + 1] !== OPEN_BRACE || starts.has(match[i])) continue;
    scopes.push({ first: match[i], params: match[i], open: i + 1, close: match[i + 1] });
  }
  scopes.sort((a, b) => a.params - b.params);
  // Names that may be looked up, used directly in each scope (not in one nested in it) or outside all (`root`).
  const root = new Set<string>();
  const stack: FunctionSpan[] = [];
  for (let i = 0, next = 0; i < kind.length; i++) {
    while (stack.length && stack[stack.length - 1].close < i) stack.pop();
    while (next < scopes.length && scopes[next].params === i) {
      const fn = scopes[next++];
      fn.names = new Set();
      fn.parent = stack[stack.length - 1];
      stack.push(fn);
    }
    if (names[i] !== BINDING_NAME) continue;
    (stack.length ? stack[stack.length - 1].names : root)?.add(value[i]);
  }
  const usedAround = (fn: FunctionSpan, name: string): boolean => {
    for (let up = fn.parent; up; up = up.parent) if (up.names?.has(name)) return true;
    return root.has(name);
  };

  const rules = new NameRules(wiringMethods);
  const bodies: [number, number][] = [];
  let trimmedTo = -1;
  for (const fn of candidates.sort((a, b) => a.first - b.first)) {
    if (fn.first <= trimmedTo) continue; // inside a body already blanked
    if (fn.close === fn.open + 1) continue; // no statements
    if (trimmable(fn)) {
      bodies.push([fn.open, fn.close]);
      trimmedTo = fn.close;
    }
  }
  return bodies;

  function trimmable(fn: FunctionSpan): boolean {
    // The parameters: no router name, no router type (their whole text, comments included).
    const paramsEnd = kind[fn.params] === OPEN_PAREN ? match[fn.params] : fn.params;
    for (let i = fn.params; i <= paramsEnd; i++)
      if (names[i] !== NOT_A_NAME && ROUTER_PARAM_NAMES.test(value[i])) return false;
    if (ROUTER_PARAM_TYPES.test(text.slice(tokens.start[fn.params], tokens.end[paramsEnd]))) return false;
    let mayHoldFunctions = false;
    for (let i = fn.open + 1; i < fn.close; i++) {
      const k = kind[i];
      if (k === THIS_KEYWORD || k === SUPER_KEYWORD || k === IMPORT_KEYWORD || k === AT) return false;
      if (k === CLOSE_BRACKET) {
        const after = kind[i + 1];
        if (
          after === OPEN_PAREN ||
          after === LESS_THAN ||
          (after === QUESTION_DOT && kind[i + 2] === OPEN_PAREN)
        )
          return false; // `x[m](...)`: a computed call
      } else if (k === ARROW || k === FUNCTION_KEYWORD || k === CLASS_KEYWORD) mayHoldFunctions = true;
      else if (k === CLOSE_PAREN && (kind[i + 1] === OPEN_BRACE || kind[i + 1] === COLON))
        mayHoldFunctions = true;
      const name = names[i];
      if (name === NOT_A_NAME) continue;
      if (rules.routerOrPlumbing(value[i])) return false;
      if (name === BINDING_NAME && usedAround(fn, value[i])) return false;
    }
    // A nested function's parameter typed as a router (`(r: Router) => ...`) rules the body out.
    if (mayHoldFunctions && ROUTER_PARAM_TYPES.test(text.slice(tokens.end[fn.open], tokens.start[fn.close])))
      return false;
    return true;
  }
}

/**
 * Whether a reserved word followed by this token is a property or method name (`delete:`, `delete(`,
 * `{ default }`) rather than an operator or a statement keyword (`delete x.y`, `return x`): it is, unless an
 * operand follows.
 */
function usedAsKey(after: number | undefined): boolean {
  return (
    after === undefined ||
    !(
      after === IDENTIFIER ||
      isKeyword(after) ||
      after === STRING ||
      after === K.NumericLiteral ||
      after === K.BigIntLiteral ||
      after === OPEN_BRACKET ||
      after === NO_SUBSTITUTION_TEMPLATE ||
      after === TEMPLATE_HEAD ||
      after === K.RegularExpressionLiteral ||
      after === K.ExclamationToken ||
      after === K.TildeToken ||
      after === K.MinusToken ||
      after === K.PlusToken ||
      after === K.PlusPlusToken ||
      after === K.MinusMinusToken ||
      after === PRIVATE_IDENTIFIER
    )
  );
}
