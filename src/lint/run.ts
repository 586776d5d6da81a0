import path from 'node:path';
import type { ResolvedConfig } from '../config/resolve.js';
import { DocumentSet, DEFAULT_RANGE, type SourceFile } from '../openapi/index.js';
import { detectVersion } from '../openapi/version.js';
import { findingsFor, registerDocumentSet, type MtlsFinding } from '../../rules/findings.js';
import { toEffectiveOptions, type MtlsRuleOptions } from '../../rules/options.js';
import { spectralDocument } from './spectral-document.js';
import type { LintReport, LintResult, SeverityNumber } from './types.js';

export interface LintOptions {
  /** Absolute paths of the documents. */
  files: string[];
  config: ResolvedConfig;
  cwd?: string;
}

/**
 * Lints documents with the mtls-fix ruleset through Spectral, without Spectral's whole-document `$ref`
 * resolve (quadratic in refs, DESIGN §7): a no-op resolver, our parser, and rules that follow only the refs
 * they need. Results carry the operation and the mTLS reason, and point into the file holding the key.
 */
export async function lint(options: LintOptions): Promise<LintReport> {
  const cwd = options.cwd ?? process.cwd();
  const { Spectral } = await import('@stoplight/spectral-core');
  const { default: ruleset } = await import('../../rules/index.js');
  const functionOptions = ruleFunctionOptions(options.config);
  const spectral = new Spectral({ resolver: noopResolver() as never });
  spectral.setRuleset(withFunctionOptions(ruleset, functionOptions));
  const effective = toEffectiveOptions(options.config);

  const results: LintResult[] = [];
  for (const file of options.files) {
    const set = DocumentSet.load(path.relative(cwd, file) || file, { cwd, allowRemoteRefs: options.config.allowRemoteRefs });
    detectVersion(set.root.data, set.displayPath(set.root));
    // Analyse first (input errors surface as MtlsFixError, not as a Spectral exception), then
    // locate every finding in one pass per file before Spectral asks for ranges one by one.
    registerDocumentSet(set);
    const findings = findingsFor(set.root.data as object, set.root.path, effective);
    prepareRanges(findings);
    const byMessage = new Map(findings.map((finding) => [`${finding.rule}\u0000${finding.message}`, finding]));
    const diagnostics = await spectral.run(spectralDocument(set.root), { ignoreUnknownFormat: false });
    for (const diagnostic of diagnostics) {
      const finding = byMessage.get(`${String(diagnostic.code)}\u0000${diagnostic.message}`);
      results.push(toResult(diagnostic, finding, set.root));
    }
  }
  return { files: options.files, results: results.sort(compareResults) };
}

interface SpectralDiagnostic {
  code: string | number;
  message: string;
  path: (string | number)[];
  severity: number;
  source?: string;
  range: LintResult['range'];
}

function toResult(diagnostic: SpectralDiagnostic, finding: MtlsFinding | undefined, root: SourceFile): LintResult {
  const base = {
    code: String(diagnostic.code),
    message: diagnostic.message,
    severity: diagnostic.severity as SeverityNumber,
  };
  if (!finding) {
    return { ...base, path: diagnostic.path, source: diagnostic.source ?? root.path, range: diagnostic.range };
  }
  const { file, path: keyPath } = finding.location;
  return {
    ...base,
    path: keyPath,
    source: file.path,
    range: file === root ? diagnostic.range : (file.rangeOf(keyPath, true) ?? DEFAULT_RANGE),
    operation: finding.operation,
    mtls: finding.mtls,
  };
}

function prepareRanges(findings: MtlsFinding[]): void {
  const byFile = new Map<SourceFile, MtlsFinding['location']['path'][]>();
  for (const { location } of findings) {
    const paths = byFile.get(location.file) ?? [];
    paths.push(location.path);
    byFile.set(location.file, paths);
  }
  for (const [file, paths] of byFile) file.prepareRanges(paths);
}

function compareResults(a: LintResult, b: LintResult): number {
  return (
    a.source.localeCompare(b.source) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.code.localeCompare(b.code)
  );
}

function ruleFunctionOptions(config: ResolvedConfig): MtlsRuleOptions {
  return {
    status: config.status,
    schemes: config.mtls.schemes,
    servers: config.mtls.servers.map((regex) => regex.source),
    everywhere: config.mtls.everywhere,
    allowRemoteRefs: config.allowRemoteRefs,
    ...(config.configPath ? { config: config.configPath } : {}),
  };
}

type RulesetShape = { rules: Record<string, { then: { function: unknown; functionOptions?: unknown } }> };

function withFunctionOptions<T extends RulesetShape>(ruleset: T, functionOptions: MtlsRuleOptions): T {
  const rules = Object.fromEntries(
    Object.entries(ruleset.rules).map(([id, rule]) => [id, { ...rule, then: { ...rule.then, functionOptions } }]),
  );
  return { ...ruleset, rules };
}

/** Spectral always resolves before running rules; this resolver hands the document back untouched. */
function noopResolver() {
  return {
    uriCache: new Map<string, unknown>(),
    resolve: (data: unknown) => Promise.resolve({ result: data, graph: null, errors: [], refMap: {} }),
  };
}
