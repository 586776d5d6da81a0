import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FileAnalysis } from './analysis.js';
import type { DiscoveredFile } from './discover.js';
import { dependenciesAbove } from './package-dependencies.js';
import { aliasedModule, denoImportsAbove, type ImportMapEntries } from './frameworks/deno-config.js';
import { selectFrameworks, type Framework } from './frameworks/index.js';
import { ProjectLinks } from './links.js';
import { firstOccurrence, minifiedShape, minifiedWarning } from './minified.js';
import {
  firstErrorMessage,
  isTooDeep,
  parseFailureHint,
  parseSource,
  syntaxErrors,
  TOO_DEEP_MESSAGE,
} from './parse.js';
import { CANDIDATE_TEST } from './prefilter.js';
import { cachedTextReader } from './read-ahead.js';
import { ModuleResolver } from './resolve.js';
import { trimForRoutes, wiringMethodNames } from './routes/skeleton.js';
import { WIRINGS } from './routes/wirings.js';
import { analyzeSource } from './transform.js';
import type { MigrateOptions, MinifiedFile, ReportError, Site } from './types.js';
import type ts from '../typescript.cjs';
import { wideSource, wideSourceMessage, type WideSource } from './wide-sources.js';
import { lineAndCharacterAt, linesOf, linesOfText } from '../util/lines.js';

/** A position in a file as the report gives it: 1-based line and column (a BOM not counted). */
export interface LineAndColumn {
  line: number;
  column: number;
}

/**
 * What one `migrate` run has read, parsed and analysed, shared by its phases (engine.ts): the texts (read once,
 * by the sources thread or here), the parsed trees (each file parsed once, shared by export reading and the
 * analysis), the analyses by absolute path, the files that did not parse (`errors`) and the bundles recognised by
 * their text (`minified`). Holds no decision about sites: the phases make those.
 */
export class RunFiles {
  /** Absolute path -> text, filled by the readers (`textOf`, the sources thread's reads). */
  readonly texts = new Map<string, string>();
  /** A file's text, read on first use. Throws what `readFileSync` throws. */
  readonly textOf: (absolute: string) => string;
  /** Absolute path -> analysis, in the order the files were analysed. */
  readonly analyses = new Map<string, FileAnalysis>();
  /** Files that could not be analysed (a parse error), each named with why. */
  readonly errors: ReportError[] = [];
  /** Relative path -> warning, for bundles recognised by their text (skipped like `*.min.js`). */
  readonly minified = new Map<string, string>();
  /** Where each skipped bundle holds its first 403 form. */
  readonly minifiedFiles: MinifiedFile[];
  /** Files written in UTF-16 or UTF-32 that hold no 403 form (relative paths): skipped. */
  readonly wideFiles = new Set<string>();
  /** Imports, re-exports and declarations across the project's files. */
  readonly links: ProjectLinks;
  private readonly byAbsolute: Map<string, DiscoveredFile>;
  private readonly parsed = new Map<string, ts.SourceFile>();
  private readonly routeTrees = new Map<string, ts.SourceFile | undefined>();
  private readonly dependencyCache = new Map<string, ReadonlySet<string>>();
  private readonly importMapCache = new Map<string, ImportMapEntries>();
  private readonly wiringMethods = wiringMethodNames(WIRINGS);

  /**
   * @param cwd the run's folder (absolute).
   * @param options the run's options (status, frameworks, `WWW-Authenticate`).
   */
  constructor(
    readonly cwd: string,
    private readonly options: MigrateOptions,
  ) {
    this.textOf = cachedTextReader(this.texts);
    this.byAbsolute = new Map();
    this.minifiedFiles = [];
    this.links = new ProjectLinks(
      new ModuleResolver(),
      (absolute) => this.sourceOf(absolute),
      (absolute) => this.textOf(absolute),
      (absolute) => this.importedText(absolute),
      (test) => this.filesWhere(test),
    );
  }

  /**
   * The run's files (absolute) whose text passes `test`, each read as `peekText` reads it (nothing kept); a file
   * that cannot be read is left out. Reads every file of the run: for a rare question, asked once (links.ts
   * `madeClass`).
   */
  filesWhere(test: (text: string) => boolean): string[] {
    const out: string[] = [];
    for (const absolute of this.byAbsolute.keys()) {
      let text: string;
      try {
        text = this.peekText(absolute);
      } catch {
        continue;
      }
      if (test(text)) out.push(absolute);
    }
    return out;
  }

  /** Sets the run's files (the discovery's, then the final classification's), and the bundles named by name. */
  setFiles(files: readonly DiscoveredFile[], minified: readonly MinifiedFile[] = []): void {
    for (const file of files) this.byAbsolute.set(file.absolute, file);
    this.minifiedFiles.push(...minified);
  }

  /** The run's file at an absolute path, or undefined for a file the run does not scan. */
  file(absolute: string): DiscoveredFile | undefined {
    return this.byAbsolute.get(absolute);
  }

  /**
   * A file's text for a look that keeps nothing (remaps-covered.ts reads every file the run did not analyse): the
   * run's when it holds one, else read and not kept, as the reading thread keeps no text of a file with no 403
   * form. Throws what `readFileSync` throws.
   */
  peekText(absolute: string): string {
    return this.texts.get(absolute) ?? readFileSync(absolute, 'utf8');
  }

  /** Texts read by `importedText`: modules the analysed files import, which the run's reader may not keep. */
  private readonly importedTexts = new Map<string, string>();

  /**
   * The text of a module an analysed file imports, for the looks that skip parsing it (links.ts
   * `declaredPlainly`, reexported-modules.ts): the run's when it holds one, else read once and kept apart from
   * the run's texts (a text put there early would be tested for 403 forms again on the main thread by the
   * reader, sources.ts). Throws what `readFileSync` throws.
   */
  importedText(absolute: string): string {
    const known = this.texts.get(absolute) ?? this.importedTexts.get(absolute);
    if (known !== undefined) return known;
    const text = readFileSync(absolute, 'utf8');
    this.importedTexts.set(absolute, text);
    return text;
  }

  /** The parsed tree of a file (parsed once, on first use), or undefined when it cannot be read or parsed. */
  sourceOf(absolute: string): ts.SourceFile | undefined {
    let sourceFile = this.parsed.get(absolute);
    if (!sourceFile) {
      try {
        sourceFile = parseSource(this.byAbsolute.get(absolute)?.relative ?? absolute, this.textOf(absolute));
      } catch {
        return undefined;
      }
      this.parsed.set(absolute, sourceFile);
    }
    return sourceFile;
  }

  /**
   * For a route graph built over the whole project (the test follower's): the trees the run already holds, and
   * for every other file a tree trimmed to what routes need (routes/skeleton.ts), as `--spec` does: bodies that
   * cannot register or reach a route are not walked again and again, nor kept whole for the run.
   */
  routeTree(absolute: string): ts.SourceFile | undefined {
    if (this.analyses.has(absolute) || this.parsed.has(absolute)) return this.sourceOf(absolute);
    if (this.routeTrees.has(absolute)) return this.routeTrees.get(absolute);
    let tree: ts.SourceFile | undefined;
    try {
      const text = this.textOf(absolute);
      tree = parseSource(this.byAbsolute.get(absolute)?.relative ?? absolute, text);
      if (!CANDIDATE_TEST.test(text)) trimForRoutes(tree, this.wiringMethods);
    } catch {
      tree = undefined;
    }
    this.routeTrees.set(absolute, tree);
    return tree;
  }

  /**
   * Analyses a file (analysis.ts via transform.ts `analyzeSource`) and keeps it, or keeps why it could not be:
   * a bundle recognised by its text is skipped and named (`minified`), a file that does not parse is an error.
   * Returns the analysis, or undefined for both.
   */
  analyze(file: DiscoveredFile, text: string): FileAnalysis | undefined {
    if (this.wideSkipped(file, text)) return undefined;
    const shape = minifiedShape(file.relative, text);
    if (shape) {
      this.minified.set(file.relative, minifiedWarning(file.relative, text, shape));
      const at = firstOccurrence(text);
      if (at) this.minifiedFiles.push({ file: file.relative, ...at });
      return undefined;
    }
    const tree = this.sourceOf(file.absolute);
    if (tree && isTooDeep(tree)) {
      this.errors.push({ file: file.relative, message: TOO_DEEP_MESSAGE });
      return undefined;
    }
    let analysis: FileAnalysis;
    try {
      analysis = this.analyzeText(file, text);
    } catch (error) {
      // A file nested deeper than a walk can follow, though below TOO_DEEP, is named too, and the run goes on.
      if (!isStackOverflow(error)) throw error;
      this.errors.push({ file: file.relative, message: TOO_DEEP_MESSAGE });
      return undefined;
    }
    if (syntaxErrors(analysis.sourceFile).length) {
      this.errors.push({
        file: file.relative,
        message: [
          `does not parse (${firstErrorMessage(analysis.sourceFile)}); skipped.`,
          parseFailureHint(text),
        ]
          .filter(Boolean)
          .join(' '),
      });
      return undefined;
    }
    this.analyses.set(file.absolute, analysis);
    return analysis;
  }

  /**
   * A file analysed for a look only (a test file of a run without `--include-tests`, skipped-tests.ts): neither
   * kept among the run's analyses nor counted, and a file that cannot be analysed (a bundle, a parse error, a
   * tree too deep) is undefined without an error of the run. `text` is the file's text as the caller read it:
   * kept as the run's when the run holds none, so the tree is parsed from it and the file is not read again.
   */
  analyzeAside(file: DiscoveredFile, text: string): FileAnalysis | undefined {
    if (minifiedShape(file.relative, text)) return undefined;
    if (!this.texts.has(file.absolute)) this.texts.set(file.absolute, text);
    const tree = this.sourceOf(file.absolute);
    if (!tree || isTooDeep(tree) || syntaxErrors(tree).length) return undefined;
    try {
      return this.analyzeText(file, text);
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      return undefined;
    }
  }

  /** `analyzeSource` with this run's options for `file`. */
  private analyzeText(file: DiscoveredFile, text: string): FileAnalysis {
    return analyzeSource(file.relative, text, {
      target: this.options.status,
      frameworks: this.frameworksFor(file),
      testFile: file.test,
      wwwAuthenticate: this.options.wwwAuthenticate,
      moduleAlias: (specifier) => aliasedModule(specifier, this.importMapOf(file)),
      link: {
        ...this.links.forFile(file.absolute, file.relative),
        outsideRun: (absolute) => !this.byAbsolute.has(absolute),
        absolute: file.absolute,
        resolve: (specifier) => this.links.resolve(specifier, file.absolute),
        peekText: (absolute) => this.importedText(absolute),
      },
      sourceFile: this.sourceOf(file.absolute),
    });
  }

  /**
   * Whether a file is written in UTF-16 or UTF-32 (wide-sources.ts), which migrate neither reads nor writes: an
   * error of the run when it holds a 403 form (so `--check` fails and the file is named), else counted in
   * `wideFiles` (the report's skipped `not-utf8`).
   */
  private wideSkipped(file: DiscoveredFile, text: string): boolean {
    let wide: WideSource | undefined;
    try {
      wide = wideSource(file.absolute, text);
    } catch {
      return false;
    }
    if (!wide) return false;
    // A 403 form in any reading of its bytes (wide-sources.ts): ASCII among zero bytes too (breaker33 #01).
    if (wide.form || CANDIDATE_TEST.test(wide.text))
      this.errors.push({ file: file.relative, message: wideSourceMessage(wide) });
    else this.wideFiles.add(file.relative);
    return true;
  }

  /** The analysis of a run file at an absolute path, analysing it now if it was not yet. */
  analysisOf(absolute: string): FileAnalysis | undefined {
    const analysis = this.analyses.get(absolute);
    if (analysis) return analysis;
    const file = this.byAbsolute.get(absolute);
    return file ? this.analyze(file, this.textOf(absolute)) : undefined;
  }

  /** Drops what the run knew of a file whose test flag turned (its analysis and its parse errors). */
  forget(file: DiscoveredFile): void {
    this.analyses.delete(file.absolute);
    for (let at = this.errors.length - 1; at >= 0; at--)
      if (this.errors[at].file === file.relative) this.errors.splice(at, 1);
  }

  /** A position of an analysed file (relative path, character offset) as the report gives it; 1:1 if unknown. */
  position(file: string, offset: number): LineAndColumn {
    const analysis = this.analyses.get(path.resolve(this.cwd, file));
    if (!analysis) return { line: 1, column: 1 };
    const { line, character } = lineAndCharacterAt(analysis.sourceFile, offset);
    const bom = line === 0 && analysis.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return { line: line + 1, column: character + 1 - bom };
  }

  /** Where a site starts, with its line's text (no line break, no BOM); 1:1 and '' for a file not analysed. */
  lineAndColumn(site: Site): LineAndColumn & { text: string } {
    const analysis = this.analyses.get(path.resolve(this.cwd, site.file));
    if (!analysis) return this.lineInText(site);
    const sf = analysis.sourceFile;
    const { line, character } = lineAndCharacterAt(sf, site.start);
    const bom = line === 0 && analysis.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const text = linesOf(sf)
      .textOf(line)
      .replace(/^\uFEFF/, '');
    return { line: line + 1, column: character + 1 - bom, text };
  }

  /**
   * Where a site of a file the run did not analyse lies (a JSON module's 403, json-values.ts), from its text;
   * line 1, column 1 when it cannot be read.
   */
  private lineInText(site: Site): LineAndColumn & { text: string } {
    let text: string;
    try {
      text = this.textOf(path.resolve(this.cwd, site.file));
    } catch {
      return { line: 1, column: 1, text: '' };
    }
    const lines = linesOfText(text);
    const { line, character } = lines.at(site.start);
    const bom = line === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return { line: line + 1, column: character + 1 - bom, text: lines.textOf(line).replace(/^\uFEFF/, '') };
  }

  /** `file:line` of a site, as reasons name it. */
  where(site: Site): string {
    return `${site.file}:${this.lineAndColumn(site).line}`;
  }

  /** Modules per file: from what the file imports and the package.json files above it (DESIGN §6). */
  private frameworksFor(file: DiscoveredFile): (imports: readonly string[]) => Framework[] {
    return (imports) =>
      selectFrameworks(
        this.options.frameworks,
        dependenciesAbove(path.dirname(file.absolute), this.dependencyCache),
        imports,
        this.importMapOf(file),
      );
  }

  /** Deno's import map for a file (frameworks/deno-config.ts): its targets are dependencies, its keys aliases. */
  private importMapOf(file: DiscoveredFile): ImportMapEntries {
    return denoImportsAbove(path.dirname(file.absolute), this.importMapCache);
  }
}

/** Whether `error` is V8's stack overflow (`RangeError: Maximum call stack size exceeded`). */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
