import { readFileSync } from 'node:fs';
import { loneCrAsLf } from '../util/line-breaks.js';
import { describeWideEncoding, wideEncoding } from '../util/utf8.js';

/** What {@link readScanText} read: the text, or why not (`binary`: nothing to name; else a reason to list). */
export type ScanText = { text: string } | { binary: true } | { notRead: string };

/**
 * The text of a file detect scans, with its lines as an editor shows them. UTF-8 (a BOM dropped), and UTF-16
 * with or without a byte order mark (Windows PowerShell 5's `>` / `Out-File` writes UTF-16LE: `kubectl get
 * ingress -o yaml > ingress.yaml` there gives one, and kubectl reads it back), decoded; lone-CR line ends read as
 * LF (src/util/line-breaks.ts). UTF-32 is named (`notRead`), other text with NUL bytes is binary. Throws
 * what `readFileSync` throws.
 */
export function readScanText(absolute: string): ScanText {
  const bytes = readFileSync(absolute);
  const wide = wideEncoding(bytes);
  let text: string;
  if (wide?.encoding === 'UTF-16LE' || wide?.encoding === 'UTF-16BE') {
    text = new TextDecoder(wide.encoding === 'UTF-16LE' ? 'utf-16le' : 'utf-16be').decode(bytes);
  } else if (wide) {
    return { notRead: `${describeWideEncoding(wide)}, which detect does not decode: save it as UTF-8` };
  } else {
    text = bytes.toString('utf8');
    if (text.includes('\u0000')) return { binary: true };
  }
  return { text: loneCrAsLf(text.replace(/^\uFEFF/, '')) };
}
