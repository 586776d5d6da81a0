// Injected into dist/ruleset.js (scripts/bundle-ruleset.mjs) for every free `process`: the host's, or a
// stand-in where there is none (the Spectral VS Code extension's sandbox): no working folder, no env.
const host = globalThis.process;
export const process = host ?? {
  cwd: () => '/',
  env: {},
  versions: {},
  platform: 'browser',
  emitWarning() {},
};
