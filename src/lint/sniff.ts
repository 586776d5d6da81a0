import { closeSync, openSync, readSync } from 'node:fs';

/** How much of a file the sniff reads: the `openapi`/`swagger` key sits at the top in practice. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Whether a file reads as an OpenAPI or Swagger document: a top-level `openapi:`/`swagger:` key in YAML
 * (at column 0), or an `"openapi"`/`"swagger"` key in JSON, within the first 64 KiB. For hooks handed every
 * YAML/JSON file (pre-commit, lint-staged), which must skip the others without noise. A file that
 * cannot be read counts as a document, so lint reports the read error instead of skipping it.
 */
export function looksLikeOpenApi(file: string): boolean {
  let head: string;
  try {
    const descriptor = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const length = readSync(descriptor, buffer, 0, SNIFF_BYTES, 0);
      head = buffer
        .subarray(0, length)
        .toString('utf8')
        .replace(/^\uFEFF/, '');
    } finally {
      closeSync(descriptor);
    }
  } catch {
    return true;
  }
  if (/^\s*[[{]/.test(head)) return /"(?:openapi|swagger)"\s*:/.test(head);
  return /^(?:openapi|swagger|["'](?:openapi|swagger)["'])\s*:/m.test(head);
}
