/**
 * AdonisJS 4's IoC autoload (the `autoload` key of the app's package.json, `{ "App": "./app" }`): the ioc
 * container resolves `use('App/Models/User')` to `./app/Models/User` under the package's folder. An Adonis 4
 * app (`@adonisjs/fold` or `@adonisjs/framework` among its dependencies) without the key autoloads `App` from
 * `./app`. Source: AdonisJS 4.1 docs, "IoC Container" (Autoloading); an app's package.json as written
 * (higueraf/blog-adonisjs: `"autoload": { "App": "./app" }`).
 *
 * @param text a package.json's text; unparsable JSON gives none
 * @returns namespace -> folder relative to the package.json (`App` -> `./app`), empty when it declares none
 */
export function autoloadNamespaces(text: string): Map<string, string> {
  const namespaces = new Map<string, string>();
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return namespaces;
  }
  if (!manifest || typeof manifest !== 'object') return namespaces;
  const { autoload, dependencies, devDependencies } = manifest as Record<string, unknown>;
  if (autoload && typeof autoload === 'object')
    for (const [key, value] of Object.entries(autoload as Record<string, unknown>))
      if (typeof value === 'string') namespaces.set(key, value);
  const adonis4 = [dependencies, devDependencies].some(
    (d) => d && typeof d === 'object' && ('@adonisjs/fold' in d || '@adonisjs/framework' in d),
  );
  if (!namespaces.size && adonis4) namespaces.set('App', './app');
  return namespaces;
}
