/**
 * `text` with every character that has a meaning in a regular expression escaped, so that `new RegExp(…)` of the
 * result matches `text` literally (the escape MDN gives for `RegExp`). `/` is left as it is: `new RegExp` needs no escape for it,
 * and callers (nest-exclude.ts) read the escaped text by its slashes.
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
