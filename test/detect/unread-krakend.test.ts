import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 28: the KrakenD marker (`"enable_mtls": true`) named Eclipse Zenoh's TLS link settings (a message bus,
// no HTTP server) under "Not read" on af2ddfa3, and `--check` failed on them.
describe('detect: KrakenD enable_mtls only in a KrakenD configuration', () => {
  it.each([
    [
      'krakend.json with its schema',
      'krakend.json',
      '{\n  "$schema": "https://www.krakend.io/schema/krakend.json",\n  "version": 3,\n  "tls": { "enable_mtls": true, "ca_certs": ["ca.pem"] }\n}\n',
      true,
    ],
    [
      'a KrakenD configuration without the schema',
      'gateway/config.json',
      '{\n  "version": 3,\n  "tls": { "enable_mtls": true },\n  "endpoints": [ { "endpoint": "/a" } ]\n}\n',
      true,
    ],
    [
      'Zenoh TLS link settings (JSON5)',
      'zenoh/router.json5',
      '{\n  transport: { link: { tls: { "enable_mtls": true, "verify_name_on_connect": true } } }\n}\n',
      false,
    ],
    [
      'Zenoh settings built in Rust',
      'src/session.rs',
      'let value = json!({ "transport": { "link": { "tls": { "enable_mtls": true } } } });\n',
      false,
    ],
  ])('%s: named under "Not read" is %s', async (_name, file, text, named) => {
    const report = await detectMtls({ cwd: tempProject({ [file]: text }) });
    expect(report.skipped.some((skip) => skip.reason.includes('KrakenD mTLS'))).toBe(named);
  });
});
