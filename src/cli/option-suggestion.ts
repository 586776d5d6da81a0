import leven from 'leven';

/**
 * The value a user most likely meant when oclif refused a flag's value (`Expected --framework=nextjs to be one of:
 * adonis, …, next-basics, …`): the listed option sharing the longest start with the value (at least 4 characters:
 * `nextjs` -> `next-basics`), else the nearest by edit distance when it is close (at most a third of the value's
 * length, at least 1: `expres` -> `express`, `sarif2` -> `sarif`). Distances by `leven` (Levenshtein).
 *
 * @param message oclif's error message (one line or several).
 * @returns `--flag=value` to suggest, or undefined when the message is not that error or nothing is close.
 */
export function optionSuggestion(message: string): string | undefined {
  const refused = /Expected --([\w-]+)=(\S+) to be one of: ([^\n]+)/.exec(message);
  if (!refused) return undefined;
  const [, flag, given, list] = refused;
  const value = given.toLowerCase();
  const options = list
    .replace(/\.\s*$/, '')
    .split(',')
    .map((option) => option.trim())
    .filter(Boolean);
  let best: { option: string; prefix: number; distance: number } | undefined;
  for (const option of options) {
    const prefix = sharedStart(value, option.toLowerCase());
    const distance = leven(value, option.toLowerCase());
    const close = prefix >= 4 || distance <= Math.max(1, Math.floor(value.length / 3));
    if (!close) continue;
    if (!best || prefix > best.prefix || (prefix === best.prefix && distance < best.distance))
      best = { option, prefix, distance };
  }
  return best && `--${flag}=${best.option}`;
}

/** How many leading characters two strings share. */
function sharedStart(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
