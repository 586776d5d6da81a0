#!/usr/bin/env node
// Writes oclif.manifest.json after a build. Without it oclif imports every command module at start-up
// to learn their flags, and `migrate` pulls in the TypeScript compiler: ~0.4 s on every `lint`.
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
// oclif reads an existing manifest instead of the commands: drop it so flags never go stale.
rmSync(new URL('../oclif.manifest.json', import.meta.url), { force: true });
const config = await Config.load({ root });
const plugin = config.getPluginsList().find((candidate) => candidate.root === config.root);
if (!plugin) throw new Error('mtls-fix plugin not found');
// oclif's manifest leaves out multipleNonGreedy; the lean `lint` path (src/cli/lean.ts) needs it to parse as
// oclif does (one value per occurrence).
for (const [id, entry] of Object.entries(plugin.manifest.commands)) {
  const command = await config.findCommand(id)?.load();
  const definitions = { ...(command?.baseFlags ?? {}), ...(command?.flags ?? {}) };
  for (const [name, flag] of Object.entries(entry.flags ?? {})) {
    if (definitions[name]?.multipleNonGreedy) flag.multipleNonGreedy = true;
  }
}
writeFileSync(
  new URL('../oclif.manifest.json', import.meta.url),
  `${JSON.stringify(plugin.manifest, null, 2)}\n`,
);
