import type { ScanFile } from '../scan-file.js';
import { isKongDeclarative, isKongPluginResource, kongPlugins } from '../sources/kong.js';
import type { DetectFinding, DetectForbidden } from '../types.js';
import { asList, asText, dig, type YamlDocument } from '../yaml-documents.js';
import { forbiddenCodeLines, type ProxyCodeFiles } from './proxy-code.js';
import { forbiddenUnder } from './result.js';
import { kongDenial } from '../../openapi/kong-plugins.js';

/**
 * Kong Gateway plugins that answer 403 themselves (Kong Plugin Hub):
 * - `acl`: a consumer outside the allowed groups gets "403 You cannot consume this service"; no setting changes
 *   the status;
 * - `ip-restriction`: a refused address gets `config.status`, 403 when unset;
 * - `request-termination`: answers `config.status_code` (503 when unset) to every request it runs on;
 * - `bot-detection`: a refused User-Agent gets 403; no setting changes the status;
 * - serverless functions (`pre-function`, `post-function`) whose Lua calls `kong.response.exit(403 ...)` or
 *   `ngx.exit(403)`.
 * On a Kong that asks for client certificates every host sees the certificate (see sources/kong.ts), so each of
 * these, wherever it is configured on that Kong, answers 403 on an mTLS connection.
 */
export interface KongDenial {
  file: string;
  line: number;
  plugin: string;
  /** The plugin entry as written, one line. */
  evidence: string;
  /** Paths of the routes it applies to; empty: every route. */
  paths: string[];
  /** Where it is configured: the resource's name for a `KongPlugin` (applied where it is referenced). */
  note?: string;
}

/** Kong 403 plugins read from every file. */
export interface KongFacts {
  denials: KongDenial[];
  /** The repository's code files, listed once per run (custom plugins' handlers are looked up there). */
  codeFiles: ProxyCodeFiles;
}

/** Empty facts; `codeFiles`: the run's code files. */
export function noKongFacts(codeFiles: ProxyCodeFiles): KongFacts {
  return { denials: [], codeFiles };
}

/** Files that may hold Kong configuration (declarative config or Kong Ingress Controller resources). */
export function isKongCandidate(file: ScanFile): boolean {
  return (
    /\.(ya?ml|json)$/i.test(file.baseName) && /_format_version|configuration\.konghq\.com/.test(file.text)
  );
}

const FUNCTION_PLUGINS = new Set(['pre-function', 'post-function']);
/** The bundled plugins `denialOf` knows; any other plugin with a denial is a custom one read from its code. */
const KNOWN_DENIALS = new Set(['acl', 'bot-detection', 'ip-restriction', 'request-termination']);

/** Whether a plugin answers 403 itself, from its name and `config` (the model's {@link kongDenial}). */
function denialOf(name: string, config: unknown): boolean {
  return kongDenial(name, config) !== undefined;
}

/**
 * Reads the 403 plugins of one file into `facts`: declarative configurations' plugins (enabled ones) and
 * `KongPlugin` / `KongClusterPlugin` resources. `documents` are the file's parsed YAML documents.
 */
export function readKongPlugins(file: ScanFile, documents: YamlDocument[], facts: KongFacts): void {
  const files = facts.codeFiles;
  for (const document of documents) {
    if (isKongDeclarative(document.data)) {
      for (const entry of kongPlugins(document.data)) {
        if (customPluginDenials(files, entry.name, entry.paths, facts)) continue;
        if (!denialOf(entry.name, entry.plugin.config)) continue;
        facts.denials.push({
          file: file.relative,
          line: document.lineOf([...entry.path, 'name']),
          plugin: entry.name,
          evidence: document.evidence([...entry.path, 'name']),
          paths: entry.paths,
        });
      }
    } else if (isKongPluginResource(document.data)) {
      const name = asText(dig(document.data, 'plugin')) ?? '';
      if (dig(document.data, 'disabled') === true) continue;
      if (customPluginDenials(files, name, [], facts)) continue;
      if (!denialOf(name, dig(document.data, 'config'))) continue;
      facts.denials.push({
        file: file.relative,
        line: document.lineOf(['plugin']),
        plugin: name,
        evidence: document.evidence(['plugin']),
        paths: [],
        note:
          `${asText(dig(document.data, 'kind'))} \`${asText(dig(document.data, 'metadata', 'name')) ?? name}\`: ` +
          'it answers on the routes, services and consumers whose `konghq.com/plugins` annotation names it' +
          (asList(dig(document.data, 'metadata', 'labels', 'global')).includes('true')
            ? ' (global: every route)'
            : ''),
      });
    }
  }
}

/**
 * A custom plugin whose code the repository holds (Kong PDK plugins live in `kong/plugins/<name>/handler.lua`):
 * each 403 its handler answers (`kong.response.exit(403, ...)`) is a denial. Returns whether the plugin's code
 * was found (then the bundled-plugin rules do not apply to it).
 */
function customPluginDenials(
  files: ProxyCodeFiles,
  name: string,
  paths: string[],
  facts: KongFacts,
): boolean {
  if (!name || !/^[\w-]+$/.test(name)) return false;
  const handler = files.resolve(`kong/plugins/${name}/handler.lua`, files.root, 2);
  if (!handler) return false;
  for (const hit of forbiddenCodeLines(handler.text, 'lua'))
    facts.denials.push({
      file: files.relative(handler.absolute),
      line: hit.line,
      plugin: name,
      evidence: hit.evidence,
      paths,
      note: `custom plugin \`${name}\`'s handler`,
    });
  return true;
}

/** The change that makes a Kong 403 plugin answer `status`. */
function fixFor(plugin: string, status: number): string {
  if (plugin === 'ip-restriction') return `set config.status: ${status} (ip-restriction's own setting)`;
  if (plugin === 'request-termination') return `set config.status_code: ${status}`;
  if (FUNCTION_PLUGINS.has(plugin) || !KNOWN_DENIALS.has(plugin))
    return `change the 403 in its kong.response.exit / ngx.exit call to ${status}`;
  return (
    `${plugin} answers 403 and has no setting for its status: turn its 403 into ${status} with an ` +
    `exit-transformer function (Kong Gateway Enterprise) on the same routes, or make the check upstream answer ${status}`
  );
}

/**
 * Each Kong 403 plugin, on a Kong that asks for client certificates: tied to the Kong finding of its own file
 * when there is one, else to the first Kong finding (a `KongPlugin` in its own manifest, a split decK
 * configuration). No Kong finding: nothing (no client certificate is asked for).
 */
export function kongForbidden(
  findings: readonly DetectFinding[],
  facts: KongFacts,
  status: number,
): DetectForbidden[] {
  const kong = findings.filter((finding) => finding.source === 'kong');
  if (kong.length === 0) return [];
  return facts.denials.map((denial) => {
    const finding = kong.find((candidate) => candidate.file === denial.file) ?? kong[0];
    const entry = forbiddenUnder(finding, {
      line: denial.line,
      source: 'kong',
      evidence: `${denial.evidence} (${denial.plugin}: 403)`,
      paths: denial.paths,
      fix: fixFor(denial.plugin, status),
      ...(denial.note ? { note: denial.note } : {}),
    });
    // The 403 is written where the plugin is, which may be another file than the finding's.
    return { ...entry, file: denial.file };
  });
}
