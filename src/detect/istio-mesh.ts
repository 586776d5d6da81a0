import type { ScanFile } from './scan-file.js';
import type { DetectFinding, DetectSkip } from './types.js';

/** Where a repository says its workloads run in an Istio service mesh with sidecars. */
export interface MeshMarker {
  /** Relative to the working folder, `/`-separated. */
  file: string;
  /** 1-based. */
  line: number;
  /** The marker as written (one line, trimmed). */
  text: string;
}

/**
 * What says workloads get an Istio sidecar: an Istio resource (`networking.istio.io` / `security.istio.io`:
 * VirtualService, DestinationRule, PeerAuthentication, AuthorizationPolicy...), the namespace label
 * `istio-injection: enabled`, the pod label or annotation `sidecar.istio.io/inject: "true"`, or a revision label
 * `istio.io/rev` (Istio docs, "Installing the Sidecar": automatic sidecar injection). In YAML, JSON, HCL and
 * templates alike (`key: value`, `"key": "value"`, `key = "value"`).
 */
const MARKER =
  /\bapiVersion["']?[ \t]*[:=][ \t]*["']?(?:networking|security)\.istio\.io\/|["']?\bistio-injection["']?[ \t]*[:=][ \t]*["']?enabled\b|["']?\bsidecar\.istio\.io\/inject["']?[ \t]*[:=][ \t]*["']?true\b|["']?\bistio\.io\/rev["']?[ \t]*[:=][ \t]*["']?[\w.-]+/;

/** Prose and code, where the words are not configuration. */
const NOT_CONFIG = /\.(?:md|markdown|txt|rst|adoc|html?|[cm]?[jt]sx?|go|py|java|kt|cs|rb|php|rs)$/i;

/** The first Istio sidecar marker of a configuration file, outside comments; undefined when there is none. */
export function istioMeshMarker(file: ScanFile): MeshMarker | undefined {
  if (NOT_CONFIG.test(file.baseName)) return undefined;
  if (!MARKER.test(file.text)) return undefined;
  const global = new RegExp(MARKER.source, 'g');
  for (const found of file.text.matchAll(global)) {
    const lineStart = file.text.lastIndexOf('\n', found.index - 1) + 1;
    if (/^\s*(?:#|\/\/)/.test(file.text.slice(lineStart, found.index + 1))) continue;
    const line = file.lines.lineOf(found.index);
    return { file: file.relative, line, text: file.lines.lineText(line) };
  }
  return undefined;
}

/**
 * Sources whose mTLS findings mean a client's certificate can reach the app in `x-forwarded-client-cert`: an
 * Istio Gateway or Gateway API listener that asks clients for one, or an Envoy that does (it sets the header from
 * the downstream certificate).
 */
const EDGE_SOURCES = new Set<DetectFinding['source']>(['istio', 'gateway-api', 'envoy']);

/**
 * Code whose only client-certificate read is `x-forwarded-client-cert`, in a repository whose workloads run in an
 * Istio mesh (`marker`) and where nothing asks a client for a certificate at the edge: the sidecar sets that
 * header for workload-to-workload mTLS on every request (Envoy `forward_client_cert_details`, Istio's sidecar
 * default APPEND_FORWARD: the calling workload's SPIFFE identity), so reading it says nothing of a client
 * certificate on the connection iOS makes. Before session 31 such code was a finding (every host, `--check`
 * exit 1) or, in Go / Python / Java..., "Not read". Now each is moved out: the finding removed and the unread
 * line dropped, each named as read and left out with the marker it rests on. Returns the findings kept; pushes the
 * left-out entries to `skipped` (mutated: unread XFCC-only entries are replaced in place).
 * `xfccFindings` / `xfccSkips`: the code findings and "Not read" entries whose only read is XFCC.
 */
export function leaveOutMeshXfcc(
  findings: readonly DetectFinding[],
  skipped: DetectSkip[],
  xfccFindings: ReadonlySet<DetectFinding>,
  xfccSkips: ReadonlySet<DetectSkip>,
  marker: MeshMarker | undefined,
): DetectFinding[] {
  if (!marker || findings.some((finding) => EDGE_SOURCES.has(finding.source))) return [...findings];
  const why = (line: number): string =>
    `line ${line}: reads only x-forwarded-client-cert, which the Istio sidecar sets on every request for ` +
    `workload-to-workload mTLS in the mesh this repository deploys into (${marker.file}:${marker.line} ` +
    `\`${marker.text}\`), and no Istio Gateway, Gateway API listener or Envoy here asks a client for a ` +
    `certificate: not a client-certificate connection, so not in the proposal (if a gateway outside this ` +
    `repository asks clients for one, set mtls.servers by hand)`;
  skipped.forEach((skip, index) => {
    if (!xfccSkips.has(skip) || skip.line === undefined) return;
    skipped[index] = { file: skip.file, line: skip.line, leftOut: true, reason: why(skip.line) };
  });
  const kept: DetectFinding[] = [];
  for (const finding of findings) {
    if (!xfccFindings.has(finding)) {
      kept.push(finding);
      continue;
    }
    skipped.push({ file: finding.file, line: finding.line, leftOut: true, reason: why(finding.line) });
  }
  return kept;
}
