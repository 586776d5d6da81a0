// Generated texts for the prefilter's tests (anchored-test.test.ts, prefilter.test.ts): many near-matches of a
// pattern's pieces, the same on every run.

/** A seeded generator (mulberry32): the same texts on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Texts made of the given pieces (each in a random case when `mixCase`), single characters between them (letters,
 * digits, punctuation, spaces, and non-ASCII characters that fold to ASCII ones in other contexts), cut at random
 * places: many near-matches, a match at the very start and end.
 */
export function texts(pieces: readonly string[], count: number, seed: number, mixCase = true): string[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const fillers = [...'aAeEsStTxXkK09345 _-.:=(){}[]\'"`@/\n\t', 'ſ', 'K', 'é', '\u00a0', '\ufeff', '😀'];
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let text = '';
    const parts = 1 + Math.floor(random() * 6);
    for (let p = 0; p < parts; p++) {
      let piece = pick(pieces);
      if (mixCase) piece = [...piece].map((c) => (random() < 0.3 ? c.toUpperCase() : c)).join('');
      if (random() < 0.3) {
        // A piece cut short, or with one character changed.
        const at = Math.floor(random() * piece.length);
        piece =
          random() < 0.5 ? piece.slice(0, at) : piece.slice(0, at) + pick(fillers) + piece.slice(at + 1);
      }
      text += piece;
      const gap = Math.floor(random() * 3);
      for (let g = 0; g < gap; g++) text += pick(fillers);
    }
    out.push(text);
  }
  return out;
}
