import type { ResolvedConfig } from '../config/resolve.js';
import { analyzeDocument } from '../openapi/analyze.js';
import { findMtlsFixError } from '../errors.js';
import { loadOpenApiDocument } from '../openapi/document.js';
import { remoteRefsSkipped } from '../openapi/remote.js';
import { isForbiddenCode, responseEntries } from '../openapi/responses.js';
import { effectiveSecurity } from '../openapi/security.js';
import { effectiveServers } from '../openapi/servers.js';
import { hasMutualTlsType, type SpecVersion } from '../openapi/version.js';
import type { MtlsVia } from '../openapi/classify.js';
import { findMtlsMentions, type MtlsMention } from '../openapi/mentions.js';
import { mtlsNearMisses } from '../openapi/near-misses.js';
import type { Operation } from '../openapi/operations.js';
import { BACKGROUND } from './background.js';
import { gatewayAnswers, where } from './gateway.js';
import { displayName } from '../openapi/display-name.js';
import { uncheckedReport } from '../findings/unchecked.js';

export { BACKGROUND };

/** One operation, mTLS-secured or not, and why. */
export interface ExplainedOperation {
  method: string;
  path: string;
  mtls: boolean;
  /** The signal that made it mTLS-secured (DESIGN §2); absent when it is not. */
  via?: MtlsVia;
  /** The scheme name(s), server URL, `mtls.everywhere` or marker place. */
  detail?: string;
  /** One sentence: why it is or is not mTLS-secured. */
  why: string;
  /** What would change the verdict. */
  change: string;
  /** Whether it documents a 403 (then, if mTLS-secured, `lint` reports it). */
  documents403: boolean;
  /**
   * An mTLS-secured operation without a 403: the `4XX` range it documents, else its `default` standing alone
   * (lint warns `mtls-4xx-range`: a 403 the server sends falls under it); absent otherwise.
   */
  range?: string;
  /**
   * mTLS-secured operations: the 403s a gateway answers on it whatever its `responses` say (API Gateway integration
   * and gateway responses, default gateway responses, Kong plugins), one phrase each with `file:line`; `lint`
   * reports each (src/explain/gateway.ts). Absent when there are none.
   */
  gateway403?: string[];
}

export interface ExplainedDocument {
  /** Relative to the working folder. */
  file: string;
  operations: ExplainedOperation[];
  /**
   * Remote `$ref`s skipped under --allow-remote-refs (never fetched) and what each hid, e.g. `path item /b: its
   * operations were not checked ('https://…' at openapi.yaml:15)`: operations behind them are not listed.
   */
  notRead: string[];
  /**
   * Path items, operations and responses of mTLS-secured operations that cannot be read (`file:line:col
   * (pointer): what. What to do.`, see DocumentAnalysis.unreadOperations and unreadResponses): the other verdicts
   * stand, but the command exits 2.
   */
  unread: string[];
  /**
   * When no operation is mTLS-secured: the mTLS words its files mention (the root first; FAPI, eIDAS, "mutual TLS",
   * "client certificate", ...; the ones lint's `mtls-unchecked` names), each at its first line; else empty. Also
   * empty when it writes something to declare mTLS that is not read (src/openapi/near-misses.ts): each
   * operation's `why` names that instead, as lint's `mtls-unchecked` does.
   */
  mentions: MtlsMention[];
  /**
   * When no operation is mTLS-secured: the 403s a gateway the document configures answers whatever its `responses`
   * say (an API Gateway integration or gateway response set to 403, a gateway response type left at its default
   * 403, a Kong plugin that denies), which `lint`'s `mtls-unchecked` counts and a gate fails on, one phrase each
   * with `file:line` (`API Gateway gateway response MISSING_AUTHENTICATION_TOKEN (left at its default 403)
   * (openapi.yaml:239)`); suppressed ones are not listed, as lint does not count them. Else empty. Before session
   * 35 `explain` listed gateway 403s only on mTLS-secured operations, so such a document showed none while lint
   * named them.
   */
  uncheckedGateway403: string[];
  /**
   * Why the document could not be explained (an input error, one line: `file:line:col (pointer): what. What to
   * do.`); then `operations` is empty. The other documents are still explained.
   */
  error?: string;
}

/**
 * Every operation of every document with the model's verdict (src/openapi/classify.ts) and the reason, in
 * words; for operations that are not mTLS-secured, the signals that were looked at and found wanting.
 * A document that cannot be read or understood (an MtlsFixError) is returned with `error` set and no
 * operations, so one bad file does not hide the others; other errors are thrown.
 */
export function explainDocuments(options: {
  files: string[];
  config: ResolvedConfig;
  cwd?: string;
}): ExplainedDocument[] {
  const cwd = options.cwd ?? process.cwd();
  return options.files.map((file) => {
    const name = displayName(cwd, file);
    try {
      return explainDocument(name, options.config, cwd);
    } catch (error) {
      const inputError = findMtlsFixError(error);
      if (!inputError) throw error;
      return {
        file: name,
        operations: [],
        notRead: [],
        unread: [],
        mentions: [],
        uncheckedGateway403: [],
        error: inputError.toLine(),
      };
    }
  });
}

/** {@link explainDocuments} for one document; throws MtlsFixError for a document it cannot read. */
function explainDocument(name: string, config: ResolvedConfig, cwd: string): ExplainedDocument {
  const { set } = loadOpenApiDocument(name, { cwd, allowRemoteRefs: config.allowRemoteRefs });
  const analysis = analyzeDocument(set, config.mtls);
  // OAS 3.1+ has a mutualTLS scheme type; in 3.0 and Swagger 2.0 one would not validate (DESIGN §2).
  const mutualTlsType = hasMutualTlsType(analysis.version);
  const answers = gatewayAnswers(analysis);
  // What the document writes to declare mTLS and is not read (session 37): named on each operation it concerns,
  // so "to change: x-mtls: true on it" is never the only word to an author who wrote x-mTLS: true.
  const listed = analysis.operations.map((entry) => entry.operation);
  const nearMisses = mtlsNearMisses(set, analysis.version, listed, config.mtls.schemes);
  const unused = nearMisses.flatMap((miss) => (miss.unused ? [miss.unused] : []));
  // By the operation each concerns (undefined: every operation), so listing them per operation stays linear.
  const missedBy = new Map<Operation | undefined, string[]>();
  for (const miss of nearMisses) {
    const texts = missedBy.get(miss.operation) ?? [];
    texts.push(miss.text);
    missedBy.set(miss.operation, texts);
  }
  const useUnused = unused.length
    ? `naming ${unused.map((scheme) => `'${scheme.name}' (${scheme.reason}, defined but named by no security)`).join(' or ')} in its security`
    : undefined;
  const operations = analysis.operations.map((entry): ExplainedOperation => {
    const { operation, mtls } = entry;
    const gateway403 = answers.get(operation);
    const documents403 = responseEntries(set, operation, isForbiddenCode).length > 0;
    // What lint's mtls-4xx-range reads: a 4XX range, else a `default` standing alone (mTLS operations only).
    const range = documents403 ? undefined : (entry.clientErrorRange ?? entry.defaultEntry)?.code;
    const common = {
      method: operation.method,
      path: operation.path,
      documents403,
      ...(range === undefined ? {} : { range }),
      ...(gateway403 ? { gateway403 } : {}),
    };
    if (mtls) {
      return {
        ...common,
        mtls: true,
        via: mtls.via,
        detail: mtls.detail,
        why: `mTLS-secured: ${mtls.why}.`,
        change: changeFor(mtls.via),
      };
    }
    const { alternatives } = effectiveSecurity(set, operation);
    const schemes = [...new Set(alternatives.flatMap((requirement) => Object.keys(requirement)))];
    const effective = effectiveServers(set.root.data, analysis.version, operation);
    const servers = effective.map((server) => server.url);
    // A server marked x-mtls: false is none whatever its host label or description (servers.ts): said so, not
    // "has no mTLS host label" of `https://mtls.bank.example` marked false.
    const markedOff = effective.filter((server) => server.marker === false).map((server) => server.url);
    const optedOut = operation.location.value['x-mtls'] === false || operation.pathItem['x-mtls'] === false;
    const missed = [...(missedBy.get(undefined) ?? []), ...(missedBy.get(operation) ?? [])];
    const looked = [
      schemes.length
        ? `its security names ${schemes.map((s) => `'${s}'`).join(', ')}, none ` +
          (mutualTlsType
            ? 'of type mutualTLS or listed in mtls.schemes'
            : `listed in mtls.schemes or marked x-mtls: true (${versionName(analysis.version)} has no mutualTLS type)`)
        : 'it has no security requirement',
      servers.length
        ? `its servers (${servers.join(', ')}) match no mtls.servers regex and ` +
          (markedOff.length
            ? `x-mtls: false marks ${markedOff.join(', ')} as no mTLS server` +
              `${markedOff.length < servers.length ? ', the others have no mTLS host label or description' : ''}`
            : 'have no mTLS host label or description')
        : 'it has no server',
      optedOut ? 'x-mtls: false opts it out of server and everywhere' : 'mtls.everywhere is off',
      ...(missed.length ? [`written but not read: ${missed.join('; ')}`] : []),
    ];
    return {
      ...common,
      mtls: false,
      why: `not mTLS-secured: ${looked.join('; ')}.`,
      change:
        `${[useUnused, schemes.length ? `--mtls-scheme ${schemes[0]} (config mtls.schemes)` : useUnused ? undefined : noSchemeChange(mutualTlsType, analysis.version)].filter(Boolean).join(', ')}, ` +
        `${servers.length ? `--mtls-server matching ${servers[0]}` : 'an mTLS server'}, --mtls-everywhere, or x-mtls: true on it` +
        `${optedOut ? ' (x-mtls: false leaves only a scheme)' : ''}.`,
    };
  });
  const notRead = remoteRefsSkipped(set).map(
    (skip) =>
      `${skip.what} ('${skip.ref}' at ${set.displayPath(skip.source)}${skip.line ? `:${skip.line}` : ''})`,
  );
  // Path items and operations that cannot be read come first: they are not listed above, and never pass as clean.
  const unread = [...analysis.unreadOperations, ...analysis.unreadResponses].map((error) => error.toLine());
  // Words are named when nothing is written to declare mTLS; what is written but not read is named on each
  // operation instead ("mentions 'mutualTLS' but declares no mTLS" of a scheme no security names was false).
  const mentions =
    operations.some((operation) => operation.mtls) || nearMisses.length > 0 ? [] : findMtlsMentions(set);
  // What lint's mtls-unchecked counts: the same report, so the two never disagree on a document.
  const unchecked = uncheckedReport(analysis, {
    detection: config.mtls,
    ignore: config.raw.ignore ?? [],
    rules: config.raw.rules ?? {},
  });
  const uncheckedGateway403 = (unchecked?.gateway ?? []).map(
    (entry) => `${entry.what} (${where(set, entry.location)})`,
  );
  return { file: name, operations, notRead, unread, mentions, uncheckedGateway403 };
}

/** `OAS 3.0`, `Swagger 2.0`. */
function versionName(version: SpecVersion): string {
  return version.kind === 'swagger2'
    ? 'Swagger 2.0'
    : `OAS ${version.version.split('.').slice(0, 2).join('.')}`;
}

/**
 * How to declare mTLS on an operation whose security names no scheme: a `mutualTLS` scheme where OAS has that
 * type (3.1+), else a scheme of the document's own kind listed in `mtls.schemes` (a `mutualTLS` scheme would not
 * validate in OAS 3.0 or Swagger 2.0).
 */
function noSchemeChange(mutualTlsType: boolean, version: SpecVersion): string {
  return mutualTlsType
    ? 'a scheme of type mutualTLS in its security'
    : `a security scheme for its client certificate in its security, listed in mtls.schemes (--mtls-scheme NAME) or ` +
        `marked x-mtls: true (${versionName(version)} has no mutualTLS type)`;
}

/**
 * What would make an mTLS-secured operation not mTLS-secured, in the form of the other `change` texts: a list of
 * what to write, lower case (it follows `to change:`), ending with a period.
 */
function changeFor(via: MtlsVia): string {
  switch (via) {
    case 'scheme':
      return 'only removing the mTLS scheme from its security (x-mtls: false does not override a scheme).';
    case 'server':
      return 'x-mtls: false on it or on its path item, or a server that is not an mTLS one.';
    case 'everywhere':
      return 'x-mtls: false on it or on its path item, or mtls.everywhere off (no --mtls-everywhere).';
    case 'extension':
      return 'removing the x-mtls: true marker or the gateway extension, or x-mtls: false nearer the operation.';
  }
}
