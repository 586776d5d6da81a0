import { readFileSync } from 'node:fs';
import path from 'node:path';
import { asList, asObject } from '../yaml-documents.js';
import { escapeRegExp } from '../../util/regexp.js';
import { LineIndex } from '../text.js';

/** Where a module value is written: the file (relative, as reported) and the 1-based line of its name. */
export interface ModuleValueSource {
  file: string;
  line: number;
  text: string;
}

/** A `locals` entry or a `variable`'s `default` of one Terraform module, with where it is written. */
interface ModuleValue {
  value: unknown;
  source: ModuleValueSource;
  /** `var.X`: its default, which a caller or a .tfvars file may replace. */
  isDefault: boolean;
}

/**
 * What the Kubernetes objects of one Terraform module read from the module's other files: its `locals` and its
 * variables' defaults, by reference (`local.NAME`, `var.NAME`), gathered from every `.tf` file of the folder (a
 * Terraform module is the `.tf` files of one folder: Terraform docs, "Modules Overview"). `used` collects the files
 * whose values a read object took, so that a file holding only those values (`locals.tf` with the ingress-nginx
 * annotations) is not named as holding a setting nobody read.
 */
export class TerraformModules {
  private readonly folders = new Map<string, Promise<Map<string, ModuleValue>>>();
  /** The run's `.tf` files by folder, grouped when a module is first asked for (one pass over the run's files). */
  private tfFiles?: Map<string, string[]>;
  /** Relative paths of the files whose values an object read took. */
  readonly used = new Set<string>();

  /**
   * `files`: every file of the run (absolute); `relativeOf` gives the name a file is reported by. Only folders
   * holding a `.tf` file are ever read, and each once, when a Terraform file of that folder first asks.
   */
  constructor(
    private readonly files: readonly string[],
    private readonly relativeOf: (absolute: string) => string,
  ) {}

  /** The folder of `absolute` as a module: `local.NAME` / `var.NAME` -> value. Never throws. */
  async valuesOf(absolute: string): Promise<Map<string, ModuleValue>> {
    const folder = path.dirname(absolute);
    let values = this.folders.get(folder);
    if (!values) {
      values = this.readFolder(folder);
      this.folders.set(folder, values);
    }
    return values;
  }

  private async readFolder(folder: string): Promise<Map<string, ModuleValue>> {
    const { parse } = await import('@cdktf/hcl2json');
    const values = new Map<string, ModuleValue>();
    if (!this.tfFiles) {
      this.tfFiles = new Map();
      for (const absolute of this.files) {
        if (!absolute.endsWith('.tf')) continue;
        const inFolder = this.tfFiles.get(path.dirname(absolute)) ?? [];
        inFolder.push(absolute);
        this.tfFiles.set(path.dirname(absolute), inFolder);
      }
    }
    for (const absolute of this.tfFiles.get(folder) ?? []) {
      let text: string;
      let parsed: Record<string, unknown>;
      try {
        text = readFileSync(absolute, 'utf8');
        if (!/\b(?:locals|variable)\b/.test(text)) continue;
        parsed = (await parse(absolute, text)) as Record<string, unknown>;
      } catch {
        // A file that does not parse is named by the file's own read.
        continue;
      }
      const relative = this.relativeOf(absolute);
      const lines = new LineIndex(text);
      const at = (pattern: RegExp): ModuleValueSource => {
        const found = pattern.exec(text);
        const line = found ? lines.lineOf(found.index + found[0].length - found[0].trimStart().length) : 1;
        return { file: relative, line, text };
      };
      for (const block of asList(parsed.locals))
        for (const [name, value] of Object.entries(asObject(block) ?? {}))
          values.set(`local.${name}`, {
            value,
            source: at(new RegExp(`^[ \\t]*${escapeRegExp(name)}[ \\t]*=`, 'm')),
            isDefault: false,
          });
      for (const [name, blocks] of Object.entries(asObject(parsed.variable) ?? {})) {
        const block = asObject(asList(blocks)[0]);
        if (!block || !('default' in block)) continue;
        values.set(`var.${name}`, {
          value: block.default,
          source: at(new RegExp(`\\bvariable\\s+"${escapeRegExp(name)}"`)),
          isDefault: true,
        });
      }
    }
    return values;
  }
}

/** What {@link resolveModuleMap} made of an expression: the object, and where its values are written. */
export interface ResolvedModuleMap {
  value: Record<string, unknown>;
  /** `local.x (locals.tf:3)`, one per reference taken. */
  from: string[];
  /** Some value is a variable's default (a caller or a .tfvars file may replace it). */
  fromDefault: boolean;
  /** The files (relative) its values were taken from. */
  files: string[];
}

const REFERENCE = /^(?:local|var)\.[A-Za-z_][\w-]*$/;

/**
 * The map an HCL expression stands for when it is made of the module's values only: a reference
 * (`local.annotations`, `var.annotations` with a default), `merge(a, b, { "k" = "v" })` of references and object
 * literals (later keys win, as Terraform's `merge`), and an object whose values are references
 * (`{ "k" = var.verify }`). `expression` is @cdktf/hcl2json's rendering (`${local.annotations}`, or the object with
 * `${var.verify}` values). Undefined when any part is something else (a function, a condition, a variable without
 * a default): the expression is then left as written for the readers. Records the files it took values from in
 * `modules.used` when the whole expression resolves. Never throws.
 */
export async function resolveModuleMap(
  expression: unknown,
  values: ReadonlyMap<string, ModuleValue>,
  modules: TerraformModules,
  depth = 0,
): Promise<ResolvedModuleMap | undefined> {
  if (depth > 8) return undefined;
  const out: ResolvedModuleMap = { value: {}, from: [], fromDefault: false, files: [] };
  const take = (name: string): ModuleValue | undefined => {
    const found = values.get(name);
    if (!found) return undefined;
    out.files.push(found.source.file);
    out.from.push(`${name} (${found.source.file}:${found.source.line})`);
    if (found.isDefault) out.fromDefault = true;
    return found;
  };
  const object = asObject(expression);
  if (object) {
    for (const [key, value] of Object.entries(object)) {
      const reference = typeof value === 'string' ? /^\$\{\s*([\w.-]+)\s*\}$/.exec(value)?.[1] : undefined;
      if (reference === undefined || !REFERENCE.test(reference)) {
        out.value[key] = value;
        continue;
      }
      const found = take(reference);
      if (!found || (typeof found.value !== 'string' && typeof found.value !== 'number')) return undefined;
      out.value[key] = found.value;
    }
    return done(out);
  }
  if (typeof expression !== 'string') return undefined;
  const inner = /^\$\{\s*([\s\S]*?)\s*\}$/.exec(expression)?.[1];
  if (inner === undefined) return undefined;
  const parts = REFERENCE.test(inner) ? [inner] : mergeArguments(inner);
  if (!parts) return undefined;
  for (const part of parts) {
    let next: ResolvedModuleMap | undefined;
    if (REFERENCE.test(part)) {
      const found = take(part);
      if (!found) return undefined;
      next = await resolveModuleMap(
        typeof found.value === 'string' || asObject(found.value) ? found.value : undefined,
        values,
        modules,
        depth + 1,
      );
    } else if (part.startsWith('{')) {
      next = await resolveModuleMap(await objectLiteral(part), values, modules, depth + 1);
    }
    if (!next) return undefined;
    Object.assign(out.value, next.value);
    out.from.push(...next.from);
    out.files.push(...next.files);
    out.fromDefault ||= next.fromDefault;
  }
  return done(out);

  function done(result: ResolvedModuleMap): ResolvedModuleMap {
    if (depth === 0) for (const file of result.files) modules.used.add(file);
    return result;
  }
}

/** The arguments of `merge(...)` split at their top-level commas, or undefined for any other expression. */
function mergeArguments(inner: string): string[] | undefined {
  const body = /^merge\(([\s\S]*)\)$/.exec(inner)?.[1];
  if (body === undefined) return undefined;
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let at = 0; at < body.length; at++) {
    const char = body[at];
    if (quoted) {
      if (char === '\\') at++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '{' || char === '(' || char === '[') depth++;
    else if (char === '}' || char === ')' || char === ']') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(body.slice(start, at).trim());
      start = at + 1;
    }
  }
  parts.push(body.slice(start).trim());
  return parts.filter(Boolean);
}

/** An HCL object literal (`{ "k" = "v" }`) as @cdktf/hcl2json reads it, or undefined. */
async function objectLiteral(text: string): Promise<unknown> {
  const { parse } = await import('@cdktf/hcl2json');
  try {
    const parsed = (await parse('literal.tf', `literal = ${text}\n`)) as Record<string, unknown>;
    return asObject(parsed.literal);
  } catch {
    return undefined;
  }
}
