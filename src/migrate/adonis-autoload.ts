import path from 'node:path';
import type { AliasRule } from './module-aliases.js';

/**
 * AdonisJS 4's IoC autoload (the `autoload` key of the app's package.json, `{ "App": "./app" }`): the ioc
 * container resolves `use('App/Models/User')` to `./app/Models/User` under the package's folder. An Adonis 4
 * app (`@adonisjs/fold` or `@adonisjs/framework` among its dependencies) without the key autoloads `App` from
 * `./app`. Source: AdonisJS 4.1 docs, "IoC Container" (Autoloading) and "Service Providers"; the app template
 * adonisjs/adonis-fullstack-app package.json.
 *
 * @param source the package.json's path (the rule's `source`)
 * @param text its text; unparsable JSON gives no rule
 * @returns one rule per namespace: `App/X` to the absolute `<folder>/app/X`
 */
export function autoloadRules(source: string, text: string): AliasRule[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return [];
  }
  if (!manifest || typeof manifest !== 'object') return [];
  const { autoload, dependencies, devDependencies } = manifest as Record<string, unknown>;
  const namespaces = new Map<string, string>();
  if (autoload && typeof autoload === 'object')
    for (const [key, value] of Object.entries(autoload as Record<string, unknown>))
      if (typeof value === 'string') namespaces.set(key, value);
  const adonis4 = [dependencies, devDependencies].some(
    (d) => d && typeof d === 'object' && ('@adonisjs/fold' in d || '@adonisjs/framework' in d),
  );
  if (!namespaces.size && adonis4) namespaces.set('App', './app');
  const dir = path.dirname(source);
  return [...namespaces].map(([key, target]) => ({
    source,
    apply: (specifier: string) =>
      specifier.startsWith(`${key}/`)
        ? [path.resolve(dir, target, specifier.slice(key.length + 1))]
        : undefined,
  }));
}
