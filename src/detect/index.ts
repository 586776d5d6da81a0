import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { readScanText } from './read-text.js';
import path from 'node:path';
import picomatch from 'picomatch';
import { MtlsFixError } from '../errors.js';
import { DocumentSet } from '../openapi/document-set.js';
import { listOperations } from '../openapi/operations.js';
import { effectiveServers } from '../openapi/servers.js';
import { detectVersion } from '../openapi/version.js';
import { buildProposal } from './proposal.js';
import { ScanFile } from './scan-file.js';
import { isApacheCandidate, readApache } from './sources/apache.js';
import { readArm, isBicepCandidate, scanBicep } from './sources/azure.js';
import { cfnUnresolved, readCloudFormation } from './sources/aws.js';
import { isCaddyCandidate, readCaddy } from './sources/caddy.js';
import { readCaddyJson } from './sources/caddy-json.js';
import { pulumiKubernetesDocuments } from './sources/pulumi-kubernetes.js';
import { readEnvoy } from './sources/envoy.js';
import { readGatewayApi } from './sources/gateway-api.js';
import { isHaproxyCandidate, readHaproxy } from './sources/haproxy.js';
import { readIstio } from './sources/istio.js';
import { readKong } from './sources/kong.js';
import { readGcp } from './sources/gcp.js';
import { isHelmValues, readHelmValues, readIngress, scanHelmTemplate } from './sources/kubernetes.js';
import { chartsWithTemplates, readChartValues, valuesFilesReferenced } from './sources/chart-values.js';
import { readHelmReleases } from './sources/helm-release.js';
import { argoValueFiles } from './sources/argo-values.js';
import { readApigee } from './sources/apigee.js';
import {
  apigeeForbidden,
  isApigeeBundleFile,
  noApigeeFacts,
  readApigeeBundleFile,
  type ApigeeFacts,
} from './forbidden/apigee.js';
import { helmValuesForbidden, noHelmFacts } from './forbidden/helm-values.js';
import { isNginxCandidate, readNginx } from './sources/nginx.js';
import { embeddedNginx, embeddedNote, findingSource } from './embedded.js';
import { embeddedManifestTexts, embeddedNginxText, embeddedProxyTexts } from './embedded-text.js';
import {
  isSpringFile,
  otherSpringFile,
  readSpringProperties,
  readSpringYaml,
  setsSpringClientAuth,
  setsSpringClientAuthProperty,
} from './sources/spring.js';
import { isTerraformCandidate, readTerraform } from './sources/terraform.js';
import { TerraformObjectsFile } from './sources/terraform-kubernetes.js';
import { TerraformModules } from './sources/terraform-module.js';
import { APP_GATEWAY_NOT_CHECKED, isAppGatewayFinding } from './sources/azure-appgw.js';
import { readTraefik, scanTraefikToml } from './sources/traefik.js';
import { DEFAULT_STATUS } from '../config/status.js';
import {
  gatewayForbidden,
  httpApiForbidden,
  isHttpApiDomain,
  isRestApiDomain,
  noGatewayFacts,
  readGatewayFacts,
  type GatewayDomain,
} from './forbidden/aws-gateway.js';
import { forbiddenChecked, readForbidden } from './forbidden/index.js';
import {
  apacheFile,
  apacheOtherFilesForbidden,
  isApacheForbiddenCandidate,
  type ApacheFile,
} from './forbidden/apache-files.js';
import { apacheServedForbidden } from './forbidden/apache-served.js';
import {
  isIngressCandidate,
  noIngressFacts,
  readIngressFacts,
  sameHostIngressForbidden,
} from './forbidden/kubernetes.js';
import {
  apimCertificateChecks,
  apimForbidden,
  isApimCandidate,
  isApimFinding,
  noApimFacts,
  readApimPolicies,
} from './forbidden/azure-apim.js';
import { isKongCandidate, kongForbidden, noKongFacts, readKongPlugins } from './forbidden/kong.js';
import { armorForbidden, isArmorCandidate, noArmorFacts, readArmorPolicies } from './forbidden/gcp-armor.js';
import {
  isTraefikConfig,
  isTraefikYaml,
  linkTraefikRouters,
  noTraefikFacts,
  noteTraefikToml,
  readTraefikConfig,
  readTraefikEnvironment,
  traefikForbidden,
} from './forbidden/traefik.js';
import {
  istioForbidden,
  istioGateways,
  readIstioPolicies,
  type IstioGateway,
  type IstioPolicy,
} from './forbidden/istio.js';
import { readIstioProxyPatches, type IstioProxyPatch } from './forbidden/istio-envoy-filter.js';
import { ProxyCodeFiles } from './forbidden/proxy-code.js';
import {
  gatewayApiForbidden,
  gatewayApiTargets,
  readGatewayPolicies,
  targetedIstioPolicies,
  type GatewayApiTarget,
  type GatewayPolicy,
  type RouteParents,
} from './forbidden/gateway-api.js';
import type {
  DetectFinding,
  DetectForbidden,
  DetectForbiddenUnplaced,
  DetectReport,
  DetectSkip,
  ProposalSelection,
} from './types.js';
import { APPLICATION_CODE_KIND, readsOnlyXfcc, unreadTermination } from './unread.js';
import { gatewayConfigKind } from './config-kind.js';
import { templateView, unparsedTemplateSkip } from './template-view.js';
import { helmValuesSites, templateFilledSites, templateSettingsNotRead } from './helm-sites.js';
import { CONFIG_FILE_NAME, textConfigSkips } from './broken-config.js';
import { unlistedEntries } from './unlisted.js';
import { istioMeshMarker, leaveOutMeshXfcc, type MeshMarker } from './istio-mesh.js';
import { isCloudflareCandidate, readCloudflare } from './sources/cloudflare.js';
import {
  CERTIFICATE_READ_NOT_CHECKED,
  CERTIFICATE_READ_SIGNAL,
  CERTIFICATE_READS,
  XFCC_ONLY_READS,
} from './sources/certificate-signal.js';
import { isApisixCandidate, readApisix } from './sources/apisix.js';
import { isForgeRockIgCandidate, readForgeRockIg } from './sources/forgerock-ig.js';
import {
  hasTemplateControl,
  hasYamlTemplateTags,
  interpolationsWritten,
  YAML_TEMPLATE_INFIX,
  YAML_TEMPLATE_SUFFIX,
  yamlWithoutTemplateTags,
} from './template-tags.js';
import type { YamlDocument } from './yaml-documents.js';
import { compareText } from '../util/compare.js';

export type * from './types.js';
export { buildProposal, hostPattern } from './proposal.js';

export interface DetectOptions {
  /** Files or folders to scan (default `.`), relative to `cwd`. */
  paths?: string[];
  cwd?: string;
  /**
   * OpenAPI documents to check the proposal against (relative to `cwd`); default: the OpenAPI documents
   * found while scanning.
   */
  documents?: string[];
  /** The agreed status the fixes propose instead of 403 (config `status`; default 401). */
  status?: number;
  /**
   * Globs of files not to read (config `detect.exclude`, `--exclude`), matched with picomatch against each file's
   * path relative to `cwd` (`/`-separated, dot files included): a generated 40 MB `cluster-dump.yaml` that
   * `--check` could otherwise never pass. Excluded files are listed in the report's `excluded`.
   */
  exclude?: readonly string[];
}

const IGNORED_FOLDERS = [
  'node_modules',
  '.git',
  '.terraform',
  'dist',
  'coverage',
  'vendor',
  '.venv',
  'target',
  'bower_components',
  '.next',
];
const MAX_BYTES = 2 * 1024 * 1024;
/**
 * Lock files of package managers in the formats detect reads (npm `package-lock.json` / `npm-shrinkwrap.json`,
 * pnpm `pnpm-lock.yaml`, and `*-lock.json` / `*.lock.json` / `*-lock.yaml` of other tools): dependency lists,
 * never server configuration, so one too large to read is passed over, not named as a file `--check` cannot pass.
 */
const LOCK_FILE = /^(?:npm-shrinkwrap\.json|[\w.-]*[-.]lock\.(?:json|ya?ml))$/i;
const YAML_SIGNALS =
  /auth-tls-|MUTUAL|frontendValidation|clientValidation|frontend:|require_client_certificate|requireClientCertificate|validation_context|clientAuthType|MutualTlsAuthentication|MutualAuthentication|tlsTruststoreUri|clientCertEnabled|negotiateClientCertificate|enableClientCertificate|client-auth|clientAuth|client_auth|mtls-auth|tls-handshake-modifier/;
const CODE_SIGNALS = /requestCert|mutualAuthentication|mutualTlsAuthentication|\bmtls\s*:|\bca_file_name\b/;
/**
 * Code that may build Kubernetes objects the YAML readers read (an Ingress's client-certificate annotations, an
 * Istio or Gateway API `Gateway`, Traefik TLS options): read by sources/code-kubernetes.ts (loaded on demand).
 */
const CODE_KUBERNETES_SIGNAL =
  /\bauth-tls-(?:verify-client|secret)\b|\bMUTUAL\b|\bOPTIONAL_MUTUAL\b|\bfrontendValidation\b|\bclientAuthType\b|\bclientValidation\b/;
const OPENAPI_ROOT = /(^|[{,\s])["']?(openapi|swagger)["']?\s*:\s*["']?\d/m;

/**
 * Scans configuration and server code for mTLS termination (the readers in src/detect/sources, one per
 * source kind) and proposes the `mtls` config that makes the OpenAPI model see the covered endpoints,
 * with what each proposed server regex selects in the OpenAPI documents. Returns data; never writes.
 * Throws MtlsFixError (ENOENT) for a path that does not exist; unreadable or unparsable files are listed
 * in `skipped` with the reason.
 */
export async function detectMtls(options: DetectOptions = {}): Promise<DetectReport> {
  const cwd = options.cwd ?? process.cwd();
  const listed = await listFiles(options.paths?.length ? options.paths : ['.'], cwd);
  const excluded = excludeFiles(listed, cwd, options.exclude ?? []);
  const files = [...listed.keys()];
  const chartFolders = new Set(
    files
      .filter((file) => path.basename(file) === 'Chart.yaml')
      .map((file) => relative(cwd, path.dirname(file)) || '.'),
  );
  const findings: DetectFinding[] = [];
  const skipped: DetectSkip[] = [];
  // Folders the listing could not open and links to configuration files that do not exist: named, not passed over.
  const isExcluded = excludeMatcher(options.exclude ?? []);
  for (const entry of options.paths?.length ? options.paths : ['.']) {
    const root = path.resolve(cwd, entry);
    if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) continue;
    for (const unlisted of unlistedEntries(root, IGNORED_FOLDERS, (name) => CONFIG_FILE_NAME.test(name))) {
      const rel = relative(cwd, unlisted.absolute);
      if (isExcluded(rel)) continue;
      skipped.push({ file: unlisted.folder ? `${rel}/` : rel, unreadable: true, reason: unlisted.reason });
    }
  }
  const documents: string[] = [];
  const forbidden: DetectForbidden[] = [];
  const forbiddenUnplaced: DetectForbiddenUnplaced[] = [];
  /** What decides a status on an mTLS server out of the readers' sight (auth services, code not in the tree). */
  const codeNotChecked: string[] = [];
  // API Gateway REST APIs answer 403 themselves (gateway responses); what overrides them may sit in any file.
  const gatewayFacts = noGatewayFacts();
  const restDomains: GatewayDomain[] = [];
  const httpDomains: GatewayDomain[] = [];
  const gatewayUnread: DetectSkip[] = [];
  // Istio authorization policies apply to a gateway's workload from any file (by selector or namespace).
  const meshGateways: IstioGateway[] = [];
  const meshPolicies: IstioPolicy[] = [];
  /** EnvoyFilters / WasmPlugins: code, filters and 403 remaps they put in a gateway's Envoy. */
  const meshPatches: IstioProxyPatch[] = [];
  const meshUnread: DetectSkip[] = [];
  // Gateway API: policies (Envoy Gateway SecurityPolicy, Istio targetRefs) reach a Gateway from any file.
  const apiGateways: GatewayApiTarget[] = [];
  const apiPolicies: GatewayPolicy[] = [];
  const apiRoutes: RouteParents = new Map();
  // Traefik routers (file provider, CRDs, Docker labels, Ingress annotations) and middlewares, from any file.
  const traefikFacts = noTraefikFacts();
  const traefikUnread: DetectSkip[] = [];
  // API Management policies (policy XML files, ARM / Bicep / Terraform policy resources) apply to every host name.
  const apimFacts = noApimFacts();
  // Kong plugins that answer 403 (declarative configuration, KongPlugin resources), from any file.
  /** The repository's code files (Lua, njs...) the proxies run, listed once for the run when first asked. */
  const codeFiles = new ProxyCodeFiles(path.resolve(cwd));
  const kongFacts = noKongFacts(codeFiles);
  const kongUnread: DetectSkip[] = [];
  // Cloud Armor rules that deny with 403 apply to backend services named in any file.
  const armorFacts = noArmorFacts();
  const apigeeFacts = noApigeeFacts();
  const armorUnread: DetectSkip[] = [];
  // ingress-nginx asks for the certificate per host: every Ingress of that host, in any file, is on it.
  const ingressFacts = noIngressFacts();
  const ingressUnread: DetectSkip[] = [];
  // Helm values reach an Ingress through a chart template (`toYaml .Values.ingress.annotations`).
  const helmFacts = noHelmFacts();
  // Apache httpd answers 403s from any file of its configuration (`Include`d files, conf.d, .htaccess).
  const apacheFiles: ApacheFile[] = [];
  const apacheFindingFiles: ApacheFile[] = [];
  /** Templates read with their tags blanked: what they read is shown as written (hosts, evidence). */
  const templates = new Map<string, ScanFile>();
  // Istio sidecars set x-forwarded-client-cert on every request: code reading only it proves no client certificate.
  let meshMarker: MeshMarker | undefined;
  const xfccFindings = new Set<DetectFinding>();
  const xfccSkips = new Set<DetectSkip>();
  // A Terraform module's locals and variable defaults, read by its Kubernetes objects from any file of its folder.
  const modules = new TerraformModules(files, (absolute) => relative(cwd, absolute));
  /** "Not read" namings of `.tf` files, kept until every file is read: a module's object may read their values. */
  const moduleSkips: DetectSkip[] = [];
  let filesScanned = 0;
  /** Files that are not UTF-8 -> how they were decoded (said in their findings' notes). */
  const notUtf8 = new Map<string, string>();
  /** The scanned files, relative to `cwd`: where an include's target is looked for. */
  const treeFiles = files.map((file) => relative(cwd, file));
  /** Chart folders whose templates are in the tree: their values are read with them (helm-sites.ts). */
  const chartsInTree = chartsWithTemplates(treeFiles);
  /** Files a Terraform `helm_release` or a Helmfile release passes as values, whatever their name. */
  const readSmall = (file: string): string | undefined => {
    try {
      const absolute = path.resolve(cwd, file);
      return statSync(absolute).size > MAX_BYTES ? undefined : readFileSync(absolute, 'utf8');
    } catch {
      return undefined;
    }
  };
  const valuesFiles = valuesFilesReferenced(treeFiles, readSmall);
  // Values files an Argo CD Application passes (`helm.valueFiles`): read as values, or named when not in the tree.
  const argo = argoValueFiles(treeFiles, readSmall);
  for (const found of argo.found) valuesFiles.add(found);
  skipped.push(...argo.missing);
  const charts: Charts = { folders: chartFolders, withTemplates: chartsInTree, valuesFiles };
  for (const absolute of files) {
    const rel = relative(cwd, absolute);
    let text: string;
    try {
      if (statSync(absolute).size > MAX_BYTES) {
        // A large OpenAPI document (GitHub's, Stripe's, Kubernetes': 5-15 MB) is still a document: its head
        // says so. It holds no server settings, so only other large files are named as not read.
        if (/\.(ya?ml|json)$/i.test(absolute) && isLargeOpenApiDocument(absolute)) documents.push(rel);
        // A package manager's lock file (npm's is often 2-10 MB) holds no server settings: not a file to read.
        else if (LOCK_FILE.test(path.basename(absolute))) continue;
        else if (CONFIG_FILE_NAME.test(absolute))
          skipped.push({ file: rel, unreadable: true, reason: `larger than ${MAX_BYTES / 1024 / 1024} MB` });
        continue;
      }
      const read = readScanText(absolute);
      if ('binary' in read) continue;
      if ('notRead' in read) {
        // A text detect cannot decode (UTF-32): what it configures is unknown (session 41; before, named
        // without making the report unclean, and --check passed).
        skipped.push({ file: rel, unreadable: true, reason: read.notRead });
        continue;
      }
      text = read.text;
      if (read.notUtf8) notUtf8.set(rel, read.notUtf8);
    } catch (error) {
      skipped.push({ file: rel, unreadable: true, reason: `cannot read: ${(error as Error).message}` });
      continue;
    }
    filesScanned++;
    const written = text;
    // A YAML template (Helm chart template, `gateway.yaml.tmpl`) is read as the YAML it renders: tags blanked.
    let file = isYamlTemplate(rel, written)
      ? templateView(absolute, rel, written)
      : new ScanFile(absolute, rel, written);
    if (file.written !== undefined) templates.set(rel, file);
    if (file.written !== undefined && isHelmTemplate(rel, file.written)) helmFacts.templates.push(file);
    else if (isHelmValues(file, chartFolders)) helmFacts.values.push(file);
    let found: DetectFinding[];
    const skippedBefore = skipped.length;
    const read = (scan: ScanFile): Promise<DetectFinding[]> =>
      readFile(scan, listed.get(absolute) ?? rel, charts, documents, skipped, apigeeFacts, modules);
    try {
      found = await read(file);
    } catch (error) {
      // YAML / JSON holding template tags whatever its name (a Keycloak realm a chart loads with `tpl (.Files.Get
      // "realms/x.json")`, an Ansible `files/` JSON): read as the template it is, tags blanked (since session 27;
      // before, "cannot parse" and `--check` exit 2).
      const template = templateRetry(file, written);
      const retried = template ? await read(template).catch(() => undefined) : undefined;
      if (!template || !retried) {
        skipped.push(unparsedSkip(rel, file, error as Error, fileKind(file, chartFolders)));
        continue;
      }
      file = template;
      templates.set(rel, file);
      found = retried;
    }
    // Chart values read with their template tags blanked (a Terraform `templatefile`) were read.
    const unparsed = readAsChartValues.has(file)
      ? undefined
      : unparsedGatewayConfig(file, skipped.slice(skippedBefore), found, fileKind(file, chartFolders));
    if (unparsed) skipped.push(unparsed);
    // A template's literal setting its blanked reading did not give (an `{{ if }}` branch another overrides).
    skipped.push(...templateSettingsNotRead(file, found, skipped.slice(skippedBefore)));
    // A broken nginx / Apache / HAProxy / Caddy / Terraform / Bicep / Traefik TOML file, or one whose include is
    // not in the tree (session 41; before, read as far as it went, clean).
    skipped.push(
      ...(await textConfigSkips(file, skipped.slice(skippedBefore), found, inTree(file, cwd, treeFiles))),
    );
    const decoded = notUtf8.get(rel);
    if (decoded)
      for (const finding of found) finding.note = finding.note ? `${finding.note}; ${decoded}` : decoded;
    findings.push(...found);
    for (const finding of found) if (XFCC_ONLY_READS.has(finding)) xfccFindings.add(finding);
    // Traefik text in a heredoc: its routers and middlewares are read like a file provider's.
    for (const source of new Set(found.filter(isTraefikYaml).map((finding) => findingSource.get(finding))))
      if (source && source !== file) readTraefikConfig(source, source.yamlDocuments(), traefikFacts);
    if (!isTestCode(listed.get(absolute) ?? rel)) meshMarker ??= istioMeshMarker(file);
    if (found.some((finding) => finding.source === 'apache')) apacheFindingFiles.push(apacheFile(file));
    else if (isApacheForbiddenCandidate(file)) apacheFiles.push(apacheFile(file));
    if (found.some((finding) => finding.source === 'istio' || finding.source === 'gateway-api')) {
      try {
        // A Gateway read from YAML in a Terraform heredoc is found again in that text.
        for (const [source, own] of bySourceFile(file, found)) {
          meshGateways.push(...istioGateways(source, own));
          apiGateways.push(...gatewayApiTargets(source, own));
        }
      } catch (error) {
        skipped.push({
          file: rel,
          unreadable: true,
          reason: `its Gateway could not be read for authorization policies: ${(error as Error).message.split('\n')[0]}`,
        });
      }
    }
    for (const finding of found) {
      if (isRestApiDomain(finding, file)) restDomains.push({ finding, file });
      if (isHttpApiDomain(finding, file)) httpDomains.push({ finding, file });
    }
    if (!isTestCode(listed.get(absolute) ?? rel)) {
      try {
        if (/\.ya?ml$/i.test(file.baseName) && isTraefikConfig(file.text))
          readTraefikConfig(file, file.yamlDocuments(), traefikFacts);
        else if (/\.toml$/i.test(rel)) noteTraefikToml(file, traefikFacts);
        else if (/(^|\/)\.env(\.[\w-]+)*$/.test(rel) && /TRAEFIK_ENTRYPOINTS_/i.test(file.text))
          readTraefikEnvironment(file, traefikFacts);
      } catch (error) {
        traefikUnread.push({
          file: rel,
          unreadable: true,
          reason: `its Traefik routers and middlewares could not be read: ${(error as Error).message.split('\n')[0]}`,
        });
      }
      if (isApimCandidate(file)) readApimPolicies(file, apimFacts);
      if (isIngressCandidate(file)) {
        try {
          readIngressFacts(file, ingressFacts);
        } catch (error) {
          ingressUnread.push({
            file: rel,
            unreadable: true,
            reason: `its Ingress objects could not be read for the 403s of hosts that ask for certificates: ${(error as Error).message.split('\n')[0]}`,
          });
        }
      }
      if (isArmorCandidate(file)) {
        try {
          readArmorPolicies(file, armorFacts);
        } catch (error) {
          armorUnread.push({
            file: rel,
            unreadable: true,
            reason: `its Cloud Armor rules could not be read: ${(error as Error).message.split('\n')[0]}`,
          });
        }
      }
      if (isApigeeBundleFile(file)) readApigeeBundleFile(file, apigeeFacts);
      if (isKongCandidate(file)) {
        try {
          readKongPlugins(file, file.yamlDocuments(), kongFacts);
        } catch (error) {
          kongUnread.push({
            file: rel,
            unreadable: true,
            reason: `its Kong plugins could not be read: ${(error as Error).message.split('\n')[0]}`,
          });
        }
      }
      try {
        // A Terraform file's Kubernetes objects (HCL or heredoc YAML) are read as the manifests they are. Other
        // files are read only when YAML or JSON: a Markdown page or Go source naming `kind: HTTPRoute` in an example
        // is no manifest (before session 37, each was "Not read", unreadable, and `--check` exited 2:
        // kubernetes-sigs/gateway-api named 181 files so).
        for (const view of kubernetesViews.get(file) ?? (MANIFEST_FILE.test(file.baseName) ? [file] : [])) {
          readIstioPolicies(view, meshPolicies);
          readIstioProxyPatches(view, meshPatches);
          readGatewayPolicies(view, apiPolicies, apiRoutes);
          if (view !== file && /\bIngress\b/.test(view.text)) readIngressFacts(view, ingressFacts);
        }
      } catch (error) {
        meshUnread.push({
          file: rel,
          unreadable: true,
          reason: `its Istio / Gateway API policies could not be read: ${(error as Error).message.split('\n')[0]}`,
        });
      }
      try {
        await readGatewayFacts(file, gatewayFacts);
      } catch (error) {
        // Named only when a REST API domain with mTLS is found (below): otherwise nothing depends on it.
        gatewayUnread.push({
          file: rel,
          unreadable: true,
          reason: `its API Gateway responses could not be read: ${(error as Error).message.split('\n')[0]}`,
        });
      }
    }
    // A reader that already named a setting of this file with its line (an expression it cannot evaluate) said it.
    const namedByReader = skipped
      .slice(skippedBefore)
      .some((skip) => skip.line !== undefined || skip.leftOut === true);
    if (found.length === 0 && !namedByReader && !isTestCode(listed.get(absolute) ?? rel)) {
      // Configured, but not in a form the readers understand: named, never passed over in silence.
      const unread = unreadTermination(file.written ? new ScanFile(absolute, rel, file.written) : file);
      if (unread) {
        const skip: DetectSkip = {
          file: rel,
          line: unread.line,
          reason:
            `holds an mTLS server setting at line ${unread.line} (\`${unread.text}\`, ${unread.kind}) in a form ` +
            `mtls-fix does not read, so nothing of it is in the proposal: set mtls.servers or mtls.everywhere by hand`,
        };
        (rel.endsWith('.tf') ? moduleSkips : skipped).push(skip);
        if (unread.kind === APPLICATION_CODE_KIND && readsOnlyXfcc(file)) xfccSkips.add(skip);
      }
    }
    if (found.length > 0) {
      try {
        // Findings read from nginx text embedded in this file (cloud-init) have their 403s read from that text.
        for (const [source, own] of bySourceFile(file, found)) {
          const answered = await readForbidden(source, own, options.status ?? DEFAULT_STATUS, codeFiles);
          forbidden.push(...answered.forbidden);
          forbiddenUnplaced.push(...answered.unplaced);
          codeNotChecked.push(...answered.notChecked);
        }
      } catch (error) {
        skipped.push({
          file: rel,
          unreadable: true,
          reason: `its 403s could not be read: ${(error as Error).message.split('\n')[0]}`,
        });
      }
    }
  }
  // Helm templates whose client-certificate settings the chart values write: read with those values.
  skipped.push(...notAtNamedLines(skipped, helmValuesSites(helmFacts.templates, helmFacts.values)));
  // Other YAML templates: what they fill in at a client-certificate place is unknown.
  skipped.push(
    ...notAtNamedLines(
      skipped,
      templateFilledSites(
        [...templates.values()].filter((template) => !helmFacts.templates.includes(template)),
      ),
    ),
  );
  // A .tf file whose settings a Terraform object of its module read (`annotations = local.x`) was read.
  skipped.push(...moduleSkips.filter((skip) => !modules.used.has(skip.file)));
  // After every file is read: whether an edge here asks clients for a certificate is known only now.
  const meshKept = leaveOutMeshXfcc(findings, skipped, xfccFindings, xfccSkips, meshMarker);
  findings.splice(0, findings.length, ...meshKept);
  const apacheOthers = apacheOtherFilesForbidden(
    findings,
    apacheFiles,
    apacheFindingFiles,
    options.status ?? DEFAULT_STATUS,
  );
  forbidden.push(
    ...apacheOthers.forbidden,
    ...apacheServedForbidden(findings, apacheFiles, apacheFindingFiles, options.status ?? DEFAULT_STATUS)
      .forbidden,
  );
  forbiddenUnplaced.push(...apacheOthers.unplaced);
  forbidden.push(
    ...gatewayForbidden(restDomains, gatewayFacts, options.status ?? DEFAULT_STATUS),
    ...httpApiForbidden(httpDomains, gatewayFacts, options.status ?? DEFAULT_STATUS),
  );
  const mesh = istioForbidden(
    meshGateways,
    meshPolicies,
    options.status ?? DEFAULT_STATUS,
    meshPatches,
    codeFiles,
  );
  codeNotChecked.push(...mesh.notChecked);
  forbiddenUnplaced.push(...mesh.unplaced);
  forbidden.push(
    ...mesh.forbidden,
    ...gatewayApiForbidden(
      apiGateways,
      [...apiPolicies, ...targetedIstioPolicies(meshPolicies)],
      apiRoutes,
      options.status ?? DEFAULT_STATUS,
    ),
  );
  linkTraefikRouters(findings, traefikFacts);
  // The router linking rewrites a Traefik option's note: where embedded text goes is said again.
  for (const finding of findings) {
    const embedded = embeddedWhere.get(finding);
    if (!embedded) continue;
    const { where, template } = embedded;
    if (!finding.note?.includes(where)) finding.note = finding.note ? `${finding.note}; ${where}` : where;
    if (template) finding.hosts = [...new Set(writtenHosts(finding.hosts, template))];
  }
  // Routers linked across files add hosts after the readers ran: those of templates are shown as written too.
  for (const finding of findings) {
    const template = templates.get(finding.file);
    if (!template) continue;
    finding.hosts = [...new Set(writtenHosts(finding.hosts, template))];
    // The router linking rewrites a Traefik option's note.
    const said = templateNote(template, isHelmTemplate(template.relative, template.written ?? ''));
    if (!finding.note?.includes(said)) finding.note = finding.note ? `${finding.note}; ${said}` : said;
  }
  const traefik = traefikForbidden(findings, traefikFacts, options.status ?? DEFAULT_STATUS);
  forbidden.push(...traefik.forbidden);
  forbiddenUnplaced.push(...traefik.unplaced);
  if (findings.some(isTraefikYaml)) skipped.push(...notNamedYet(skipped, traefikUnread));
  const sameHost = sameHostIngressForbidden(findings, ingressFacts, options.status ?? DEFAULT_STATUS);
  forbidden.push(...sameHost.forbidden);
  codeNotChecked.push(...sameHost.notChecked);
  if (findings.some((finding) => finding.source === 'kubernetes'))
    skipped.push(...notNamedYet(skipped, ingressUnread));
  const helmValues = helmValuesForbidden(findings, helmFacts, options.status ?? DEFAULT_STATUS);
  forbidden.push(...helmValues.forbidden);
  codeNotChecked.push(...helmValues.notChecked);
  forbidden.push(...kongForbidden(findings, kongFacts, options.status ?? DEFAULT_STATUS));
  forbidden.push(...apigeeForbidden(findings, apigeeFacts, options.status ?? DEFAULT_STATUS));
  if (findings.some((finding) => finding.source === 'kong'))
    skipped.push(...notNamedYet(skipped, kongUnread));
  const armor = armorForbidden(findings, armorFacts, options.status ?? DEFAULT_STATUS);
  forbidden.push(...armor.forbidden);
  forbiddenUnplaced.push(...armor.unplaced);
  if (findings.some((finding) => finding.source === 'gcp'))
    skipped.push(...notNamedYet(skipped, armorUnread));
  const apim = apimForbidden(findings, apimFacts, options.status ?? DEFAULT_STATUS);
  forbidden.push(...apim.forbidden);
  forbiddenUnplaced.push(...apim.unplaced);
  if (!findings.some(isApimFinding)) skipped.push(...apimCertificateChecks(apimFacts, skipped));
  if (restDomains.length || httpDomains.length) skipped.push(...notNamedYet(skipped, gatewayUnread));
  if (meshGateways.length || apiGateways.length) skipped.push(...notNamedYet(skipped, meshUnread));
  for (const entry of [...forbidden, ...forbiddenUnplaced]) {
    const template = templates.get(entry.file);
    if (template) entry.evidence = writtenEvidence(entry.evidence, entry.line, template);
  }
  for (const entry of forbidden) {
    const template = templates.get(entry.file);
    if (template) entry.hosts = [...new Set(writtenHosts(entry.hosts, template))];
  }
  // A reason may quote what it read in this template and in another (a Gateway's selector and hosts).
  for (const entry of forbiddenUnplaced) {
    if (!templates.has(entry.file)) continue;
    entry.reason = [...templates.values()].reduce(
      (reason, template) => writtenHosts([reason], template)[0],
      entry.reason,
    );
  }
  const given = options.documents?.map((document) => relative(cwd, path.resolve(cwd, document)));
  // Spec repositories publish their documents in `dist/` (UK Open Banking, UAE Open Finance): when nothing
  // outside it is a document, the published ones are the documents, not "none found".
  // Beside documents elsewhere, the ones under dist/ or target/ are build output, left out, and named (session 28:
  // PaymentsNZ's API-Account-Information checked, and `init` put in `spec`, only its archive/ and working/ drafts,
  // not the published dist/v3.0.3 documents, without a word).
  const buildDocuments: string[] = [];
  if (!given) {
    const published = (await publishedDocuments(options.paths, cwd)).filter(
      (document) => !isExcluded(document),
    );
    if (documents.length === 0) documents.push(...published);
    else buildDocuments.push(...published.filter((document) => !documents.includes(document)));
  }
  const checked = given ?? documents;
  const { proposal, reasons, patterns } = buildProposal(findings);
  const selection = selectionOf(patterns, checked, cwd, skipped);
  return {
    findings: findings.sort((a, b) => compareText(a.file, b.file) || a.line - b.line),
    proposal,
    reasons,
    selection,
    documents: checked,
    buildDocuments,
    filesScanned,
    excluded,
    skipped,
    forbidden: forbidden.sort((a, b) => compareText(a.file, b.file) || a.line - b.line),
    forbiddenUnplaced: forbiddenUnplaced.sort((a, b) => compareText(a.file, b.file) || a.line - b.line),
    forbiddenNotChecked: findings
      .filter(
        (finding) =>
          (!forbiddenChecked(finding) &&
            !apim.checked.includes(finding) &&
            !helmValues.handled.includes(finding) &&
            !apim.notChecked.some((entry) => entry.startsWith(`${finding.file}:${finding.line} `)) &&
            !restDomains.some((domain) => domain.finding === finding) &&
            !httpDomains.some((domain) => domain.finding === finding)) ||
          // An Istio or Gateway API finding whose Gateway could not be found again is not checked, not clean.
          (finding.source === 'istio' && !meshGateways.some((gateway) => gateway.finding === finding)) ||
          (finding.source === 'gateway-api' && !apiGateways.some((target) => target.finding === finding)),
      )
      .map(
        (finding) =>
          `${finding.file}:${finding.line} ${finding.source}${isAppGatewayFinding(finding) ? ` (${APP_GATEWAY_NOT_CHECKED})` : CERTIFICATE_READS.has(finding) ? ` (${CERTIFICATE_READ_NOT_CHECKED})` : ''}`,
      )
      .concat(traefik.notChecked, apim.notChecked, codeNotChecked),
  };
}

/**
 * The entries of `more` (each with its `line`) at a line `skipped` does not already name: a template setting the
 * "Not read" line scan named (`clientAuthType: {{ .Values.x }}`) is not named again, nor said to be read.
 */
function notAtNamedLines(skipped: readonly DetectSkip[], more: readonly DetectSkip[]): DetectSkip[] {
  const named = new Set(
    skipped.flatMap((skip) => (skip.line !== undefined ? [`${skip.file}:${skip.line}`] : [])),
  );
  return more.filter((skip) => !named.has(`${skip.file}:${skip.line}`));
}

/**
 * The entries of `more` whose file `skipped` does not already name as unreadable: a file that does not parse is named
 * once (its kind and the parser's message), not again by each reader that needed it for 403s (session 41).
 */
function notNamedYet(skipped: readonly DetectSkip[], more: readonly DetectSkip[]): DetectSkip[] {
  const named = new Set(skipped.filter((skip) => skip.unreadable).map((skip) => skip.file));
  return more.filter((skip) => !named.has(skip.file));
}

/**
 * Whether an include's target (nginx `include`, httpd `Include`, Caddy `import`) is a file: relative to the
 * including file's folder or a folder above it up to `cwd` (the server's prefix, as a rule), as an absolute path,
 * or, as configurations are copied to `/etc/nginx/...` by a Dockerfile, a scanned file whose path ends with the
 * target's last two parts (`/etc/nginx/snippets/mtls.conf` -> `deploy/snippets/mtls.conf`).
 */
function inTree(file: ScanFile, cwd: string, treeFiles: readonly string[]): (target: string) => boolean {
  const top = path.resolve(cwd);
  return (target) => {
    const isFile = (candidate: string): boolean =>
      statSync(candidate, { throwIfNoEntry: false })?.isFile() ?? false;
    if (path.isAbsolute(target)) {
      if (isFile(target)) return true;
    } else {
      for (let folder = path.dirname(file.path); ; folder = path.dirname(folder)) {
        if (isFile(path.resolve(folder, target))) return true;
        if (folder === top || folder === path.dirname(folder) || !folder.startsWith(top)) break;
      }
    }
    const tail = target.split('/').filter(Boolean).slice(-2).join('/');
    return treeFiles.some((entry) => entry === tail || entry.endsWith(`/${tail}`));
  };
}

/** A file's findings by the text each was read from: embedded text (findingSource) or the file itself. */
function bySourceFile(file: ScanFile, found: readonly DetectFinding[]): Map<ScanFile, DetectFinding[]> {
  const bySource = new Map<ScanFile, DetectFinding[]>();
  for (const finding of found) {
    const source = findingSource.get(finding) ?? file;
    bySource.set(source, [...(bySource.get(source) ?? []), finding]);
  }
  return bySource;
}

/**
 * The findings of one file: the edge gateways read in src/detect/sources (Cloudflare, APISIX; since session 27)
 * and the readers of {@link readKnownFile}.
 */
async function readFile(
  file: ScanFile,
  inRoot: string,
  charts: Charts,
  documents: string[],
  skipped: DetectSkip[],
  apigeeFacts: ApigeeFacts,
  modules?: TerraformModules,
): Promise<DetectFinding[]> {
  const edge = [
    ...(isCloudflareCandidate(file) ? await readCloudflare(file) : []),
    ...(isApisixCandidate(file) ? await readApisix(file) : []),
    ...(isForgeRockIgCandidate(file) ? readForgeRockIg(file) : []),
    ...apigeeFindings(file, skipped, apigeeFacts),
  ];
  const embedded = /\.(ya?ml|json)$/.test(file.baseName) ? [] : readEmbeddedProxies(file, skipped);
  return [...edge, ...(await readKnownFile(file, inRoot, charts, documents, skipped, modules)), ...embedded];
}

/**
 * Apigee `SSLInfo` client authentication in XML or the management API's JSON (session 46): a virtual host's is a
 * finding, a target's is read and left out (pushed to `skipped`); one placed in neither stays named as not read.
 */
function apigeeFindings(file: ScanFile, skipped: DetectSkip[], facts: ApigeeFacts): DetectFinding[] {
  if (!/\.(?:xml|json)$/i.test(file.baseName)) return [];
  const read = readApigee(file);
  if (!read) return [];
  skipped.push(...read.leftOut);
  read.findings.forEach((finding, index) => {
    const name = read.names[index];
    if (name !== undefined) facts.virtualHosts.set(`${finding.file}:${finding.line}`, name);
  });
  return read.findings;
}

/** The chart folders of the scanned tree (`Chart.yaml`), and those of them whose templates are in it. */
interface Charts {
  folders: ReadonlySet<string>;
  withTemplates: ReadonlySet<string>;
  /** Files a Terraform `helm_release` or a Helmfile release passes as values (relative). */
  valuesFiles: ReadonlySet<string>;
}

/** Files read as chart values once their template tags were blanked (not "cannot parse"). */
const readAsChartValues = new WeakSet<ScanFile>();

/**
 * A finding read from embedded proxy text -> where that text goes, and the text as written when template tags were
 * blanked (notes and hosts are rewritten by the Traefik router linking).
 */
const embeddedWhere = new WeakMap<DetectFinding, { where: string; template?: ScanFile }>();

/** Files that can be Kubernetes manifests themselves (templates are named by the file they render). */
const MANIFEST_FILE = /\.(?:ya?ml|json)$/i;

/**
 * A Terraform file -> the Kubernetes objects it creates, seen as manifests: its HCL objects (TerraformObjectsFile)
 * and each heredoc YAML body (blanked outside it), read for the policies and Ingresses that answer 403s.
 */
const kubernetesViews = new WeakMap<ScanFile, ScanFile[]>();

/**
 * Envoy, Traefik and Caddy configuration written inside a shell script, Dockerfile or Nomad / Terraform heredoc
 * (embedded-text.ts), read by that proxy's reader at its lines in this file, its findings noted with where the text
 * goes and their 403s read from that text (since session 31; before, named under "Not read"). Template tags of
 * consul-template / Terraform (`{{ env "X" }}`, `${var.x}`) are blanked first for the YAML readers; text that still
 * does not parse is left to the "Not read" naming.
 */
function readEmbeddedProxies(file: ScanFile, skipped: DetectSkip[]): DetectFinding[] {
  return embeddedProxyTexts(file).flatMap(({ proxy, file: text, note: where }) => {
    const yaml = hasYamlTemplateTags(text.text) ? yamlWithoutTemplateTags(text.text) : text.text;
    const source = new ScanFile(text.path, text.relative, yaml);
    let found: DetectFinding[];
    try {
      if (proxy === 'caddy') found = readCaddy(text);
      else if (proxy === 'traefik' && /\bclientAuthType[ \t]*=/.test(text.text))
        found = scanTraefikToml(text);
      else if (proxy === 'traefik') found = readTraefik(source, source.yamlDocuments());
      else found = readEnvoy(source, source.yamlDocuments(), skipped);
    } catch {
      return [];
    }
    return found.map((finding) => {
      // Hosts read from blanked tags are shown as written (`{{ env "API_HOST" }}`).
      const template =
        yaml === text.text ? undefined : new ScanFile(text.path, text.relative, yaml, text.text);
      const placed = {
        ...finding,
        hosts: template ? writtenHosts(finding.hosts, template) : finding.hosts,
        note: [finding.note, where].filter(Boolean).join('; '),
      };
      findingSource.set(placed, proxy === 'caddy' ? text : source);
      embeddedWhere.set(placed, { where, template });
      return placed;
    });
  });
}

/** `inRoot`: the file's path below the folder given to scan (test folders are judged from there). */
async function readKnownFile(
  file: ScanFile,
  inRoot: string,
  { folders: chartFolders, withTemplates, valuesFiles }: Charts,
  documents: string[],
  skipped: DetectSkip[],
  modules?: TerraformModules,
): Promise<DetectFinding[]> {
  const name = file.baseName;
  if (/\.(ya?ml|json)$/.test(name)) {
    // A template is not a document `lint` can read: only the file it renders is.
    const opening =
      file.written === undefined && (/\.json$/.test(name) ? file.text.slice(0, 2000) : file.text);
    if (opening !== false && OPENAPI_ROOT.test(opening)) {
      if (/^\s*["']?(openapi|swagger)["']?\s*:/m.test(file.text) || name.endsWith('.json'))
        documents.push(file.relative);
    }
    // nginx config written by cloud-init (`write_files`) is read at its lines in this file.
    const embedded = readEmbeddedNginx(file, skipped);
    // Values for a chart kept elsewhere (`mtls.enabled: true`): read here whatever other readers find (session 42).
    const values = readChartValues(file, withTemplates, valuesFiles);
    skipped.push(...values.skipped);
    if (values.view) readAsChartValues.add(file);
    if (!YAML_SIGNALS.test(file.text)) return [...embedded, ...values.findings];
    const helm = file.written !== undefined && isHelmTemplate(file.relative, file.written);
    // A Helm template's ingress annotations are read line by line (`probably`: the values decide); the YAML
    // readers below take the rest (Istio, Gateway API, Envoy, Traefik...), which before session 18 was not read.
    const helmIngress = helm ? scanHelmTemplate(file) : [];
    let parsed: YamlDocument[];
    try {
      parsed = file.yamlDocuments();
    } catch (error) {
      // Chart values that parse once a Terraform template's tags are blanked: what they say is read above.
      if (values.view) return values.findings;
      // A template that is not YAML in either view is named by unparsedGatewayConfig, after the line scan.
      if (file.written === undefined) throw error;
      return helmIngress.map((finding) => fromTemplate(finding, file, helm));
    }
    skipped.push(...cfnUnresolved(file, parsed));
    const found = [
      ...(helm ? helmIngress : readIngress(file, parsed, skipped)),
      ...readIstio(file, parsed, skipped),
      ...readGatewayApi(file, parsed),
      ...readEnvoy(file, parsed, skipped),
      ...readTraefik(file, parsed),
      ...readKong(file, parsed),
      ...readGcp(file, parsed),
      ...readCloudFormation(file, parsed),
      ...readArm(file, parsed, skipped),
      ...readCaddyJson(file, parsed),
      ...(isSpringFile(file)
        ? readSpringYaml(file, parsed, skipped)
        : setsSpringClientAuth(parsed)
          ? otherSpringFile(readSpringYaml(file, parsed, skipped))
          : []),
      ...(isHelmValues(file, chartFolders) ? readHelmValues(file, parsed) : []),
      ...readPulumiKubernetes(file, parsed, skipped),
      ...embedded,
    ];
    // A line another reader took (ingress-nginx annotations in a chart's values) is not reported twice.
    found.push(...values.findings.filter((finding) => !found.some((other) => other.line === finding.line)));
    return file.written === undefined ? found : found.map((finding) => fromTemplate(finding, file, helm));
  }
  const manifests = name.endsWith('.tf') ? readEmbeddedManifests(file, skipped) : [];
  // Values a `helm_release` passes in the Terraform file itself (`set { }`, `yamlencode({...})`): session 46.
  const releases = await readHelmReleases(file, withTemplates);
  skipped.push(...releases.skipped);
  if (isTerraformCandidate(file)) {
    const { findings, unresolved, kubernetes } = await readTerraform(file, modules);
    skipped.push(...unresolved);
    if (kubernetes.length)
      kubernetesViews.set(file, [
        ...(kubernetesViews.get(file) ?? []),
        new TerraformObjectsFile(file, kubernetes),
      ]);
    // Kubernetes objects written as HCL (`kubernetes_manifest`, `kubernetes_ingress_v1`): the YAML readers read
    // them (since session 32; before, named under "Not read"), and their 403s are read from those objects.
    const objectsFile =
      kubernetesViews.get(file)?.find((view) => view instanceof TerraformObjectsFile) ?? file;
    const objects = [
      ...readIngress(objectsFile, kubernetes, skipped),
      ...readIstio(objectsFile, kubernetes, skipped),
      ...readGatewayApi(objectsFile, kubernetes),
      ...readTraefik(objectsFile, kubernetes),
    ].map((finding): DetectFinding => {
      const placed: DetectFinding = { ...finding, reader: '@cdktf/hcl2json' };
      if (finding.evidence.startsWith('resource "kubernetes_annotations"'))
        placed.note = [
          finding.note,
          'kubernetes_annotations adds these annotations to an Ingress created elsewhere: its hosts are not written here',
        ]
          .filter(Boolean)
          .join('; ');
      findingSource.set(placed, objectsFile);
      return placed;
    });
    // nginx config in a heredoc (`user_data = <<-EOF`, a `local_file` content) is read at its lines.
    return [
      ...findings,
      ...objects,
      ...manifests,
      ...releases.findings,
      ...(/\bssl_verify_client\b/.test(file.text) ? readEmbeddedText(file, skipped) : []),
    ];
  }
  if (manifests.length || releases.findings.length) return [...manifests, ...releases.findings];
  if (name.endsWith('.toml')) return scanTraefikToml(file);
  if (isBicepCandidate(file)) return scanBicep(file, skipped);
  if (name.endsWith('.properties'))
    return isSpringFile(file)
      ? readSpringProperties(file, skipped)
      : setsSpringClientAuthProperty(file)
        ? otherSpringFile(readSpringProperties(file, skipped))
        : [];
  if (/\.[cm]?[jt]sx?$/.test(name)) {
    const reads = CERTIFICATE_READ_SIGNAL.test(file.text);
    const objects = CODE_KUBERNETES_SIGNAL.test(file.text);
    if ((!CODE_SIGNALS.test(file.text) && !reads && !objects) || name.endsWith('.d.ts')) return [];
    if (isTestCode(inRoot)) {
      if (file.text.includes('requestCert'))
        skipped.push({ file: file.relative, reason: 'test code: a test server is not a deployed one' });
      return [];
    }
    // Loaded on demand: the TypeScript parser takes about half a second to load.
    const { readServerCode } = await import('./sources/node.js');
    const server = [
      ...(CODE_SIGNALS.test(file.text) ? readServerCode(file, skipped) : []),
      ...(objects ? await readCodeKubernetes(file, skipped) : []),
    ];
    if (server.length || !reads) return server;
    // Code that reads a client certificate (a Worker's request.cf.tlsClientAuth, a forwarded header, a TLS
    // socket): since session 30; before, "No mTLS termination found" (breaker30 #07).
    const { readCertificateReads } = await import('./sources/certificate-reads.js');
    const { parseSource } = await import('../migrate/parse.js');
    const root = file.path.endsWith(inRoot)
      ? file.path.slice(0, file.path.length - inRoot.length)
      : path.dirname(file.path);
    return readCertificateReads(file, parseSource(file.path, file.text), root || '.');
  }
  return [
    ...(isNginxCandidate(file) ? readNginxOrEmbedded(file, skipped) : []),
    // Terraform without a setting its reader reads: nginx config in a heredoc (`user_data = <<-EOF`).
    ...(name.endsWith('.tf') && /\bssl_verify_client\b/.test(file.text)
      ? readEmbeddedText(file, skipped)
      : []),
    ...(isApacheCandidate(file) ? readApache(file) : []),
    ...(isHaproxyCandidate(file) ? readHaproxy(file, skipped) : []),
    ...(isCaddyCandidate(file) ? readCaddy(file) : []),
  ];
}

function isTestCode(file: string): boolean {
  return (
    /(^|\/)(test|tests|__tests__|spec|e2e|__mocks__|fixtures|testdata)\//.test(file) ||
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(file) ||
    /_test\.go$|(^|\/)test_[^/]*\.py$|_test\.py$|Tests?\.(?:java|kt|cs)$/.test(file)
  );
}

/** A test for `/`-separated paths relative to the working folder: does a `detect.exclude` glob match it? */
function excludeMatcher(globs: readonly string[]): (relativePath: string) => boolean {
  return globs.length ? picomatch([...globs], { dot: true }) : () => false;
}

/**
 * Removes from `listed` the files `globs` match (by their path relative to `cwd`) and returns those paths,
 * sorted: named files too, as `migrate.exclude` does, so an excluded file is never read whichever way it came.
 */
function excludeFiles(listed: Map<string, string>, cwd: string, globs: readonly string[]): string[] {
  if (globs.length === 0) return [];
  const isExcluded = excludeMatcher(globs);
  const excluded: string[] = [];
  for (const absolute of [...listed.keys()]) {
    const rel = relative(cwd, absolute);
    if (!isExcluded(rel)) continue;
    listed.delete(absolute);
    excluded.push(rel);
  }
  return excluded.sort(compareText);
}

/** Absolute path -> the path below the folder given (the file name, for a file given). */
async function listFiles(paths: readonly string[], cwd: string): Promise<Map<string, string>> {
  const { glob } = await import('tinyglobby');
  const out = new Map<string, string>();
  for (const entry of paths) {
    const absolute = path.resolve(cwd, entry);
    let isFolder: boolean;
    try {
      isFolder = statSync(absolute).isDirectory();
    } catch {
      throw new MtlsFixError(
        'ENOENT',
        `no such file or folder: ${entry}.`,
        'Check the PATHS given to detect.',
        { file: entry },
      );
    }
    if (!isFolder) {
      if (!out.has(absolute)) out.set(absolute, path.basename(absolute));
      continue;
    }
    const found = await glob(['**/*'], {
      cwd: absolute,
      absolute: true,
      dot: true,
      ignore: IGNORED_FOLDERS.map((folder) => `**/${folder}/**`),
    });
    for (const file of found.sort()) {
      if (!out.has(file)) out.set(file, path.relative(absolute, file).split(path.sep).join('/'));
    }
  }
  return out;
}

/**
 * OpenAPI documents in build-output folders below the paths, relative to `cwd`, sorted: `dist` (spec
 * repositories publish there: UK Open Banking, UAE Open Finance) and `target` (Maven: springdoc-openapi's and
 * swagger-maven-plugin's generated `openapi.json` / `swagger.json`); `node_modules` and `.git` stay out. Read only
 * when the scan found no document elsewhere, so a copy a build put there never doubles one in the sources.
 * Large documents count too (their head is read).
 */
async function publishedDocuments(paths: readonly string[] | undefined, cwd: string): Promise<string[]> {
  const { glob } = await import('tinyglobby');
  const found: string[] = [];
  for (const entry of paths?.length ? paths : ['.']) {
    const absolute = path.resolve(cwd, entry);
    if (!statSync(absolute, { throwIfNoEntry: false })?.isDirectory()) continue;
    const files = await glob(['**/{dist,target}/**/*.{yaml,yml,json}'], {
      cwd: absolute,
      absolute: true,
      dot: true,
      ignore: ['**/node_modules/**', '**/.git/**'],
    });
    for (const file of files.sort()) {
      if (statSync(file).size > MAX_BYTES) {
        if (isLargeOpenApiDocument(file)) found.push(relative(cwd, file));
        continue;
      }
      const text = readFileSync(file, 'utf8');
      const head = file.endsWith('.json') ? text.slice(0, 2000) : text;
      if (!OPENAPI_ROOT.test(head)) continue;
      if (file.endsWith('.json') || /^\s*["']?(openapi|swagger)["']?\s*:/m.test(text))
        found.push(relative(cwd, file));
    }
  }
  return found;
}

/** How much of a file larger than MAX_BYTES is read to tell whether it is an OpenAPI document. */
const HEAD_BYTES = 64 * 1024;

/**
 * Whether a file too large to scan is an OpenAPI document, from its first {@link HEAD_BYTES}: a JSON object
 * naming `openapi`/`swagger` with a version in its first 2,000 characters (as for small files), or YAML with a
 * top-level `openapi:`/`swagger:` key. Unreadable: false (the caller names the file as not read).
 */
function isLargeOpenApiDocument(file: string): boolean {
  let head: string;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const fd = openSync(file, 'r');
    try {
      head = buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  head = head.replace(/^\uFEFF/, '');
  if (/\.json$/i.test(file)) return OPENAPI_ROOT.test(head.slice(0, 2000));
  return /^["']?(openapi|swagger)["']?\s*:\s*["']?\d/m.test(head);
}

function relative(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? file : rel).split(path.sep).join('/');
}

/** Which servers and how many operations of each document every proposed regex selects. */
function selectionOf(
  patterns: ReadonlyMap<string, string[]>,
  documents: readonly string[],
  cwd: string,
  skipped: DetectSkip[],
): ProposalSelection[] {
  const loaded: { file: string; operations: { servers: string[] }[] }[] = [];
  for (const file of documents) {
    try {
      const set = DocumentSet.load(file, { cwd, allowRemoteRefs: true });
      const version = detectVersion(set.root.data, file);
      loaded.push({
        file,
        operations: listOperations(set).map((operation) => ({
          servers: effectiveServers(set.root.data, version, operation).map((server) => server.url),
        })),
      });
    } catch (error) {
      skipped.push({
        file,
        unreadable: true,
        reason: `OpenAPI document not checked: ${(error as Error).message}`,
      });
    }
  }
  return [...patterns].map(([pattern, hosts]) => {
    const regex = new RegExp(pattern);
    return {
      pattern,
      hosts,
      documents: loaded
        .map(({ file, operations }) => {
          const servers = new Set<string>();
          let count = 0;
          for (const operation of operations) {
            const matching = operation.servers.filter((url) => regex.test(url));
            matching.forEach((url) => servers.add(url));
            if (matching.length > 0) count++;
          }
          return { file, servers: [...servers], operations: count };
        })
        .filter((entry) => entry.operations > 0),
    };
  });
}

/**
 * A Helm chart template: a YAML file under a `templates/` folder, or a folder of it (Helm renders those too:
 * CZERTAINLY's `templates/ingress/ingress.yaml`; before session 26 only files directly in `templates/` were read as
 * templates), that holds Go template tags.
 */
function isHelmTemplate(relativePath: string, text: string): boolean {
  return /(^|\/)templates\/(?:[^/]+\/)*[^/]+\.ya?ml$/i.test(relativePath) && text.includes('{{');
}

/**
 * A YAML / JSON file, not named as a template, that does not parse and holds template tags (`{{ }}`, `{% %}`): the
 * same file read as a template (tags blanked), or undefined when it is none.
 */
function templateRetry(file: ScanFile, written: string): ScanFile | undefined {
  if (file.written !== undefined || !/\.(ya?ml|json)$/i.test(file.baseName) || !hasYamlTemplateTags(written))
    return undefined;
  return templateView(file.path, file.relative, written);
}

/**
 * A YAML / JSON file written as a template: a Helm chart template, or a name such as `gateway.yaml.tmpl` or
 * `gateway.tftpl.yaml` (Terraform `templatefile`).
 */
function isYamlTemplate(relativePath: string, text: string): boolean {
  return (
    YAML_TEMPLATE_SUFFIX.test(relativePath) ||
    YAML_TEMPLATE_INFIX.test(relativePath) ||
    isHelmTemplate(relativePath, text)
  );
}

/**
 * Settings the YAML readers take as mTLS termination (Istio `mode: MUTUAL`, ingress-nginx `auth-tls-*`, Traefik
 * `clientAuthType`, Envoy `require_client_certificate`, Gateway API / Envoy Gateway client validation, AWS
 * `MutualTlsAuthentication` / `MutualAuthentication`, Azure client certificates, Spring `client-auth`, Kong
 * certificate plugins): in a template that cannot be read as YAML, the first one is named.
 */
const TEMPLATE_SETTINGS =
  /\bmode["']?\s*:\s*["']?(?:MUTUAL|OPTIONAL_MUTUAL)\b|\bauth-tls-(?:verify-client|secret)\b|\bclientAuthType\b|\brequire_?client_?certificate["']?\s*:\s*["']?true\b|\bMutualTlsAuthentication\b|\bMutualAuthentication\b|\btlsTruststoreUri\b|\bfrontendValidation\b|\bclientValidation\b|\bclientCertEnabled["']?\s*:\s*["']?true\b|\bnegotiateClientCertificate\b|\benableClientCertificate\b|\bclient-auth["']?\s*:\s*["']?(?:need|want)\b|\bmtls-auth\b|\btls-handshake-modifier\b/i;

/**
 * The first mTLS setting the YAML readers know in a template's text, outside `#` comments and the lines `read`
 * (those a line scan gave findings at).
 */
function templateSetting(
  text: string,
  read: ReadonlySet<number> = new Set(),
): { line: number; text: string } | undefined {
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    if (read.has(index + 1)) continue;
    const match = TEMPLATE_SETTINGS.exec(raw);
    if (match && !/^\s*#/.test(raw.slice(0, match.index + 1))) return { line: index + 1, text: match[0] };
  }
  return undefined;
}

/**
 * A finding read from a template: said so in its note; `probably` when the template has sections or conditions
 * (what it renders depends on the values) or is a Helm chart template. The Helm line scan's own findings already
 * say it.
 */
function fromTemplate(finding: DetectFinding, file: ScanFile, helm: boolean): DetectFinding {
  const written = file.written ?? file.text;
  const evidence = writtenEvidence(finding.evidence, finding.line, file);
  if (finding.reader === 'pattern') return { ...finding, evidence };
  const hosts = writtenHosts(finding.hosts, file);
  const controlled = helm || hasTemplateControl(written);
  const said = templateNote(file, helm);
  return {
    ...finding,
    evidence,
    hosts,
    confidence: controlled ? 'probably' : finding.confidence,
    note: finding.note ? `${finding.note}; ${said}` : said,
  };
}

/**
 * What a finding read from a template says about it; for one read without its action lines (template-view.ts),
 * that those lines, which write what the values hold, were not read.
 */
function templateNote(file: ScanFile, helm: boolean): string {
  const left = file.actionLinesLeftOut.length;
  const literal = left
    ? ` and the ${left} line${left === 1 ? '' : 's'} holding only template actions left out (what ${left === 1 ? 'it writes' : 'they write'} is not read)`
    : '';
  if (helm)
    return `read from a Helm chart template with its template tags blanked${literal}: the values decide what is deployed`;
  const suffix = file.relative.slice(file.relative.lastIndexOf('.'));
  return (
    `read from a template (${suffix}) with its template tags blanked${literal}: ` +
    (hasTemplateControl(file.written ?? file.text)
      ? 'its conditions and the values it is rendered with decide what is deployed'
      : 'the values it is rendered with decide the hosts')
  );
}

/** Evidence that is a template's line as read (tags blanked) is shown as written, tags and all. */
function writtenEvidence(evidence: string, line: number, file: ScanFile): string {
  if (file.written === undefined || evidence !== file.lines.lineText(line)) return evidence;
  return (file.written.split('\n')[line - 1] ?? '').trim();
}

/**
 * Hosts read from a template's blanked tags (`$Valueshost`) as written (`{{ .Values.host }}`), which the
 * proposal also takes as placeholders.
 */
function writtenHosts(hosts: readonly string[], file: ScanFile): string[] {
  if (file.written === undefined) return [...hosts];
  const tags = [...interpolationsWritten(file.written)].sort(([a], [b]) => b.length - a.length);
  return hosts.map((host) => tags.reduce((value, [read, tag]) => value.split(read).join(tag), host));
}

/**
 * An nginx file, or nginx text embedded in a shell script, Dockerfile or Nomad job (embedded-text.ts): each
 * embedded text holding `ssl_verify_client` is read as nginx at its lines in this file, its findings noted with
 * where the text goes and their 403s read from that text. A file with none is read as nginx.
 */
function readNginxOrEmbedded(file: ScanFile, skipped: DetectSkip[]): DetectFinding[] {
  const embedded = readEmbeddedText(file, skipped);
  return embedded.length === 0 ? readNginx(file, skipped) : embedded;
}

/** The findings of the nginx texts embedded in `file` (embedded-text.ts), tied to their text for the 403s. */
function readEmbeddedText(file: ScanFile, skipped: DetectSkip[]): DetectFinding[] {
  return embeddedNginxText(file).flatMap(({ file: text, note: where }) =>
    readNginx(text, skipped).map((finding) => {
      const note = [finding.note, where].filter(Boolean).join('; ');
      const placed = { ...finding, note };
      findingSource.set(placed, text);
      return placed;
    }),
  );
}

/**
 * Kubernetes objects a Pulumi or cdk8s program in JavaScript or TypeScript builds (src/detect/sources/code-kubernetes.ts),
 * read by the YAML readers as the objects they create; their 403s are read from those objects (the view is the
 * findings' source). Since session 36; before, named under "Not read" only.
 */
async function readCodeKubernetes(file: ScanFile, skipped: DetectSkip[]): Promise<DetectFinding[]> {
  const { codeKubernetesDocuments } = await import('./sources/code-kubernetes.js');
  const { parseSource } = await import('../migrate/parse.js');
  const objects = codeKubernetesDocuments(file, parseSource(file.path, file.text));
  if (objects.length === 0) return [];
  const view = new TerraformObjectsFile(file, objects);
  kubernetesViews.set(file, [...(kubernetesViews.get(file) ?? []), view]);
  const program = /@pulumi\/kubernetes|@pulumi\//.test(file.text)
    ? 'Pulumi program'
    : /\bcdk8s\b/.test(file.text)
      ? 'cdk8s program'
      : 'Kubernetes objects built in code';
  return [
    ...readIngress(view, objects, skipped),
    ...readIstio(view, objects, skipped),
    ...readGatewayApi(view, objects),
    ...readTraefik(view, objects),
  ].map((finding) => {
    const placed: DetectFinding = {
      ...finding,
      reader: 'typescript',
      note: [finding.note, program].filter(Boolean).join('; '),
    };
    findingSource.set(placed, view);
    return placed;
  });
}

/**
 * Kubernetes objects of a Pulumi YAML program (src/detect/sources/pulumi-kubernetes.ts), read by the YAML readers as
 * the objects they create; their 403s are read from those objects (the view is the findings' source).
 */
function readPulumiKubernetes(
  file: ScanFile,
  parsed: YamlDocument[],
  skipped: DetectSkip[],
): DetectFinding[] {
  const objects = pulumiKubernetesDocuments(parsed);
  if (objects.length === 0) return [];
  const view = new TerraformObjectsFile(file, objects);
  kubernetesViews.set(file, [...(kubernetesViews.get(file) ?? []), view]);
  return [
    ...readIngress(view, objects, skipped),
    ...readIstio(view, objects, skipped),
    ...readGatewayApi(view, objects),
  ].map((finding) => {
    const placed = { ...finding, note: [finding.note, 'Pulumi YAML program'].filter(Boolean).join('; ') };
    findingSource.set(placed, view);
    return placed;
  });
}

/**
 * Kubernetes objects written as YAML in a Terraform heredoc (`kubectl_manifest` `yaml_body`, `kubernetes_manifest`
 * `yamldecode(<<EOT)`), read by the Kubernetes YAML readers (ingress-nginx, Istio, Gateway API) at their lines in
 * this file, `${...}` interpolations blanked and shown as written; their 403s are read from that text. Envoy and
 * Traefik text in a heredoc is read by {@link readEmbeddedProxies}. A body that is not YAML once blanked gives
 * nothing here (the "Not read" naming then sees the file).
 */
function readEmbeddedManifests(file: ScanFile, skipped: DetectSkip[]): DetectFinding[] {
  return embeddedManifestTexts(file).flatMap(({ file: text, note: where }) => {
    const blanked = /\$\{|%\{/.test(text.text) ? yamlWithoutTemplateTags(text.text) : text.text;
    const source = new ScanFile(text.path, text.relative, blanked);
    const template =
      blanked === text.text ? undefined : new ScanFile(text.path, text.relative, blanked, text.text);
    let documents: YamlDocument[];
    try {
      documents = source.yamlDocuments();
    } catch {
      return [];
    }
    kubernetesViews.set(file, [...(kubernetesViews.get(file) ?? []), source]);
    const found = [
      ...readIngress(source, documents, skipped),
      ...readIstio(source, documents, skipped),
      ...readGatewayApi(source, documents),
    ];
    return found.map((finding) => {
      const placed = {
        ...finding,
        hosts: template ? writtenHosts(finding.hosts, template) : finding.hosts,
        evidence: template ? writtenEvidence(finding.evidence, finding.line, template) : finding.evidence,
        note: [finding.note, where].filter(Boolean).join('; '),
      };
      findingSource.set(placed, source);
      embeddedWhere.set(placed, { where, template });
      return placed;
    });
  });
}

/** nginx config a YAML file writes elsewhere (cloud-init `write_files`), read at its lines in this file. */
function readEmbeddedNginx(file: ScanFile, skipped: DetectSkip[]): DetectFinding[] {
  return embeddedNginx(file, skipped).flatMap((embedded) =>
    readNginx(embedded, skipped).map((finding) => {
      const note = [finding.note, embeddedNote(embedded)].filter(Boolean).join('; ');
      const placed = { ...finding, ...(note ? { note } : {}) };
      findingSource.set(placed, embedded);
      return placed;
    }),
  );
}

/**
 * The "Not read" entry of a YAML / JSON file of a known gateway configuration kind (`gatewayConfigKind`: decK,
 * Envoy, Traefik, Caddy JSON, Istio / Gateway API Gateway, Ingress, the Kubernetes resources detect reads, ...)
 * that does not parse although no reader threw (session 40: a broken decK file holding no certificate setting was
 * never parsed, and the report read "No mTLS termination found"), or undefined when it parses, is of no known
 * kind, or a reader already named it. A template (a Helm chart template, `gateway.yaml.tmpl`) that is no YAML in
 * either view (template-view.ts) is named when it is of a known kind or holds a setting the YAML readers know,
 * unreadable (since session 41: before, only one holding such a setting was named, with exit 1, and not when the
 * Helm line scan read an annotation of it); `found`: the file's findings (the line scan's among them).
 */
function unparsedGatewayConfig(
  file: ScanFile,
  named: readonly DetectSkip[],
  found: readonly DetectFinding[],
  kindByName: string | undefined,
): DetectSkip | undefined {
  if (!/\.(?:ya?ml|json)$/i.test(file.baseName)) return undefined;
  if (file.written === undefined) {
    if (named.some((skip) => skip.file === file.relative) || !(gatewayConfigKind(file.text) ?? kindByName))
      return undefined;
  } else if (named.some((skip) => skip.file === file.relative && skip.unreadable)) return undefined;
  try {
    file.yamlDocuments();
    return undefined;
  } catch (error) {
    if (file.written === undefined) return unparsedSkip(file.relative, file, error as Error, kindByName);
    const scanned = found.filter(
      (finding) => finding.reader === 'pattern' && finding.source === 'kubernetes',
    );
    // The line scan reads an Ingress's auth-tls lines (one finding per Ingress): the first other setting is named.
    const read = new Set(
      scanned.length
        ? file.written.split('\n').flatMap((line, index) => (/\bauth-tls-/.test(line) ? [index + 1] : []))
        : [],
    );
    return unparsedTemplateSkip(
      file,
      error as Error,
      templateSetting(file.written, read),
      scanned.length > 0,
    );
  }
}

/**
 * The configuration a YAML / JSON file is by its name (session 41): a Helm chart's values (whose ingress
 * annotations detect reads) or a Spring Boot `application*.yml` (`server.ssl.client-auth`); undefined otherwise.
 */
function fileKind(file: ScanFile, chartFolders: ReadonlySet<string>): string | undefined {
  if (file.written !== undefined) return undefined;
  if (isHelmValues(file, chartFolders)) return 'Helm chart values';
  if (isSpringFile(file) && /\.ya?ml$/i.test(file.baseName)) return 'a Spring Boot configuration';
  return undefined;
}

/**
 * The "Not read" entry of a file that could not be parsed: the parser's first line, and since session 39 the
 * gateway configuration it is (a Kong decK file, an Envoy bootstrap, ...) and the mTLS server setting it holds with
 * its line (`name: mtls-auth`), so a broken gateway configuration is named as one and the report's first line does
 * not read clean. `unreadable` (detect --check exits 2 on it); `line` set when a setting was found.
 */
function unparsedSkip(rel: string, file: ScanFile, error: Error, kindByName?: string): DetectSkip {
  const kind = gatewayConfigKind(file.written ?? file.text) ?? kindByName;
  const setting = unreadTermination(file.written ? new ScanFile(file.path, rel, file.written) : file);
  const what = kind ? ` (${kind})` : '';
  const holds = setting
    ? `; it holds an mTLS server setting at line ${setting.line} (\`${setting.text}\`, ${setting.kind}), so nothing ` +
      `of it is in the proposal: fix the file, or set mtls.servers or mtls.everywhere by hand`
    : kind
      ? '; whether it asks for a client certificate, and which 403s it answers, is unknown: fix the file'
      : '';
  return {
    file: rel,
    unreadable: true,
    ...(setting ? { line: setting.line } : {}),
    reason: `cannot parse${what}: ${error.message.split('\n')[0]}${holds}`,
  };
}
