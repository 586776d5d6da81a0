import { isScalar, isMap, isSeq, parseAllDocuments, type Node } from 'yaml';
import { gunzipSync } from 'node:zlib';
import { ScanFile } from './scan-file.js';
import type { DetectFinding, DetectSkip } from './types.js';

/**
 * nginx configuration written into another file as text: cloud-init user-data (`#cloud-config` with
 * `write_files: [{ path, content: | ... }]`, cloud-init docs, "Write out arbitrary files"), which deploys it as
 * the file at `path`. Read where it is written: each literal block (`content: |`) that holds `ssl_verify_client`
 * becomes a ScanFile of the same name whose text is the YAML file's with every line outside the block blanked
 * (same lines, so findings and 403s are placed at the lines the user sees). Content written another way (quoted,
 * folded, base64 / gzip `encoding`) cannot be read at its lines: it is named in `skipped`, never passed over.
 */
export function embeddedNginx(file: ScanFile, skipped: DetectSkip[]): ScanFile[] {
  if (!file.text.includes('write_files') || !/ssl_verify_client|encoding/.test(file.text)) return [];
  const out: ScanFile[] = [];
  for (const document of parseAllDocuments(file.text, { uniqueKeys: false })) {
    if (document.errors.length) continue;
    const root = document.contents;
    if (!isMap(root)) continue;
    const list = root.get('write_files', true);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (!isMap(item)) continue;
      const content = item.get('content', true);
      if (!isScalar(content) || typeof content.value !== 'string') continue;
      const encodingNode = item.get('encoding', true);
      const encoding = isScalar(encodingNode) ? String(encodingNode.value) : undefined;
      if (!/\bssl_verify_client\b/.test(decoded(content.value, encoding))) continue;
      const target = String((item.get('path', true) as Node | undefined)?.toJSON() ?? '?');
      const at = file.lines.lineOf(content.range?.[0] ?? 0);
      if (content.type !== 'BLOCK_LITERAL' || (encoding !== undefined && !/^text\/plain$/i.test(encoding))) {
        skipped.push({
          file: file.relative,
          line: at,
          reason:
            `cloud-init write_files content for ${target} holds ssl_verify_client in a form detect does not read ` +
            `at its lines (${encoding !== undefined ? `encoding ${encoding}` : 'not a literal block `content: |`'}): ` +
            `write it as a literal block, or run detect on the file it writes`,
        });
        continue;
      }
      // The block's text starts on the line after its `|` indicator and ends where its value ends.
      const first = at + 1;
      const last = file.lines.lineOf(Math.max((content.range?.[1] ?? 1) - 1, 0));
      const masked = file.text
        .split('\n')
        .map((line, index) => (index + 1 >= first && index + 1 <= last ? line : ''))
        .join('\n');
      const embedded = new ScanFile(file.path, file.relative, masked);
      sources.set(embedded, target);
      out.push(embedded);
    }
  }
  return out;
}

/**
 * `content` as cloud-init writes it: `b64` / `base64` decoded, `gz+b64` / `gzip+base64` (and the other spellings
 * cloud-init accepts) decoded and gunzipped; plain text as it is; what cannot be decoded, as it is.
 */
function decoded(content: string, encoding: string | undefined): string {
  const kind = encoding?.toLowerCase();
  try {
    if (kind === 'b64' || kind === 'base64') return Buffer.from(content, 'base64').toString('utf8');
    if (kind === 'gz+b64' || kind === 'gzip+base64' || kind === 'gz+base64' || kind === 'gzip+b64')
      return gunzipSync(Buffer.from(content, 'base64')).toString('utf8');
  } catch {
    return content;
  }
  return content;
}

/** Embedded file -> the path cloud-init writes it to. */
const sources = new WeakMap<ScanFile, string>();

/** The note for a finding read from embedded text: where the text goes. */
export function embeddedNote(file: ScanFile): string | undefined {
  const target = sources.get(file);
  return target === undefined ? undefined : `nginx config written by cloud-init write_files to ${target}`;
}

/** The embedded text a finding was read from, to read its 403s from the same text. */
export const findingSource = new WeakMap<DetectFinding, ScanFile>();
