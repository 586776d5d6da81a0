/**
 * Route paths on both sides, reduced to comparable segment lists. A segment is a lower-cased literal, `{}`
 * for a parameter (its name never matters: `:id` ~ `{accountId}`), a mixed segment with `{}` in place of
 * each parameter (`{}.json`), `**` for a wildcard of one or more segments, or `**?` for zero or more.
 */
export type Segments = string[];

export type PathSyntax = 'colon' | 'hapi' | 'openapi';

export const PARAM = '{}';
export const WILDCARD = '**';
export const OPTIONAL_WILDCARD = '**?';

/** Joins prefixes and a route path the way routers do: one `/` between parts, no trailing slash. */
export function joinPaths(...parts: string[]): string {
  // Each part without its leading and trailing slashes, empty ones dropped (a loop: `--spec` joins every route's
  // path, twice over for the routes below a mount).
  let joined = '';
  for (const part of parts) {
    let start = 0;
    let end = part.length;
    while (start < end && part.charCodeAt(start) === SLASH) start++;
    while (end > start && part.charCodeAt(end - 1) === SLASH) end--;
    if (start === end) continue;
    const inner = start === 0 && end === part.length ? part : part.slice(start, end);
    joined = joined ? `${joined}/${inner}` : inner;
  }
  return `/${joined}`;
}

const SLASH = 0x2f;

/**
 * Every concrete alternative a code path stands for (optional parts expanded), as segment lists. A segment `*` is
 * a wildcard in every syntax: Express's own, and the one the route graph writes for a path it could not read
 * (compose.ts: a route whose path is computed at run time, an openapi-backend operation with no handler found) on
 * a hapi or document-path router too, where it was read as the literal `*` and so answered no operation whose path
 * has no parameter (trial39 #04: a 403 such a registration reaches was left alone).
 */
export function parseCodePath(path: string, syntax: PathSyntax): Segments[] {
  return parsePath(path, syntax, true);
}

/** `parseCodePath`'s answers, by syntax and path (read-only by type: every caller shares them). */
const codePaths = new Map<PathSyntax, Map<string, readonly (readonly string[])[]>>();
/** Paths kept in `codePaths` per syntax at most; past it that syntax's cache starts again (a long-lived process). */
const CODE_PATHS_KEPT = 100_000;

/**
 * `parseCodePath`, read-only and parsed once per syntax and path for the process: `--spec` asks for each route's
 * path in matching, prefix inference, coverage and document scoping (16,000 routes: each path was parsed at least
 * twice). The lists are shared between callers, so they are typed read-only.
 */
export function codePathOf(path: string, syntax: PathSyntax): readonly (readonly string[])[] {
  let bySyntax = codePaths.get(syntax);
  if (!bySyntax) codePaths.set(syntax, (bySyntax = new Map<string, readonly (readonly string[])[]>()));
  let known = bySyntax.get(path);
  if (!known) {
    if (bySyntax.size >= CODE_PATHS_KEPT) bySyntax.clear();
    known = parsePath(path, syntax, true);
    bySyntax.set(path, known);
  }
  return known;
}

/** `parseCodePath`; `code`: a segment `*` is a wildcard (a document's or a request's `*` is a literal). */
function parsePath(path: string, syntax: PathSyntax, code: boolean): Segments[] {
  const expanded = syntax === 'colon' ? expandBraceGroups(path) : [path];
  const out: Segments[] = [];
  for (const variant of expanded) {
    let alternatives: Segments[] = [[]];
    for (const raw of syntax === 'colon' ? splitSegments(variant) : variant.split('/')) {
      if (raw === '') continue;
      const spans = syntax === 'colon' ? slashSpans(raw) : undefined;
      const { tokens, optional } =
        code && raw === '*' ? { tokens: [WILDCARD], optional: false } : segmentTokens(raw, syntax);
      // One reading of the segment (most segments): each alternative grows in place. Every alternative list is
      // held by `alternatives` alone (a copy or a fresh list), so none is shared with another.
      if (!spans && !optional) {
        for (const alternative of alternatives) alternative.push(...tokens);
        continue;
      }
      const next: Segments[] = [];
      for (const alternative of alternatives) {
        // `:name(a/b|c)`: one parameter segment per segment its regex can span (path-to-regexp matches `/` there).
        if (spans) for (const tokens of spans) next.push([...alternative, ...tokens]);
        else next.push([...alternative, ...tokens]);
        if (optional) next.push(alternative);
      }
      alternatives = next;
    }
    out.push(...alternatives);
  }
  return dedupe(out);
}

/** Splits a colon-syntax path on `/`, except inside a regex group (`:path([^/]*)` is one segment). */
function splitSegments(path: string): string[] {
  // No group and no escape: every `/` separates (the loop below, one string per character, gives the same).
  if (!path.includes('(') && !path.includes('\\')) return path.split('/');
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path.charAt(i);
    if (c === '\\') {
      current += c + path.charAt(i + 1);
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    if (c === '/' && depth === 0) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

/** An OpenAPI path template, or a server URL's path part. */
export function parseSpecPath(path: string): Segments {
  return parsePath(path, 'openapi', false)[0] ?? [];
}

/**
 * An OpenAPI Paths Object key as the request path it serves: without what follows a `#` or a `?`. A document
 * gives one method and path several operations by a fragment (NHS EPS:
 * `/FHIR/R4/$process-message#prescription-order` and `…#dispense-notification`, each a POST to
 * `/FHIR/R4/$process-message`) or tells actions apart by a query (`/reports?format=csv`); no request path holds
 * either (RFC 3986 §3.3 ends the path at the first `?` or `#`), so the code route is the part before it.
 */
export function documentPathKey(key: string): string {
  const end = key.search(/[?#]/);
  return end < 0 ? key : key.slice(0, end);
}

/** The path part of a server URL (`https://{env}.x.com/api/v1` -> `/api/v1`; relative URLs as they are). */
export function serverBasePath(url: string): string {
  const withoutOrigin = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/^\/\/[^/]*/, '');
  const pathOnly = withoutOrigin.split(/[?#]/)[0] ?? '';
  return pathOnly === '' ? '/' : pathOnly;
}

export function formatSegments(segments: Segments): string {
  // An empty request segment is held as `/` (see requests.ts): written back as the empty string it is.
  return `/${segments.map((s) => (s === '/' ? '' : s)).join('/')}`;
}

function segmentTokens(raw: string, syntax: PathSyntax): { tokens: string[]; optional: boolean } {
  // A plain literal (no parameter, wildcard, group or escape): what every rule below leaves of it.
  if (PLAIN_SEGMENT.test(raw)) return { tokens: [raw.toLowerCase()], optional: false };
  if (syntax === 'openapi')
    return { tokens: [raw.replace(/\{[^}]*\}/g, PARAM).toLowerCase()], optional: false };
  if (syntax === 'hapi') {
    const wildcard = /^\{[^}]*\*(\d*)\}$/.exec(raw);
    if (wildcard) {
      const count = wildcard[1] ? Number(wildcard[1]) : 0;
      return count
        ? { tokens: Array<string>(count).fill(PARAM), optional: false }
        : { tokens: [OPTIONAL_WILDCARD], optional: false };
    }
    const optional = /^\{[^}]*\?\}$/.test(raw);
    return { tokens: [raw.replace(/\{[^}]*\}/g, PARAM).toLowerCase()], optional };
  }
  // colon syntax: Express, Koa, Fastify, Hono, Nest (path-to-regexp and find-my-way).
  // A lookahead or lookbehind (`/ftp(?!/quarantine)/:file`, path-to-regexp 0.1 of Express 4 passes groups on
  // as regex) matches no characters: the segment is what is left of it.
  if (syntax === 'colon' && ZERO_WIDTH_GROUP.test(raw)) {
    const rest = raw.replace(ZERO_WIDTH_GROUPS, '');
    return rest === '' ? { tokens: [], optional: false } : segmentTokens(rest, syntax);
  }
  if (raw === '*' || /^\*\w*$/.test(raw) || raw === '(.*)') return { tokens: [WILDCARD], optional: false };
  const optional = /^:\w+(\([^)]*\)|\{[^}]*\})?\?$/.test(raw);
  const wildcardParam = /^:\w+(\([^)]*\))?[*+]$/.exec(raw);
  if (wildcardParam) return { tokens: [raw.endsWith('*') ? OPTIONAL_WILDCARD : WILDCARD], optional: false };
  const normalized = raw
    .replace(/::/g, '\uE000') // Fastify: `::` is a literal colon
    .replace(/:\w+(\([^)]*\)|\{[^}]*\})?\??/g, PARAM)
    .replace(/\([^)]*\)/g, PARAM) // unnamed regex groups are parameters too
    .replace(/\uE000/g, ':');
  return { tokens: [normalized.toLowerCase()], optional };
}

/**
 * A colon-syntax segment that is one named parameter whose regex matches `/` in some of its top-level
 * alternatives (`:fullname(@[^/]+/[^/]+|[^@/]+)`, an npm name with or without its scope): the segments each
 * alternative spans, a parameter keeping the literal it starts with (`[['@{}', '{}'], ['{}']]`). Undefined for any other segment, or a regex whose `/` count is not fixed
 * (a group, `.`, a quantified `/`: left to the one-segment reading).
 */
function slashSpans(raw: string): string[][] | undefined {
  const match = /^:\w+\((.*)\)$/.exec(raw);
  const regex = match?.[1];
  if (!regex || !regex.includes('/') || /[()]/.test(regex)) return undefined;
  const variants = new Map<string, string[]>();
  for (const alternative of regex.split('|')) {
    // A `/` inside a character class (`[^/]`) or escaped is not a separator.
    const outside = alternative.replace(/\[(?:\\.|[^\]])*\]/g, 'c').replace(/\\./g, 'c');
    if (outside.includes('.') || /\/[*+?{]/.test(outside)) return undefined;
    // Each segment keeps the literal it starts with (`@[^/]+` -> `@{}`): `/v1/hooks` is no scoped name.
    const tokens = splitOutsideClasses(alternative).map((part) => {
      const lead = /^[\w@~-]*/.exec(part)?.[0] ?? '';
      return lead === part ? part.toLowerCase() : `${lead.toLowerCase()}${PARAM}`;
    });
    variants.set(tokens.join('/'), tokens);
  }
  const list = [...variants.values()].sort((a, b) => b.length - a.length);
  return list.some((tokens) => tokens.length > 1) ? list : undefined;
}

/** An alternative of a regex split on the `/` outside character classes and escapes. */
function splitOutsideClasses(alternative: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inClass = false;
  for (let i = 0; i < alternative.length; i++) {
    const c = alternative.charAt(i);
    if (c === '\\') {
      current += c + alternative.charAt(i + 1);
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    if (c === '/' && !inClass) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** A regex assertion group: `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)` (no nested parentheses). */
const ZERO_WIDTH_GROUP = /\(\?<?[=!][^()]*\)/;
const ZERO_WIDTH_GROUPS = new RegExp(ZERO_WIDTH_GROUP.source, 'g');

/** A segment no syntax reads anything into: letters, digits, `-`, `_`, `.`, `~` only. */
const PLAIN_SEGMENT = /^[\w.~-]+$/;

/** path-to-regexp v8 optional groups: `/users{/:id}` -> `/users`, `/users/:id`. */
function expandBraceGroups(path: string): string[] {
  const groups = /\{([^{}]*)\}/g;
  for (let match = groups.exec(path); match; match = groups.exec(path)) {
    const before = path.slice(0, match.index);
    if (/:\w+$/.test(before)) continue; // Hono's `:id{[0-9]+}` is a regex, not a group
    const after = path.slice(match.index + match[0].length);
    return [...expandBraceGroups(before + match[1] + after), ...expandBraceGroups(before + after)];
  }
  return [path];
}

function dedupe(list: Segments[]): Segments[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const key = s.join('/');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How well a code route's segments fit an operation's: per segment 0 (same) .. 3 (wildcard); undefined if not. */
export function compareSegments(code: readonly string[], spec: readonly string[]): number[] | undefined {
  const head = code[0];
  if (head === undefined) return spec.length === 0 ? [] : undefined;
  if (head === WILDCARD || head === OPTIONAL_WILDCARD) {
    const rest = code.slice(1);
    for (let take = head === WILDCARD ? 1 : 0; take <= spec.length; take++) {
      const tail = compareSegments(rest, spec.slice(take));
      if (tail) return [...Array<number>(Math.max(take, 1)).fill(3), ...tail];
    }
    return undefined;
  }
  const other = spec[0];
  if (other === undefined) return undefined;
  const rank = compareSegment(head, other);
  if (rank === undefined) return undefined;
  const tail = compareSegments(code.slice(1), spec.slice(1));
  return tail ? [rank, ...tail] : undefined;
}

function compareSegment(code: string, spec: string): number | undefined {
  if (code === spec) return 0;
  if (code === PARAM && !spec.includes('/')) return 1; // the code parameter also answers the spec's literal
  if (spec === PARAM) return 2; // the code literal answers part of the spec's parameter
  // A code segment mixing literals and parameters (`{}.{}`, `@{}`) answers a spec literal it spells out.
  if (code.includes(PARAM) && !spec.includes(PARAM) && !spec.includes('/') && partialPattern(code).test(spec))
    return 1;
  return undefined;
}

/** `@{}` -> /^@.+$/: a code segment's literals as they are, each parameter one or more characters. */
function partialPattern(code: string): RegExp {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${code.split(PARAM).map(literal).join('.+')}$`);
}

/** Lexicographic: static before parameter before wildcard, segment by segment. */
export function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference) return difference;
  }
  return 0;
}
