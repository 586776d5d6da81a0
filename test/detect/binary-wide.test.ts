import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// Session 39 (newuser39, on COPUR/enterprise-loan-management-system): a macOS .DS_Store (00 00 00 01 'Bud1' ...)
// was listed under "Not read" as "UTF-32BE text, no byte order mark ... save it as UTF-8": its first four bytes
// look like a UTF-32BE character, the rest is no UTF-32. Binary files are passed over; real UTF-32 is still named.

/** The first bytes of a .DS_Store file, padded to 64 bytes. */
const DS_STORE = Buffer.concat([
  Buffer.from([0x00, 0x00, 0x00, 0x01]),
  Buffer.from('Bud1', 'latin1'),
  Buffer.from([0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x10, 0x00]),
  Buffer.alloc(44),
]);

/** `text` as UTF-32 without a byte order mark. */
function utf32(text: string, bigEndian: boolean): Buffer {
  const out = Buffer.alloc(text.length * 4);
  [...text].forEach((char, index) => {
    const code = char.codePointAt(0) ?? 0;
    if (bigEndian) out.writeUInt32BE(code, index * 4);
    else out.writeUInt32LE(code, index * 4);
  });
  return out;
}

const NGINX = 'server {\n  listen 443 ssl;\n  server_name mtls.bank.example;\n  ssl_verify_client on;\n}\n';

describe('detect: binary files whose first bytes look like UTF-32', () => {
  const cases: { name: string; bytes: Buffer; named: boolean }[] = [
    { name: 'a .DS_Store', bytes: DS_STORE, named: false },
    {
      name: 'bytes whose 4-byte units run past U+10FFFF (little-endian guess)',
      bytes: Buffer.from([0x41, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
      named: false,
    },
    { name: 'an odd length', bytes: Buffer.from([0, 0, 0, 0x41, 0x42]), named: false },
    { name: 'real UTF-32BE text without a byte order mark', bytes: utf32(NGINX, true), named: true },
    { name: 'real UTF-32LE text without a byte order mark', bytes: utf32(NGINX, false), named: true },
  ];
  for (const { name, bytes, named } of cases) {
    it(`${name}: ${named ? 'named under Not read' : 'passed over as binary'}`, async () => {
      const cwd = tempProject({ 'deploy/.DS_Store': bytes, 'deploy/plain.conf': 'x\n' });
      const run = await runCliAsync(['detect', '--json'], { cwd });
      const report = JSON.parse(run.stdout) as { skipped: { file: string; reason: string }[] };
      const entry = report.skipped.find((skip) => skip.file === 'deploy/.DS_Store');
      if (named) expect(entry?.reason).toMatch(/^UTF-32[BL]E text, no byte order mark\b.*save it as UTF-8/);
      else expect(entry).toBeUndefined();
    });
  }
});
