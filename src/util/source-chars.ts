/**
 * How rare each printable ASCII character is in JavaScript and TypeScript source, letters in either case counted
 * together: -log2 of its share of all characters (ORDER, most common first, and BITS). Counted over a fifth of the ~54,000 .ts/.js/.tsx/.mjs
 * files of this project's real-world trial trees (docs/real-world-trials.md) and test fixtures, 42 million
 * characters (session 15): a space is one character in 4 (2 bits), `e` one in 16, `~` one in ~16,000.
 */
const ORDER = ` etrsoanicldpum.()f,hg':=yb{}"/v;wx-k>0_|*[]1q<j2?\`&\\z435!$+@6897^#%~`;
const BITS = [
  2.3, 3.7, 4.1, 4.5, 4.5, 4.6, 4.6, 4.6, 4.6, 5.3, 5.4, 5.5, 5.6, 5.7, 5.9, 6.1, 6.3, 6.3, 6.3, 6.4, 6.5,
  6.5, 6.8, 6.8, 6.8, 7.0, 7.0, 7.0, 7.0, 7.1, 7.2, 7.2, 7.2, 7.5, 7.6, 7.6, 7.8, 8.2, 8.3, 8.4, 8.6, 8.7,
  8.8, 8.8, 8.9, 9.0, 9.0, 9.1, 9.1, 9.3, 9.4, 9.8, 9.8, 9.8, 9.9, 10.0, 10.2, 10.2, 10.4, 10.4, 10.4, 10.7,
  10.9, 11.1, 11.1, 12.5, 12.8, 13.8, 14.4,
];

/** Characters the count above did not see (control characters, non-ASCII): taken as rare. */
const UNSEEN_BITS = 12;

const TABLE = new Float64Array(128).fill(UNSEEN_BITS);
for (let at = 0; at < ORDER.length; at++) {
  TABLE[ORDER.charCodeAt(at)] = BITS[at];
  TABLE[ORDER[at].toUpperCase().charCodeAt(0)] = BITS[at];
}

/**
 * How surprising `text` is as a piece of source code, in bits: the sum of its characters' rarities (taken as
 * independent). A literal of more bits occurs less often: 20 bits, about once in a million characters.
 */
export function surprisal(text: string): number {
  let bits = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    bits += code < 128 ? TABLE[code] : UNSEEN_BITS;
  }
  return bits;
}
