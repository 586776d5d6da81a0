import ts from '../../typescript.cjs';
import type { ReadFacts, RouteFact, RouteFacts, Tokens } from './route-fact-model.js';
import { METHODS, ROUTER_PARAM_NAMES, ROUTER_PARAM_TYPES, type RouteWiring } from './wiring.js';

export type { ReadFacts, RouteFact, RouteFacts };

/**
 * The methods a registration fact may use: route methods (`all` aside: Express reads handler maps and
 * openapi-backend there) that no wiring links, derives or chains on, and that only Express's route chains and
 * Koa's named routes also register (both read nothing from `R.M(path, handler)` with a plain receiver).
 */
export function routeFactMethods(wirings: readonly RouteWiring[]): ReadonlySet<string> {
  const out = new Set([...METHODS].filter((m) => m !== 'all'));
  for (const wiring of wirings) {
    for (const name of wiring.chainable ?? []) out.delete(name);
    for (const table of [wiring.derived, wiring.links])
      for (const name of Object.keys(table ?? {})) out.delete(name);
    if (wiring.framework === 'express' || wiring.framework === 'koa') continue;
    for (const name of Object.keys(wiring.registrations ?? {})) out.delete(name);
  }
  return out;
}

const K = ts.SyntaxKind;
const IDENTIFIER: number = K.Identifier;
const SEMICOLON: number = K.SemicolonToken;
const STRING: number = K.StringLiteral;
const DOT: number = K.DotToken;
const COMMA: number = K.CommaToken;
const COLON: number = K.ColonToken;
const EQUALS: number = K.EqualsToken;
const OPEN_PAREN: number = K.OpenParenToken;
const CLOSE_PAREN: number = K.CloseParenToken;
const OPEN_BRACE: number = K.OpenBraceToken;
const CLOSE_BRACE: number = K.CloseBraceToken;
const ARROW: number = K.EqualsGreaterThanToken;
const ASTERISK: number = K.AsteriskToken;
const IMPORT: number = K.ImportKeyword;
const EXPORT: number = K.ExportKeyword;
const DEFAULT: number = K.DefaultKeyword;
const CONST: number = K.ConstKeyword;
const ASYNC: number = K.AsyncKeyword;
const FROM: number = K.FromKeyword;
const AS: number = K.AsKeyword;
const TYPE: number = K.TypeKeyword;
const FIRST_KEYWORD: number = K.FirstKeyword;
const LAST_KEYWORD: number = K.LastKeyword;

/** Files whose registrations other readers also read from their calls (egg's router files, openapi-backend). */
const OTHER_READERS = /(?:^|\/)app\/router(?:\.[cm]?[jt]s$|\/)/;

/**
 * The route facts of a file from its tokens, or undefined when the file is not wholly of the forms above.
 *
 * @param bodies the `{`/`}` token pairs the skeleton blanks (skeleton-scan.ts `trimmableByTokens`).
 * @param methods `routeFactMethods(WIRINGS)`.
 */
export function readRouteFacts(
  fileName: string,
  text: string,
  tokens: Tokens,
  bodies: readonly [number, number][],
  methods: ReadonlySet<string>,
): ReadFacts | undefined {
  if (OTHER_READERS.test(fileName) || text.includes('OpenAPIBackend')) return undefined;
  const { kind, value, start, end, match } = tokens;
  const count = kind.length;
  const blanked = new Set(bodies.map(([open]) => open));
  /** Local import names -> module; `const` names made by a call. */
  const imports = new Map<string, string>();
  const routers = new Set<string>();
  const declared = new Set<string>();
  const declare = (name: string): boolean => {
    if (declared.has(name)) return false;
    declared.add(name);
    return true;
  };
  const isWord = (i: number): boolean =>
    kind[i] === IDENTIFIER || (kind[i] >= FIRST_KEYWORD && kind[i] <= LAST_KEYWORD);
  /** An identifier spelled as its name (no escapes), so positions and text agree. */
  const plainName = (i: number): string | undefined =>
    kind[i] === IDENTIFIER && text.slice(start[i], end[i]) === value[i] ? value[i] : undefined;
  const candidates: { first: number; last: number }[] = [];

  let i = 0;
  while (i < count) {
    const first = i;
    const k = kind[i];
    if (k === IMPORT && kind[i + 1] !== OPEN_PAREN && kind[i + 1] !== DOT) {
      const last = importStatement(i);
      if (last < 0) return undefined;
      i = last + 1;
    } else if (k === CONST || (k === EXPORT && kind[i + 1] === CONST)) {
      const at = k === EXPORT ? i + 1 : i;
      const name = plainName(at + 1);
      if (name === undefined || kind[at + 2] !== EQUALS || !declare(name)) return undefined;
      let j = at + 3;
      if (kind[j] !== IDENTIFIER) return undefined;
      if (kind[j + 1] === DOT && isWord(j + 2)) j += 2;
      if (kind[j + 1] !== OPEN_PAREN || kind[j + 2] !== CLOSE_PAREN || kind[j + 3] !== SEMICOLON)
        return undefined;
      routers.add(name);
      i = j + 4;
    } else if (k === EXPORT && kind[i + 1] === DEFAULT) {
      if (kind[i + 2] !== IDENTIFIER || kind[i + 3] !== SEMICOLON) return undefined;
      i += 4;
    } else if (
      k === IDENTIFIER &&
      value[i] === 'module' &&
      kind[i + 1] === DOT &&
      value[i + 2] === 'exports' &&
      kind[i + 3] === EQUALS
    ) {
      if (kind[i + 4] !== IDENTIFIER || kind[i + 5] !== SEMICOLON) return undefined;
      i += 6;
    } else {
      // `R.M('/path', handler);`: read once every name of the file is known.
      if (kind[i] !== IDENTIFIER || kind[i + 1] !== DOT || !isWord(i + 2) || kind[i + 3] !== OPEN_PAREN)
        return undefined;
      const close = match[i + 3];
      if (close < 0 || kind[close + 1] !== SEMICOLON) return undefined;
      candidates.push({ first, last: close + 1 });
      i = close + 2;
    }
  }
  if (!candidates.length) return undefined;

  const routes: RouteFact[] = [];
  const modules = new Set<string>();
  for (const { first, last } of candidates) {
    const fact = registration(first, last);
    if (!fact) return undefined;
    routes.push(fact);
  }
  return {
    facts: { routes, modules: [...modules] },
    statements: candidates.map(({ first, last }) => [first, last]),
  };

  /** The last token (`;`) of the import declaration at `i`, collecting its names; -1 when not read. */
  function importStatement(at: number): number {
    let j = at + 1;
    if (kind[j] === STRING) return kind[j + 1] === SEMICOLON ? j + 1 : -1; // `import 'm';`
    const names: string[] = [];
    // `import type { A } from`, `import type A from`: types only (still names the file declares).
    if (
      kind[j] === TYPE &&
      (kind[j + 1] === IDENTIFIER || kind[j + 1] === OPEN_BRACE || kind[j + 1] === ASTERISK)
    )
      j++;
    for (; j < count && kind[j] !== FROM; j++) {
      const t = kind[j];
      if (t === OPEN_BRACE || t === CLOSE_BRACE || t === COMMA || t === ASTERISK || t === AS) continue;
      if (!isWord(j)) return -1;
      // `a as b`: the local name is b; `type A` inside braces: a modifier.
      if (kind[j + 1] === AS) continue;
      if (t === TYPE && kind[j + 1] === IDENTIFIER) continue;
      const name = plainName(j);
      if (name === undefined) return -1;
      names.push(name);
    }
    if (kind[j] !== FROM || kind[j + 1] !== STRING || kind[j + 2] !== SEMICOLON) return -1;
    const module = stringValue(j + 1);
    if (module === undefined) return -1;
    for (const name of names) {
      if (!declare(name)) return -1;
      imports.set(name, module);
    }
    return j + 2;
  }

  /** A quoted string with no escape: its value. */
  function stringValue(at: number): string | undefined {
    if (kind[at] !== STRING) return undefined;
    const raw = text.slice(start[at], end[at]);
    if (raw.includes('\\') || raw.length < 2) return undefined;
    return raw.slice(1, -1);
  }

  function registration(first: number, last: number): RouteFact | undefined {
    const receiver = plainName(first);
    if (receiver === undefined || !routers.has(receiver)) return undefined;
    const methodAt = first + 2;
    const method = value[methodAt];
    if (!methods.has(method) || declared.has(method) || text.slice(start[methodAt], end[methodAt]) !== method)
      return undefined;
    const open = first + 3;
    const path = stringValue(open + 1);
    if (path === undefined || kind[open + 2] !== COMMA) return undefined;
    // The handler: `[async] (p[: T], ...) => { ... }`, the call's last argument.
    const handler = open + 3;
    let params = handler;
    if (kind[params] === ASYNC) params++;
    if (kind[params] !== OPEN_PAREN) return undefined;
    const paramsClose = match[params];
    for (let j = params + 1; j < paramsClose;) {
      const name = plainName(j);
      if (name === undefined || ROUTER_PARAM_NAMES.test(name)) return undefined;
      j++;
      if (kind[j] === COLON) {
        const type = plainName(j + 1);
        const module = type === undefined ? undefined : imports.get(type);
        if (type === undefined || module === undefined || ROUTER_PARAM_TYPES.test(type)) return undefined;
        modules.add(module);
        j += 2;
      }
      if (j === paramsClose) break;
      if (kind[j] !== COMMA || j + 1 === paramsClose) return undefined;
      j++;
    }
    const bodyOpen = paramsClose + 2;
    if (kind[paramsClose + 1] !== ARROW || kind[bodyOpen] !== OPEN_BRACE) return undefined;
    const bodyClose = match[bodyOpen];
    if (bodyClose !== last - 2 || kind[last - 1] !== CLOSE_PAREN) return undefined;
    if (bodyClose !== bodyOpen + 1 && !blanked.has(bodyOpen)) return undefined;
    return {
      receiver,
      receiverStart: start[first],
      receiverEnd: end[first],
      method,
      methodStart: start[methodAt],
      path,
      handlerStart: start[handler],
      handlerEnd: end[bodyClose],
    };
  }
}
