import type { DocumentSet, RefCache } from './document-set.js';
import type { Operation } from './operations.js';
import { isObject } from './pointer.js';
import type { SpecVersion } from './version.js';

export type SecurityRequirement = Record<string, unknown>;

export interface EffectiveSecurity {
  /** The alternatives (OR); each names schemes that must all hold (AND). Empty: no security. */
  alternatives: SecurityRequirement[];
  from: 'operation' | 'root' | 'none';
  /** The `security` array read (the operation's own, else the root's; null: neither): a cache key. */
  list: readonly unknown[] | null;
}

/** `operation.security` if present, else the root `security`; `[]` means none (OAS 3.1 §4.8.10). */
export function effectiveSecurity(set: DocumentSet, operation: Operation): EffectiveSecurity {
  const own = operation.location.value.security;
  if (Array.isArray(own)) return { alternatives: own.filter(isObject), from: 'operation', list: own };
  const rootSecurity = isObject(set.root.data) ? set.root.data.security : undefined;
  if (Array.isArray(rootSecurity))
    return { alternatives: rootSecurity.filter(isObject), from: 'root', list: rootSecurity };
  return { alternatives: [], from: 'none', list: null };
}

export interface SchemeVerdict {
  mtls: boolean;
  /** Why the scheme means mTLS: `type: mutualTLS`, `config mtls.schemes`, `x-mtls: true`. */
  reason?: string;
}

/**
 * Whether the named scheme means mTLS: its type, our `x-mtls` marker, or the configured names. `refs`: see
 * {@link DocumentSet.follow}.
 */
export function classifyScheme(
  set: DocumentSet,
  version: SpecVersion,
  name: string,
  configuredSchemes: readonly string[],
  refs?: RefCache,
): SchemeVerdict {
  if (configuredSchemes.includes(name)) return { mtls: true, reason: 'listed in mtls.schemes' };
  const root = isObject(set.root.data) ? set.root.data : {};
  const container =
    version.kind === 'swagger2'
      ? root.securityDefinitions
      : isObject(root.components)
        ? root.components.securitySchemes
        : undefined;
  if (!isObject(container) || container[name] === undefined) return { mtls: false };
  const containerPath =
    version.kind === 'swagger2' ? ['securityDefinitions'] : ['components', 'securitySchemes'];
  const scheme = set.follow({ file: set.root, path: [...containerPath, name], value: container[name] }, refs);
  if (!scheme || !isObject(scheme.value)) return { mtls: false };
  if (scheme.value['x-mtls'] === true) return { mtls: true, reason: 'x-mtls: true' };
  if (scheme.value.type === 'mutualTLS') return { mtls: true, reason: 'type: mutualTLS' };
  return { mtls: false };
}
