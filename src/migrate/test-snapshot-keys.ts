// The keys of a stored snapshot file (`exports[`all > denies 1`] = ...`) matched to the tests and matcher calls
// that took them (test-snapshots.ts), without a pattern per key: a test file of many tests and a snapshot file of
// as many entries cost work in proportion to both (test/migrate/snapshot-keys-cost.test.ts).

/** The titles of the suites and test around a call, outermost first, as a pattern over snapshot keys. */
export interface Title {
  /** The titles, each a pattern (`.*?` where the title is computed). */
  parts: string[];
  /** The titles as written, for counting calls per test. */
  source: string;
  /** The titles' texts when every one is written out whole (no template substitution, no `each` placeholder). */
  texts?: string[];
}

/** How the runners join suite and test titles in a key: Jest `all denies 1`, Vitest and node:test `all > denies 1`. */
const JOINS = [' ', ' > '];

/** A key's test part and count: `all > denies: hint 2` -> `all > denies: hint`, 2. */
function splitKey(key: string): { base: string; count: number } | undefined {
  const match = / (\d+)$/.exec(key);
  return match ? { base: key.slice(0, match.index), count: Number(match[1]) } : undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The entries of one test file's snapshot files by key, looked up by a test's title. A title written out whole is
 * one map look-up per spelling of the key; a computed one (a template title, an `each` table's `%s`) is one
 * pattern, compiled once per look-up and tried on the entries in turn.
 */
export class SnapshotKeys<E extends { key: string }> {
  /** Entries by their key's test part (the key without its count). */
  private readonly byBase = new Map<string, { entry: E; count: number }[]>();

  constructor(private readonly entries: readonly E[]) {
    for (const entry of entries) {
      const split = splitKey(entry.key);
      if (!split) continue;
      const list = this.byBase.get(split.base) ?? [];
      list.push({ entry, count: split.count });
      this.byBase.set(split.base, list);
    }
  }

  /**
   * The entries whose key is the `count`th of this test (and hint) in Jest's, Vitest's or node:test's spelling;
   * any count when `count` is undefined.
   */
  taken(title: Title, hint: string | undefined, count: number | undefined): E[] {
    const hinted = hint === undefined ? '' : `: ${hint}`;
    if (title.texts) {
      const found: E[] = [];
      for (const join of JOINS)
        for (const { entry, count: n } of this.byBase.get(`${title.texts.join(join)}${hinted}`) ?? [])
          if (count === undefined || n === count) found.push(entry);
      return found;
    }
    const tail = `${hint === undefined ? '' : `: ${escape(hint)}`} ${count ?? '\\d+'}`;
    const patterns = JOINS.map((join) => new RegExp(`^${title.parts.join(join)}${tail}$`));
    return this.entries.filter((e) => patterns.some((p) => p.test(e.key)));
  }

  /**
   * For each entry, the first of `titles` whose test took it under any hint and count (an entry no matcher of
   * the file claims, placed at its test): a look-up per `: ` in the key for titles written out whole, one
   * pattern per computed title.
   */
  owners<T>(entries: readonly E[], titles: readonly { title: Title; value: T }[]): Map<E, T> {
    // The earliest title of each written-out key; the computed titles with their place in `titles`.
    const whole = new Map<string, { value: T; order: number }>();
    const computed: { patterns: RegExp[]; value: T; order: number }[] = [];
    titles.forEach(({ title, value }, order) => {
      if (!title.texts) {
        const patterns = JOINS.map((join) => new RegExp(`^${title.parts.join(join)}(?:: .*)? \\d+$`));
        computed.push({ patterns, value, order });
        return;
      }
      for (const join of JOINS) {
        const text = title.texts.join(join);
        if (!whole.has(text)) whole.set(text, { value, order });
      }
    });
    const out = new Map<E, T>();
    for (const entry of entries) {
      const split = splitKey(entry.key);
      if (!split) continue;
      // The test part is the whole base, or the base up to a `: ` that starts the hint.
      let found = whole.get(split.base);
      for (let at = split.base.indexOf(': '); at >= 0; at = split.base.indexOf(': ', at + 1)) {
        const candidate = whole.get(split.base.slice(0, at));
        if (candidate && (!found || candidate.order < found.order)) found = candidate;
      }
      for (const c of computed)
        if ((!found || c.order < found.order) && c.patterns.some((p) => p.test(entry.key))) found = c;
      if (found) out.set(entry, found.value);
    }
    return out;
  }
}
