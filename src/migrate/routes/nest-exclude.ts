import { escapeRegExp } from '../../util/regexp.js';

/**
 * The path patterns of NestJS `app.setGlobalPrefix(prefix, { exclude: [...] })`, as a RegExp tested the way
 * Nest tests them: against the route's path template without the global prefix and without the URI version
 * (`/cats/:id`, not a request URL), case-insensitive, a trailing slash optional, the whole path.
 *
 * Nest compiles each pattern with path-to-regexp: 3.x in Nest <= 10 (`:id`, `:id(\\d+)`, `:p?`, `:p*`,
 * `(.*)`), 8.x in Nest 11 (`*splat`, `{/:optional}`, `{*splat}`), after rewriting the legacy wildcards
 * (`x/(.*)`, `x/*` become `x/{*path}`) (nestjs/nest packages/core/router/legacy-route-converter.ts and
 * router/utils/exclude-route.util.ts). Both dialects are read here: their syntaxes do not collide.
 *
 * @returns undefined when the pattern has a syntax this reader does not know (unbalanced braces or groups).
 */
export function excludePattern(pattern: string): RegExp | undefined {
  const withSlash = pattern.startsWith('/') ? pattern : `/${pattern}`;
  const body = compile(withSlash, 0, '');
  if (!body || body.end !== withSlash.length) return undefined;
  return new RegExp(`^${body.source}(?:/)?$`, 'i');
}

const NAME = /^[A-Za-z_$][\w$]*/;

/** Compiles `text` from `start` until `close` (or the end); returns the regex source and where it stopped. */
function compile(text: string, start: number, close: string): { source: string; end: number } | undefined {
  let source = '';
  let i = start;
  while (i < text.length) {
    const c = text.charAt(i);
    if (close && c === close) return { source, end: i };
    if (c === '\\') {
      source += escapeRegExp(text.charAt(i + 1));
      i += 2;
    } else if (c === '{') {
      const inner = compile(text, i + 1, '}');
      if (!inner) return undefined;
      source += `(?:${inner.source})?`;
      i = inner.end + 1;
    } else if (c === '(') {
      const group = balanced(text, i);
      if (!group) return undefined;
      const modifier = text.charAt(group.end);
      source += modifierOf(`(?:${group.inner})`, modifier);
      i = group.end + (isModifier(modifier) ? 1 : 0);
    } else if (c === ':') {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (!name) return undefined;
      i += 1 + name.length;
      let param = '[^/]+';
      if (text.charAt(i) === '(') {
        const group = balanced(text, i);
        if (!group) return undefined;
        param = `(?:${group.inner})`;
        i = group.end;
      }
      const modifier = text.charAt(i);
      if (isModifier(modifier)) {
        i++;
        // path-to-regexp 3.x: the modifier takes the slash before the parameter with it (`/:p?` -> optional).
        if (source.endsWith('/')) {
          source = source.slice(0, -1);
          source += modifierOf(`(?:/${param})`, modifier);
        } else source += modifierOf(param, modifier);
      } else source += param;
    } else if (c === '*') {
      // `*splat` (8.x, one or more characters, slashes too) or a bare legacy `*` (Nest converts it).
      const name = NAME.exec(text.slice(i + 1))?.[0];
      i += 1 + (name?.length ?? 0);
      source += name ? '.+' : '.*';
    } else {
      source += escapeRegExp(c);
      i++;
    }
  }
  return close ? undefined : { source, end: i };
}

/** `(` at `open` to its matching `)`: the raw inner text (a regex in path-to-regexp 3.x) and the index after. */
function balanced(text: string, open: number): { inner: string; end: number } | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return { inner: text.slice(open + 1, i), end: i + 1 };
  }
  return undefined;
}

function isModifier(c: string): boolean {
  return c === '?' || c === '*' || c === '+';
}

function modifierOf(source: string, modifier: string): string {
  return isModifier(modifier) ? `${source}${modifier}` : source;
}
