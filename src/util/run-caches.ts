/**
 * Caches of what one run read of the file system (a folder's package.json names, a module's re-exports, a
 * folder's serverless.yml handlers), kept at module level so the modules of a run share them, and emptied when the
 * next run starts (`clearRunCaches`, called by `migrate()`): a long-lived process that runs again after files
 * changed (an editor integration, a watch script, a test suite calling the API) reads them as they are now.
 * Two runs at once in one process share the caches; the second one's start empties them, so the first reads those
 * files again (the same answers while the files do not change).
 */

const caches = new Set<Map<unknown, unknown>>();

/** A new cache for one run's answers, emptied by {@link clearRunCaches}. */
export function runCache<K, V>(): Map<K, V> {
  const cache = new Map<K, V>();
  caches.add(cache);
  return cache;
}

/** Empties every cache made by {@link runCache}: called when a run starts. */
export function clearRunCaches(): void {
  for (const cache of caches) cache.clear();
}
