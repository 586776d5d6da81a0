import type { Hook } from '@oclif/core';

/**
 * A mistyped command: one line naming the closest command (by edit distance) and exit 2, instead of oclif's
 * "command lnt not found". A known command that takes no arguments, given one (oclif then looks for the command
 * `proxy:nginx`): one line saying so, with the flag the word is a value of (`--target nginx`), exit 2.
 */
const hook: Hook.CommandNotFound = function (options) {
  const ids = options.config.commandIDs;
  // With a space as topic separator oclif joins the arguments into the id: `lnt:spec/openapi.yaml`.
  const [word, ...rest] = options.id.split(':');
  if (ids.includes(word) && rest.length > 0) {
    // A command that takes no arguments given one (`proxy nginx`, `init openapi.yaml`): not a mistyped command.
    const command = options.config.findCommand(word);
    const given = rest.join(' ');
    const flag = Object.entries(command?.flags ?? {}).find(
      ([, definition]) => 'options' in definition && (definition.options ?? []).includes(given),
    )?.[0];
    process.stderr.write(
      `mtls-fix: ${word} takes no arguments, got '${given}'.${flag ? ` Did you mean '${options.config.bin} ${word} --${flag} ${given}'?` : ''} See '${options.config.bin} ${word} --help'.\n`,
    );
    process.exit(2);
  }
  const closest = closestCommand(word, ids);
  const suggestion = closest ? ` Did you mean '${options.config.bin} ${closest}'?` : '';
  process.stderr.write(
    `mtls-fix: '${word}' is not a mtls-fix command.${suggestion} Commands: ${ids.join(', ')}; see --help.\n`,
  );
  process.exit(2);
};

export default hook;

/** The known command nearest to `word` (Levenshtein distance at most 3, or a prefix), if any. */
export function closestCommand(word: string, ids: readonly string[]): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const id of ids) {
    const distance = id.startsWith(word) ? 0 : editDistance(word, id);
    if (distance <= 3 && (!best || distance < best.distance)) best = { id, distance };
  }
  return best?.id;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
