import { isScalar, isMap, isSeq, parseAllDocuments, type Node, type YAMLMap } from 'yaml';
import { gunzipSync } from 'node:zlib';
import { ScanFile } from './scan-file.js';
import type { DetectFinding, DetectSkip } from './types.js';

/** A YAML scalar that holds a file's text, and what it is for (the finding's note). */
interface Carrier {
  content: Node | undefined;
  encoding: string | undefined;
  /** `cloud-init write_files content for /etc/nginx/conf.d/a.conf`. */
  what: string;
  /** `nginx config written by cloud-init write_files to /etc/nginx/conf.d/a.conf`. */
  note: string;
}

/**
 * nginx configuration written into a YAML file as text: cloud-init user-data (`#cloud-config` with
 * `write_files: [{ path, content: | ... }]`, cloud-init docs, "Write out arbitrary files"), which deploys it as
 * the file at `path`, and a Kubernetes ConfigMap (`data: { default.conf: | ... }`, mounted into an nginx
 * container; since session 30: before, "Not read"). Read where it is written: each literal block that holds
 * `ssl_verify_client` becomes a ScanFile of the same name whose text is the YAML file's with every line outside
 * the block blanked (same lines, so findings and 403s are placed at the lines the user sees). Content written
 * another way (quoted, folded, base64 / gzip `encoding`) cannot be read at its lines: it is named in `skipped`,
 * never passed over.
 */
export function embeddedNginx(file: ScanFile, skipped: DetectSkip[]): ScanFile[] {
  if (!/write_files|ConfigMap/.test(file.text) || !/ssl_verify_client|encoding/.test(file.text)) return [];
  const out: ScanFile[] = [];
  for (const document of parseAllDocuments(file.text, { uniqueKeys: false })) {
    if (document.errors.length) continue;
    const root = document.contents;
    if (!isMap(root)) continue;
    for (const { content, encoding, what, note } of carriers(root)) {
      if (!isScalar(content) || typeof content.value !== 'string') continue;
      if (!/\bssl_verify_client\b/.test(decoded(content.value, encoding))) continue;
      const at = file.lines.lineOf(content.range?.[0] ?? 0);
      if (content.type !== 'BLOCK_LITERAL' || (encoding !== undefined && !/^text\/plain$/i.test(encoding))) {
        skipped.push({
          file: file.relative,
          line: at,
          reason:
            `${what} holds ssl_verify_client in a form detect does not read ` +
            `at its lines (${encoding !== undefined ? `encoding ${encoding}` : 'not a literal block `|`'}): ` +
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
      notes.set(embedded, note);
      out.push(embedded);
    }
  }
  return out;
}

/** The scalars of one YAML document that carry a file's text: cloud-init `write_files`, ConfigMap `data`. */
function carriers(root: YAMLMap): Carrier[] {
  const out: Carrier[] = [];
  const list = root.get('write_files', true);
  if (isSeq(list))
    for (const item of list.items) {
      if (!isMap(item)) continue;
      const encodingNode = item.get('encoding', true);
      const target = String((item.get('path', true) as Node | undefined)?.toJSON() ?? '?');
      out.push({
        content: item.get('content', true),
        encoding: isScalar(encodingNode) ? String(encodingNode.value) : undefined,
        what: `cloud-init write_files content for ${target}`,
        note: `nginx config written by cloud-init write_files to ${target}`,
      });
    }
  const kind = root.get('kind', true);
  const data = root.get('data', true);
  if (isScalar(kind) && kind.value === 'ConfigMap' && isMap(data)) {
    const metadata = root.get('metadata', true);
    const name = isMap(metadata)
      ? String((metadata.get('name', true) as Node | undefined)?.toJSON() ?? '?')
      : '?';
    for (const pair of data.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      out.push({
        content: pair.value as Node | undefined,
        encoding: undefined,
        what: `ConfigMap ${name} key ${key}`,
        note: `nginx config in ConfigMap ${name}, key ${key} (mounted into the nginx container)`,
      });
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

/** Embedded file -> the note saying where its text is written and where it goes. */
const notes = new WeakMap<ScanFile, string>();

/** The note for a finding read from embedded text: where the text goes. */
export function embeddedNote(file: ScanFile): string | undefined {
  return notes.get(file);
}

/** The embedded text a finding was read from, to read its 403s from the same text. */
export const findingSource = new WeakMap<DetectFinding, ScanFile>();
