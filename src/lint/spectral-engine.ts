import type { ResolvedConfig } from '../config/resolve.js';
import { DEFAULT_RANGE, type DocumentSet, type SourceFile } from '../openapi/index.js';
import { UNREAD_PREFIX, type MtlsFinding } from '../findings/findings.js';
import type { MtlsRuleOptions } from '../../rules/options.js';
import { UNCHECKED_RULE } from '../findings/unchecked.js';
import { spectralDocument } from './spectral-document.js';
import { spectralRootRange } from '../openapi/root-range.js';
import type { LintResult, SeverityNumber } from './types.js';

type SpectralRunner = (set: DocumentSet, findings: readonly MtlsFinding[]) => Promise<LintResult[]>;

/**
 * Runs the published ruleset through Spectral itself, as `extends: [mtls-fix/ruleset]` does, but with
 * our parser and a resolver that skips Spectral's whole-document `$ref` resolve (quadratic, DESIGN §7).
 * Same results as the direct engine; tests hold the two (and the stock Spectral CLI) to that.
 */
export async function createSpectralRunner(config: ResolvedConfig): Promise<SpectralRunner> {
  const { Spectral, Document } = await import('@stoplight/spectral-core');
  const { default: ruleset } = await import('../../rules/index.js');
  const spectral = new Spectral({ resolver: noopResolver() as never });
  spectral.setRuleset(withFunctionOptions(ruleset, ruleFunctionOptions(config)));
  return async (set, findings) => {
    const byMessage = new Map(
      findings.map((finding) => [`${finding.rule}\u0000${finding.message}`, finding]),
    );
    // The parts mtls-fix could not read are its own mtls-fix-input results (src/lint/run.ts), not these.
    const diagnostics = (await spectral.run(spectralDocument(Document, set.root))).filter(
      (diagnostic) => !diagnostic.message.startsWith(UNREAD_PREFIX),
    );
    return diagnostics.map((diagnostic) =>
      toResult(diagnostic, byMessage.get(`${String(diagnostic.code)}\u0000${diagnostic.message}`), set.root),
    );
  };
}

interface SpectralDiagnostic {
  code: string | number;
  message: string;
  path: (string | number)[];
  severity: number;
  source?: string;
  range: LintResult['range'];
}

function toResult(
  diagnostic: SpectralDiagnostic,
  finding: MtlsFinding | undefined,
  root: SourceFile,
): LintResult {
  const base = {
    code: String(diagnostic.code),
    message: diagnostic.message,
    severity: diagnostic.severity as SeverityNumber,
  };
  if (!finding)
    return {
      ...base,
      path: diagnostic.path,
      source: diagnostic.source ?? root.path,
      // Spectral ranges the document root over the whole text; mtls-fix lint gives where it starts, as Spectral does.
      range: diagnostic.code === UNCHECKED_RULE ? spectralRootRange(root) : diagnostic.range,
    };
  // Spectral only knows the root file; a key in another file is reported where it really is.
  const { file, path } = finding.location;
  return {
    ...base,
    path,
    source: file.path,
    range: file === root ? diagnostic.range : (file.rangeOf(path, true) ?? DEFAULT_RANGE),
    operation: finding.operation,
    mtls: finding.mtls,
  };
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
    Object.entries(ruleset.rules).map(([id, rule]) => [
      id,
      { ...rule, then: { ...rule.then, functionOptions } },
    ]),
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
