import { existsSync } from 'node:fs';
import path from 'node:path';
import { readDependencies } from '../package-dependencies.js';
import type { Project } from './project.js';
import { packageFolderOf } from './setting-reads.js';

/** A framework as an app's folder shows it: a package its package.json names, or a configuration file it holds. */
export interface AppFramework {
  /** Package names, one of which the app's package.json depends on. */
  readonly packages: readonly string[];
  /** File names (`next.config.ts`), one of which the app's folder holds. */
  readonly configs: readonly string[];
}

/** The extensions a framework's configuration file may have (`next.config.mjs`, `nuxt.config.ts`). */
const CONFIG_EXTENSIONS = ['js', 'mjs', 'cjs', 'ts', 'mts'];

/** `name.js`, `name.mjs`, … for each configuration file name given without its extension. */
export function configFiles(...names: string[]): string[] {
  return names.flatMap((n) => CONFIG_EXTENSIONS.map((e) => `${n}.${e}`));
}

/**
 * Nuxt 3+, Nitro on its own, Analog and SolidStart: the apps whose `server/` folder Nitro routes by file name
 * (file-routes.ts) and whose `server/middleware/**` runs before every request (request-middleware.ts). Sources:
 * nuxt.com/docs/guide/directory-structure/server, nitro.build/guide/routing.
 */
export const NITRO: AppFramework = {
  packages: [
    'nuxt',
    'nuxt3',
    'nuxt-nightly',
    'nitropack',
    'nitro',
    'nitropack-nightly',
    '@analogjs/platform',
  ],
  configs: configFiles('nuxt.config', 'nitro.config'),
};

/** What each project has read: package folders by file folder, dependency names by package folder, answers. */
interface Known {
  folders: Map<string, string>;
  dependencies: Map<string, ReadonlySet<string>>;
  answers: Map<AppFramework, Map<string, boolean>>;
}
const known = new WeakMap<Project, Known>();

function cacheOf(project: Project): Known {
  let cache = known.get(project);
  if (!cache)
    known.set(project, (cache = { folders: new Map(), dependencies: new Map(), answers: new Map() }));
  return cache;
}

/**
 * The package folder of an app file (`absolute`): the folder of the nearest package.json above it, up to the
 * project's folder (setting-reads.ts `packageFolderOf`), looked up once per folder and project.
 */
export function appFolderOf(project: Project, absolute: string): string {
  const { folders } = cacheOf(project);
  const folder = path.dirname(absolute);
  let found = folders.get(folder);
  if (found === undefined) {
    found = packageFolderOf(absolute, project.cwd);
    folders.set(folder, found);
  }
  return found;
}

/**
 * Whether the app at `folder` (an absolute package folder) is built with `framework`: the folder holds one of its
 * configuration files, or its package.json names one of its packages among its dependencies (dependencies,
 * devDependencies, peerDependencies, optionalDependencies; package-dependencies.ts). Answered once per folder,
 * framework and project, and each package.json read once per project; an unreadable one names none.
 */
export function appUses(project: Project, folder: string, framework: AppFramework): boolean {
  const { dependencies, answers } = cacheOf(project);
  let byFolder = answers.get(framework);
  if (!byFolder) answers.set(framework, (byFolder = new Map<string, boolean>()));
  const answered = byFolder.get(folder);
  if (answered !== undefined) return answered;
  const named = (): ReadonlySet<string> => {
    let names = dependencies.get(folder);
    if (!names) dependencies.set(folder, (names = readDependencies(path.join(folder, 'package.json'))));
    return names;
  };
  const found =
    framework.configs.some((name) => existsSync(path.join(folder, name))) ||
    framework.packages.some((name) => named().has(name));
  byFolder.set(folder, found);
  return found;
}
