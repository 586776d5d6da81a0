import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { specifierPackage } from './specifier-packages.js';

/**
 * Deno's import map: the `imports` of a `deno.json` / `deno.jsonc` (and of the file its `importMap` names), from a
 * file's folder up to the repository root (the first folder holding `.git`), the nearest entry winning. A Deno
 * project declares its dependencies there, not in a package.json (`"hono": "jsr:@hono/hono@^4"`), and imports
 * through the keys (`import { Hono } from "hono"`, `"@/": "./src/"`, `"server/": "jsr:@hono/hono@^4/"`).
 * Sources of facts: https://docs.deno.com/runtime/fundamentals/modules/ (import maps, trailing-slash prefixes).
 */
export type ImportMapEntries = ReadonlyMap<string, string>;

const NONE: ImportMapEntries = new Map();

/**
 * The import map in force for files of `folder` (cached per folder; an unreadable or missing file counts as
 * empty: a broken deno.json is Deno's error to report).
 */
export function denoImportsAbove(folder: string, cache: Map<string, ImportMapEntries>): ImportMapEntries {
  const cached = cache.get(folder);
  if (cached) return cached;
  const own = readDenoImports(folder);
  const parent = path.dirname(folder);
  const atTop = parent === folder || existsSync(path.join(folder, '.git'));
  const above = atTop ? NONE : denoImportsAbove(parent, cache);
  const result = own.size ? new Map([...above, ...own]) : above;
  cache.set(folder, result);
  return result;
}

/** The `imports` of `folder`'s deno.json or deno.jsonc, its `importMap` file's first (deno.json's own win). */
function readDenoImports(folder: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const name of ['deno.json', 'deno.jsonc']) {
    const config = readJson(path.join(folder, name));
    if (!config) continue;
    if (typeof config.importMap === 'string') {
      const map = readJson(path.resolve(folder, config.importMap));
      if (map) addImports(result, map.imports);
    }
    addImports(result, config.imports);
    break;
  }
  return result;
}

function addImports(into: Map<string, string>, imports: unknown): void {
  if (!imports || typeof imports !== 'object') return;
  for (const [key, value] of Object.entries(imports)) if (typeof value === 'string') into.set(key, value);
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const value: unknown = JSON.parse(stripJsonComments(readFileSync(file, 'utf8')));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** JSONC as JSON: comments and trailing commas go, strings stay as written. */
function stripJsonComments(text: string): string {
  return text
    .replace(
      /("(?:[^"\\\n]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g,
      (match, string: string | undefined) => string ?? '',
    )
    .replace(
      /("(?:[^"\\\n]|\\.)*")|,(\s*[}\]])/g,
      (match, string: string | undefined, close: string) => string ?? close,
    );
}

/**
 * What an import-map key makes of a specifier (an exact key, else the longest key ending in `/` that prefixes
 * it); undefined when no key applies.
 */
export function mappedSpecifier(specifier: string, imports: ImportMapEntries): string | undefined {
  const exact = imports.get(specifier);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  for (const key of imports.keys())
    if (key.endsWith('/') && specifier.startsWith(key) && (!best || key.length > best.length)) best = key;
  return best === undefined ? undefined : `${imports.get(best)}${specifier.slice(best.length)}`;
}

/**
 * The module a specifier names through the import map, as the framework modules spell it: an `npm:` / `jsr:`
 * target is its package (`server/factory` -> `jsr:@hono/hono@^4/factory` -> `hono/factory`), a URL target as
 * mapped; a specifier no key maps or mapped to a path, as written.
 */
export function aliasedModule(specifier: string, imports: ImportMapEntries): string {
  if (!imports.size || specifier.startsWith('.') || specifier.startsWith('/')) return specifier;
  const mapped = mappedSpecifier(specifier, imports);
  // A path target (`"@/": "./src/"`) is relative to the deno.json, not to the file: left to module resolution.
  if (mapped === undefined || !/^(?:npm|jsr|https?):/.test(mapped)) return specifier;
  if (!/^(?:npm|jsr):/.test(mapped)) return mapped;
  const name = specifierPackage(mapped);
  // Hono's JSR name is the npm package the modules know (`@hono/hono/http-exception` -> `hono/http-exception`).
  return /^@hono\/hono(?:\/|$)/.test(name) ? name.slice('@hono/'.length) : name;
}

/** The packages an import map names (its `npm:` / `jsr:` / package-host URL targets): a Deno project's dependencies. */
export function importMapPackages(imports: ImportMapEntries): string[] {
  const packages: string[] = [];
  for (const target of imports.values()) {
    const name = specifierPackage(target);
    if (name === target && !/^(?:npm|jsr):/.test(target)) continue;
    const parts = name.split('/');
    packages.push(name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return packages;
}
