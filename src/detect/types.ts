/** Where mTLS is terminated: the source kinds `mtls-fix detect` reads (one module each in src/detect/). */
export type DetectSource =
  | 'nginx'
  | 'apache'
  | 'haproxy'
  | 'envoy'
  | 'caddy'
  | 'traefik'
  | 'kubernetes'
  | 'istio'
  | 'gateway-api'
  | 'aws'
  | 'azure'
  | 'node'
  | 'spring'
  | 'kong'
  | 'gcp'
  | 'cloudflare'
  | 'apisix'
  | 'forgerock-ig'
  /** Apigee Edge virtual hosts with `SSLInfo` `ClientAuthEnabled` (src/detect/sources/apigee.ts; session 46). */
  | 'apigee'
  /** Helm values for a chart not in the scanned tree (src/detect/sources/chart-values.ts): the chart decides. */
  | 'helm';

/**
 * `required`: the handshake fails without a client certificate. `optional`: the server asks for one and
 * accepts connections without; a client that presents one still gets the iOS behaviour on every 403.
 */
export type DetectMode = 'required' | 'optional';

/**
 * How the evidence was read: a real parser (named), or `pattern` (a line scan, used only where no
 * well-kept parser exists for the format: Apache httpd, HAProxy, Caddyfile, Bicep, TOML).
 */
export type DetectReader =
  'nginx-conf' | 'yaml' | '@cdktf/hcl2json' | 'typescript' | 'dot-properties' | '@xmldom/xmldom' | 'pattern';

/** One place where mTLS is terminated. */
export interface DetectFinding {
  /** Relative to the working folder, `/`-separated. */
  file: string;
  /** 1-based line of the directive. */
  line: number;
  source: DetectSource;
  mode: DetectMode;
  /** Host names it covers, as written (`*.bank.com`, `mtls.${var.domain}`); empty: every host it serves. */
  hosts: string[];
  /** Path prefixes it covers; empty: every path. */
  paths: string[];
  /** The directive as written (one line, trimmed). */
  evidence: string;
  /** `probably`: read from a template's values (Helm), not from the config that is deployed. */
  confidence: 'certain' | 'probably';
  reader: DetectReader;
  /** Anything a reader should know (mode defaults, excluded paths, unresolved host expressions). */
  note?: string;
}

/** A file that looked relevant but could not be read; never dropped silently. */
export interface DetectSkip {
  file: string;
  reason: string;
  /**
   * 1-based line of an mTLS termination the file configures in a form detect does not read (Go, Python, .NET,
   * Java, Rust servers; an nginx directive outside a `server` it could read): such a file makes a report with
   * no finding say it is not clean. On a `leftOut` entry, the line it names (read, and asking for no certificate
   * there): it does not make the report unclean.
   */
  line?: number;
  /**
   * Read, and left out of the findings and the proposal (see src/detect/left-out.ts): an mTLS termination for
   * traffic that is not HTTP, or a setting that as written asks for no certificate. `line` is its line.
   */
  leftOut?: true;
  /**
   * The file (or a part of it a reader needs) could not be read or parsed, or was too large to read: whatever
   * it configures is unknown, so `detect --check` cannot pass (exit 2, naming it).
   */
  unreadable?: true;
}

/** The config keys that make the OpenAPI model see the detected endpoints (DESIGN §4 config). */
export interface DetectProposal {
  mtls: { servers: string[]; everywhere: boolean };
}

/** What one proposed `mtls.servers` regex selects in the documents found (or given). */
export interface ProposalSelection {
  pattern: string;
  /** The hosts it was built from. */
  hosts: string[];
  documents: { file: string; servers: string[]; operations: number }[];
}

/** `mtls-fix detect --json` (issue 10 contract: `findings` and `proposal`; the rest is extra). */
export interface DetectReport {
  findings: DetectFinding[];
  proposal: DetectProposal;
  /** Why the proposal is what it is, one sentence each. */
  reasons: string[];
  /** Per proposed server regex: which documents' servers and how many operations it selects. */
  selection: ProposalSelection[];
  /** OpenAPI documents the proposal was checked against (relative). */
  documents: string[];
  /**
   * OpenAPI documents under `dist/` or `target/` (relative) the proposal was not checked against because documents
   * were found elsewhere (build output beside its sources; a spec repository publishes there): named, not dropped.
   */
  buildDocuments: string[];
  filesScanned: number;
  /**
   * Files left out by config `detect.exclude` / `--exclude` (relative to the working folder, sorted): never read,
   * so nothing in them counts; listed so that a clean result says what it did not look at.
   */
  excluded: string[];
  skipped: DetectSkip[];
  /** 403s the proxy itself answers on the mTLS servers found, with the fix for each. */
  forbidden: DetectForbidden[];
  /** 403s in files with a finding that could not be tied to or kept apart from the mTLS server. */
  forbiddenUnplaced: DetectForbiddenUnplaced[];
  /**
   * Findings (`file:line source`) whose source kind's own 403s are not read yet (Traefik, Helm, Istio,
   * Gateway API, Azure, Node, Spring): their 403s are not in `forbidden`; and `file:line source (why)` for what
   * decides a status on an mTLS server out of mtls-fix's sight (an nginx `auth_request` service, Lua / njs code
   * not in the scanned tree, an Envoy `ext_authz` service, a Caddy `forward_auth` service, HAProxy Lua).
   */
  forbiddenNotChecked: string[];
}

/**
 * A 403 that the proxy or gateway itself answers on an mTLS-terminated server (nginx `return 403`/`deny`,
 * HAProxy `http-request deny`, Apache `Require`/`[F]`, Caddy `respond 403`, Envoy RBAC/`direct_response`, API Gateway REST API gateway responses).
 * iOS turns a 403 on a connection where the client presented a certificate into NSURLErrorDomain -1206.
 */
export interface DetectForbidden {
  /** Relative to the working folder, `/`-separated. */
  file: string;
  /** 1-based line of the directive that answers 403. */
  line: number;
  source: DetectSource;
  /** The directive as written (one line, trimmed). */
  evidence: string;
  /** Hosts of the mTLS server it sits in (as in the finding); empty: every host it serves. */
  hosts: string[];
  /** Paths it applies to (location prefixes, route matches); empty: every path of the server. */
  paths: string[];
  /** The mTLS termination finding it sits under (or is inherited into). */
  finding: { file: string; line: number };
  /** The concrete change that makes it answer the agreed status (config `status`, default 401). */
  fix: string;
  /** How it reaches the server (inherited from `http`, a backend used by the frontend...). */
  note?: string;
}

/**
 * A 403 in a file with an mTLS termination finding that could not be placed inside or outside the mTLS
 * server (a file read by a line scan after its parser failed, a rule whose scope cannot be tied).
 */
export interface DetectForbiddenUnplaced {
  file: string;
  line: number;
  source: DetectSource;
  evidence: string;
  /** Why it could not be tied, and what to check by hand. */
  reason: string;
}
