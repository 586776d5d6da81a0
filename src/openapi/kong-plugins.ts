import { findMtlsFixError, type MtlsFixError } from '../errors.js';
import type { DocumentSet, Located } from './document-set.js';
import type { SourceFile } from './source.js';
import type { Operation } from './operations.js';
import { getAtPath, isObject, type JsonPath } from './pointer.js';

/** The prefix of the OpenAPI extensions decK's `openapi2kong` turns into Kong plugins (`x-kong-plugin-acl`). */
export const KONG_PLUGIN_PREFIX = 'x-kong-plugin-';

/** What a Kong plugin that answers 403 lets a user change about that status. */
export type KongStatusSetting =
  /** The status is a `config` field (`ip-restriction`'s `status`, `request-termination`'s `status_code`). */
  | { kind: 'field'; field: string }
  /** No setting changes it (`acl`, `bot-detection`); or it is in the plugin's code (serverless functions). */
  | { kind: 'none'; why: string };

/** A Kong plugin configuration that answers 403, and how. */
export interface KongDenial {
  /** When the plugin answers 403, as a phrase. */
  when: string;
  setting: KongStatusSetting;
}

const LUA_EXIT_403 = /\b(?:kong\.response\.(?:exit|error)|ngx\.exit)\s*\(\s*403\b/;

/**
 * Whether the Kong plugin `name` with `config` answers 403 itself, and how (Kong Plugin Hub): `acl` (a consumer
 * outside the allowed groups: "You cannot consume this service", no setting for the status), `bot-detection` (a
 * refused User-Agent, no setting), `ip-restriction` (a refused address gets `config.status`, 403 when unset),
 * `request-termination` (answers `config.status_code` to every request, 503 when unset), `pre-function` /
 * `post-function` whose Lua calls `kong.response.exit(403 ...)` or `ngx.exit(403)`. Undefined for anything else.
 */
export function kongDenial(name: string, config: unknown): KongDenial | undefined {
  const field = (key: string): unknown => (isObject(config) ? config[key] : undefined);
  if (name === 'acl')
    return {
      when: 'to a consumer outside its allowed groups',
      setting: { kind: 'none', why: 'acl has no setting for the status it answers' },
    };
  if (name === 'bot-detection')
    return {
      when: 'to a refused User-Agent',
      setting: { kind: 'none', why: 'bot-detection has no setting for the status it answers' },
    };
  if (name === 'ip-restriction') {
    const status = field('status');
    return status === undefined || status === null || Number(status) === 403
      ? { when: 'to a refused client address', setting: { kind: 'field', field: 'status' } }
      : undefined;
  }
  if (name === 'request-termination')
    return Number(field('status_code')) === 403
      ? { when: 'to every request it runs on', setting: { kind: 'field', field: 'status_code' } }
      : undefined;
  if (
    (name === 'pre-function' || name === 'post-function') &&
    LUA_EXIT_403.test(JSON.stringify(config ?? {}))
  )
    return {
      when: 'where its Lua code exits with 403',
      setting: { kind: 'none', why: 'the 403 is in its Lua code' },
    };
  return undefined;
}

/** One `x-kong-plugin-*` extension that answers 403 on mTLS-secured operations. */
export interface KongDenialEntry {
  /** The plugin name (`acl`). */
  plugin: string;
  denial: KongDenial;
  /** Where the extension is written (its key's value). */
  location: Located;
  /** Where the plugin's configuration is, when the extension is a `$ref` to it. */
  through?: Located;
  /** The mTLS-secured operations it applies to (no nearer extension of the same plugin), in document order. */
  operations: Operation[];
}

/**
 * The `x-kong-plugin-<name>` extensions (decK `openapi2kong`: on the root for the service, a path item for its
 * routes, an operation for its route; the plugin is the value's `name` when written, else `<name>`) that answer 403 ({@link kongDenial}) on mTLS-secured operations. A plugin
 * on an operation overrides the same plugin on its path item, which overrides the root's (Kong's precedence of a
 * route's plugin over its service's), so each operation counts under the nearest one; one with `enabled: false`
 * is passed over (it hides nothing farther out). `secured`: the mTLS-secured operations, in document order.
 * `onUnread` hears each plugin `$ref` that cannot be followed (that plugin is then not read).
 */
export function kongDenialEntries(
  set: DocumentSet,
  secured: readonly Operation[],
  onUnread?: (error: MtlsFixError) => void,
): KongDenialEntry[] {
  const entries = new Map<string, KongDenialEntry>();
  const root = isObject(set.root.data) ? set.root.data : {};
  for (const operation of secured) {
    // A path item key is written in the `paths` entry, or (a `$ref`'d path item) beside the operation.
    const inEntry = (key: string): boolean => {
      const entry = getAtPath(set.root.data, operation.entryPath);
      return isObject(entry) && key in entry;
    };
    const places: [Record<string, unknown>, (key: string) => [SourceFile, JsonPath]][] = [
      [operation.location.value, () => [operation.location.file, operation.location.path]],
      [
        operation.pathItem,
        (key) =>
          inEntry(key)
            ? [set.root, operation.entryPath]
            : [operation.location.file, operation.location.path.slice(0, -1)],
      ],
      [root, () => [set.root, []]],
    ];
    const seen = new Set<string>();
    for (const [node, where] of places) {
      // `for...in` and a prefix test: this runs for every mTLS-secured operation of documents that have no plugin.
      for (const key in node) {
        if (!key.startsWith(KONG_PLUGIN_PREFIX)) continue;
        const written = node[key];
        const [file, path] = where(key);
        // decK resolves a `$ref` to a reusable plugin (`#/components/x-kong/plugins/<name>`).
        const followed = followPlugin(set, { file, path: [...path, key], value: written }, onUnread);
        const value = followed?.value;
        // decK reads the plugin's name from its `name` when written, else from the key.
        const plugin =
          isObject(value) && typeof value.name === 'string' && value.name.trim() !== ''
            ? value.name.trim()
            : key.slice(KONG_PLUGIN_PREFIX.length);
        // A disabled one hides nothing farther out (as the mTLS reading of x-kong-plugin-mtls-auth does).
        if (seen.has(plugin) || !isObject(value) || value.enabled === false) continue;
        seen.add(plugin);
        const denial = kongDenial(plugin, value.config);
        if (!denial) continue;
        const id = `${file.path}#${[...path, key].join('\0')}`;
        const known = entries.get(id);
        if (known) known.operations.push(operation);
        else
          entries.set(id, {
            plugin,
            denial,
            location: { file, path: [...path, key], value: written },
            ...(followed && followed.value !== written ? { through: followed } : {}),
            operations: [operation],
          });
      }
    }
  }
  return [...entries.values()];
}

/** The plugin value after its `$ref`s; undefined when one cannot be followed (the plugin is then not read). */
function followPlugin(
  set: DocumentSet,
  at: Located,
  onUnread: ((error: MtlsFixError) => void) | undefined,
): Located | undefined {
  try {
    return set.follow(at);
  } catch (error) {
    const inputError = findMtlsFixError(error);
    if (!inputError) throw error;
    onUnread?.(inputError);
    return undefined;
  }
}
