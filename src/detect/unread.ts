import type { ScanFile } from './scan-file.js';
import { GATEWAY_MARKERS } from './unread-gateways.js';
import { isKongDeclarative, isKongPluginResource } from './sources/kong.js';

/** The kind of {@link unreadTermination} for a Pulumi / cdk8s program in a language detect does not parse. */
export const PROGRAM_KIND =
  'a Kubernetes object in a Pulumi or cdk8s program in a language detect does not read (it reads such programs in TypeScript / JavaScript and Pulumi YAML only)';

/** Program files of the languages Pulumi and cdk8s are written in that detect does not parse. */
const PROGRAM_FILE = /\.(?:py|go|java|cs|kt|kts|fs|scala)$/i;

/** `image: acme/mtls-gateway:1.0` (compose, Kubernetes), `FROM acme/mtls-gateway` (Dockerfile). */
const MTLS_IMAGE = /(?:\bimage:[ \t]*["']?|^FROM[ \t]+)[^\s"'#]*?\bma?tls\b[^\s"'#]*/im;

/** The kind of {@link unreadTermination} for application code that reads a client certificate. */
export const APPLICATION_CODE_KIND =
  'application code reading a client certificate (a forwarded header or its TLS connection)';

/**
 * Directives and API calls that terminate mTLS (ask the client for a certificate and check it), each with the
 * kind of file it belongs to. detect reads some of these kinds (nginx, Apache, HAProxy, Node, Spring, ...); the
 * others (Go, Python, .NET, Java servlet containers, Rust) it does not. A file holding one of these that gave no
 * finding is named in the report, so "No mTLS termination found" is never said of a file that configures it.
 * Sources: nginx ngx_http_ssl_module `ssl_verify_client`; Apache mod_ssl `SSLVerifyClient`; HAProxy `bind ...
 * verify required`; Go crypto/tls `ClientAuthType`; Python ssl `CERT_REQUIRED` with a server context
 * (`Purpose.CLIENT_AUTH`, `PROTOCOL_TLS_SERVER`) or uvicorn/gunicorn `ssl_cert_reqs`; ASP.NET Core Kestrel
 * `ClientCertificateMode` (code, appsettings.json `Kestrel` section, `Kestrel__...` environment); a container image
 * named for mTLS (`image: .../mtls-gateway`, `FROM .../mtls-gateway`), whose settings are inside it; Tyk classic
 * API definitions `use_mutual_tls_auth: true` (Tyk docs "Client mTLS", Tyk Operator samples); JSSE `setNeedClientAuth`/`setWantClientAuth` and Tomcat `clientAuth`; rustls client
 * verifiers; Kong Gateway plugins that ask for a client certificate (`mtls-auth`,
 * `tls-handshake-modifier`) outside a declarative configuration or KongPlugin detect reads, and Kong's injected
 * `nginx_proxy_ssl_verify_client`; a Google Cloud Server TLS Policy's client validation mode outside Terraform and
 * YAML (Pulumi, CDKTF, `gcloud ... --client-validation-mode`); an Azure Application Gateway SSL profile with
 * trusted client certificates set up by PowerShell or the Azure CLI; an Azure API Management service that asks for
 * client certificates, written in Pulumi code, the Azure CLI or PowerShell; Traefik `clientAuthType`, Envoy
 * `require_client_certificate: true` and Caddy `client_auth` / `client_authentication` outside the files their
 * readers read (a heredoc, a string in code, Caddy's JSON config).
 *
 * `also`: the marker counts only in a file that also matches it. `unless`: the marker does not count in a file
 * the readers did read for it (a Kong declarative configuration or KongPlugin whose certificate plugin is
 * disabled: read, and nothing to report).
 */
const MARKERS: { kind: string; pattern: RegExp; also?: RegExp; unless?: (file: ScanFile) => boolean }[] = [
  // Session 37: Pulumi and cdk8s programs in a language detect does not parse (Python, Go, Java, C#, Kotlin, F#,
  // Scala) creating Kubernetes objects that ask for a client certificate, in each language's spelling
  // (`frontend_validation=`, `FrontendValidation:`, `mode="MUTUAL"`, `pulumi.String("on")`). Before, an Istio Gateway
  // from crd2pulumi or a Gateway API listener with frontend validation read "No mTLS termination found", and an
  // Ingress was named as a Helm template. TypeScript / JavaScript programs and Pulumi YAML are read
  // (code-programs.test.ts, pulumi-yaml-kubernetes.test.ts).
  {
    kind: PROGRAM_KIND,
    pattern:
      /\bingress\.kubernetes\.io\/auth-tls-verify-client["']?\s*[:=,]\s*(?:[\w.]+\(\s*)?["'](?!off["'])[\w-]+["']|["'](?:OPTIONAL_)?MUTUAL["']|\bfrontend_?validation\b|\bclient_?auth_?type\b[^\n]*\b(?:RequireAndVerifyClientCert|RequireAnyClientCert|VerifyClientCertIfGiven|RequestClientCert)\b|\brequire_?client_?certificate["']?\s*[:=]\s*(?:[\w.]+\(\s*)?true\b/i,
    also: /\bpulumi_kubernetes\b|pulumi-kubernetes|\bcom\.pulumi\.kubernetes\b|\bPulumi\.Kubernetes\b|\bcdk8s\b|\borg\.cdk8s\b|\bfrom\s+imports(?:\.[\w.]+)?\s+import\b|^\s*import\s+imports\b/m,
    unless: (file) => !PROGRAM_FILE.test(file.baseName),
  },
  { kind: 'nginx directive', pattern: /\bssl_verify_client\s+(?:on|optional|optional_no_ca)\b/ },
  { kind: 'Apache directive', pattern: /\bSSLVerifyClient\s+(?:require|optional|optional_no_ca)\b/i },
  { kind: 'HAProxy bind option', pattern: /\bbind\b[^\n]*\bverify\s+(?:required|optional)\b/ },
  // Session 30: the settings of the proxies detect reads in their own files, written where those readers do not
  // look (a Nomad `template { data = <<EOF` heredoc, a shell heredoc, a Go or Python string, a Caddy JSON
  // config): before, "No mTLS termination found".
  {
    kind: 'Traefik TLS option',
    pattern:
      /\bclientAuthType["']?[ \t]*[:=][ \t]*["']?(?:RequireAndVerifyClientCert|RequireAnyClientCert|VerifyClientCertIfGiven|RequestClientCert)\b/i,
  },
  {
    kind: 'Envoy DownstreamTlsContext',
    pattern: /["']?\b(?:require_client_certificate|requireClientCertificate)["']?[ \t]*:[ \t]*["']?true\b/,
  },
  {
    kind: 'Caddy client authentication',
    pattern: /^[ \t]*client_auth[ \t]*\{|["']client_authentication["'][ \t]*:[ \t]*\{/m,
    also: /\btrust(?:ed_ca_certs?(?:_pem_files)?|_pool)\b|\bmode["']?[ \t]*:?[ \t]*["']?(?:request|require|verify_if_given|require_and_verify)\b/,
  },
  // Session 31: Kubernetes objects written in Terraform (`kubernetes_manifest`, `kubernetes_ingress_v1`), Pulumi or
  // CDK8s code, whose readers read YAML only: an Istio Gateway server `tls = { mode = "MUTUAL" }` and ingress-nginx's
  // `"nginx.ingress.kubernetes.io/auth-tls-verify-client" = "on"` (below) read "No mTLS termination found" before.
  {
    kind: 'Istio Gateway TLS mode outside YAML',
    pattern: /\bmode["']?[ \t]*[:=][ \t]*["']?(?:MUTUAL|OPTIONAL_MUTUAL)\b/,
    also: /\bnetworking\.istio\.io\/[\s\S]*\bkind["']?[ \t]*[:=][ \t]*["']?Gateway\b|\bkind["']?[ \t]*[:=][ \t]*["']?Gateway\b[\s\S]*\bnetworking\.istio\.io\//,
    unless: isYamlOrJson,
  },
  {
    kind: 'Go crypto/tls server',
    pattern: /\btls\.(?:RequireAndVerifyClientCert|RequireAnyClientCert|VerifyClientCertIfGiven)\b/,
  },
  {
    kind: 'Python server',
    pattern: /\bssl_cert_reqs\s*=\s*(?:ssl\.)?CERT_(?:REQUIRED|OPTIONAL)\b|--ssl-cert-reqs[= ]+[12]\b/,
  },
  {
    kind: 'Python ssl server context',
    pattern: /\bverify_mode\s*=\s*(?:ssl\.)?CERT_(?:REQUIRED|OPTIONAL)\b/,
    also: /Purpose\.CLIENT_AUTH|PROTOCOL_TLS_SERVER/,
  },
  {
    kind: 'ASP.NET Core (Kestrel) server',
    pattern: /\bClientCertificateMode\.(?:RequireCertificate|AllowCertificate|DelayCertificate)\b/,
  },
  {
    // appsettings.json `"ClientCertificateMode": "RequireCertificate"`, env `Kestrel__..__ClientCertificateMode=`.
    kind: 'ASP.NET Core (Kestrel) configuration',
    pattern:
      /\bClientCertificateMode["']?\s*[:=]\s*["']?(?:RequireCertificate|AllowCertificate|DelayCertificate)\b/,
  },
  {
    // Tyk classic API definitions (JSON, or YAML in the Tyk Operator's ApiDefinition): static client mTLS.
    kind: 'Tyk API definition (classic)',
    pattern: /["']?\buse_mutual_tls_auth["']?\s*:\s*true\b/,
  },
  {
    // docker compose / Kubernetes `image: acme/mtls-gateway:1.0`, Dockerfile `FROM acme/mtls-gateway`: the TLS
    // settings are inside an image this repository does not hold (session 11: CDR's mock data holder).
    kind: 'container image named for mTLS, its settings are inside the image',
    pattern: MTLS_IMAGE,
    // A compose service that also has `build:` is built from this tree, whose files detect reads (session 28,
    // bancodobrasil/api-mtls-sidecar-proxy: `image: local/api-mtls-sidecar-proxy` + `build: .` was "Not read"
    // beside the nginx.conf its Dockerfile copies, read with its `return 403`).
    unless: builtFromTree,
  },
  {
    kind: 'Java server (JSSE / Tomcat)',
    pattern: /\bset(?:Need|Want)ClientAuth\(\s*true\s*\)|\bclientAuth\s*=\s*["'](?:true|want)["']/,
  },
  // Session 35 (eclipse-hono/hono: `serverOptions.setClientAuth(ClientAuth.REQUEST)` in AbstractServiceBase.java
  // read "No mTLS termination found in 1796 files"): the JVM servers that ask for a client certificate in their
  // own API or configuration. Vert.x `HttpServerOptions.setClientAuth(ClientAuth.REQUEST|REQUIRED)` (also Kotlin
  // `clientAuth = ClientAuth.REQUIRED`); Netty `SslContextBuilder.clientAuth(ClientAuth.REQUIRE|OPTIONAL)`; Quarkus
  // `quarkus.http.ssl.client-auth=required|request` (properties, YAML, `QUARKUS_HTTP_SSL_CLIENT_AUTH`); Micronaut
  // `micronaut.server.ssl.client-authentication` / `micronaut.ssl.client-authentication: need|want`; Helidon
  // `client-auth: REQUIRE|OPTIONAL`; Ktor has no setting of its own (it runs on Netty or Jetty: JSSE above).
  {
    kind: 'JVM server (Vert.x / Netty)',
    pattern:
      /\b(?:setClientAuth\s*\(|clientAuth\s*=)\s*(?:io\.vertx\.core\.http\.)?ClientAuth\.(?:REQUEST|REQUIRED)\b|\.clientAuth\s*\(\s*(?:io\.netty\.handler\.ssl\.)?ClientAuth\.(?:REQUIRE|OPTIONAL)\b/,
  },
  {
    kind: 'JVM server configuration (Quarkus / Micronaut / Helidon)',
    pattern:
      /\bquarkus\.http\.ssl\.client-auth\s*[=:]\s*["']?(?:required|request)\b|\bQUARKUS_HTTP_SSL_CLIENT_AUTH["']?\s*[=:]\s*["']?(?:required|request)\b|\bclient-authentication["']?\s*[=:]\s*["']?(?:need|want)\b|\bclient-auth["']?\s*[=:]\s*["']?(?:REQUIRE|OPTIONAL)\b|^\s*client-auth\s*:\s*["']?(?:required|request)\b/m,
    unless: (file) => isSpringClientAuth(file),
  },
  {
    // Kong plugins that ask for a client certificate, in a form detect does not read (Terraform / Konnect
    // resources, Admin API calls, Helm values, a templated KongPlugin); and Kong's injected nginx directive in an
    // HTTP server block (`nginx_proxy_ssl_verify_client` / `_admin_` / `_status_` / `_http_` in kong.conf; as
    // `KONG_NGINX_..._SSL_VERIFY_CLIENT` in an environment map or list, a Kubernetes `env` entry's `name` then
    // `value`, a Helm `set $env "KONG_NGINX_..." "on"`: before session 42 review only kong.conf's proxy spelling).
    kind: 'Kong Gateway',
    pattern:
      /\bkonnect_gateway_plugin_(?:mtls_auth|tls_handshake_modifier)\b|["']?\b(?:name|plugin)["']?\s*[=:]\s*["']?(?:mtls-auth|tls-handshake-modifier)\b["']?|(?<![a-z0-9])(?:kong_)?nginx_(?:http|proxy|admin|status)_ssl_verify_client["']?(?:\s*[=:]\s*|\s+(?:value\s*:\s*)?)["']?(?:on|optional)\b/i,
    unless: isReadKongConfiguration,
  },
  {
    // Google Cloud load balancer mTLS written where detect does not read it (Pulumi / CDKTF code, gcloud flags).
    kind: 'Google Cloud Server TLS Policy',
    pattern:
      /\bclient[_-]?validation[_-]?mode["']?\s*[:=]?\s*["']?(?:REJECT_INVALID|ALLOW_INVALID_OR_MISSING_CLIENT_CERT)\b/i,
  },
  {
    // A setting the readers know, whose value a template engine or the environment fills in (envsubst `${X}`, Helm
    // / Go `{{ }}`, nginx `$var` cannot be used there): the value decides, so the file is named.
    kind: 'mTLS setting filled in by a template or the environment',
    pattern:
      /\b(?:auth-tls-verify-client|clientAuthType|require_client_certificate|requireClientCertificate|client[_-]?validation[_-]?mode|client-auth|ssl_verify_client|SSLVerifyClient)["']?[ \t]*[:=]?[ \t]*["']?(?:\$\{|\{\{|\$[A-Za-z_]|%\{|<%)/,
  },
  {
    // Azure Application Gateway mutual authentication set up by PowerShell or the Azure CLI (ARM, Bicep and
    // Terraform SSL profiles are read).
    kind: 'Azure Application Gateway SSL profile (PowerShell / Azure CLI)',
    pattern:
      /\b(?:Add|New|Set)-AzApplicationGatewaySslProfile\b[^\n]*-TrustedClientCertificates\b|\bAdd-AzApplicationGatewayTrustedClientCertificate\b|\bapplication-gateway\s+ssl-profile\s+(?:add|update)\b[^\n]*--trusted-client-cert/,
  },
  {
    // ingress-nginx's annotation where no Ingress detect reads holds it: a Helm named template (`{{- define
    // "x.annotations" }}` in `_helpers.tpl`, `include`d into the Ingress, whose annotations detect then cannot
    // see), a kustomize patch, an annotation map in values. An Ingress read with it gives a finding or names why
    // it leaves it out, so this never repeats those. Since session 31 also HCL's `"...auth-tls-verify-client" = "on"`
    // (Terraform `kubernetes_ingress_v1`: before, "No mTLS termination found").
    kind: 'ingress-nginx annotation outside an Ingress detect reads (a Helm named template, a patch, values)',
    pattern:
      /\b(?:[\w-]+\.)*ingress\.kubernetes\.io\/auth-tls-verify-client["']?[ \t]*[:=][ \t]*["']?(?!off\b)[\w-]+/,
  },
  {
    // Azure API Management asking for client certificates in a form detect does not read (ARM, Bicep and Terraform
    // are read): Pulumi (TypeScript `enableClientCertificate: true`, Python `enable_client_certificate=True`, a
    // hostname configuration's `negotiateClientCertificate`), the Azure CLI (`az apim create/update
    // --enable-client-certificate`), PowerShell (`New-AzApiManagement -EnableClientCertificate`,
    // `New-AzApiManagementCustomHostnameConfiguration -NegotiateClientCertificate`). Only in a file that names API
    // Management: Tyk OAS also spells `enableClientCertificate`.
    kind: 'Azure API Management service (code, Azure CLI or PowerShell)',
    pattern:
      /\b(?:enableClientCertificate|negotiateClientCertificate)["']?\s*[:=]\s*["']?true\b|\b(?:enable|negotiate)_client_certificate\s*=\s*True\b|--enable-client-certificate(?:[ =]+true)?\b|-(?:EnableClientCertificate|NegotiateClientCertificate)\b/,
    also: /apimanagement|api_management|ApiManagement|az apim\b/i,
  },
  {
    // An API Gateway custom domain with a truststore written where detect does not read it (TypeScript CDK, the
    // SAM / CloudFormation / Terraform forms are read): CDK in Python / Java / Go / C# (`mtls=apigw.MTLSConfig(`,
    // `MTLSConfig.builder()`, `&awsapigateway.MTLSConfig{`), the L1 `MutualTlsAuthenticationProperty`, Pulumi
    // (`DomainNameMutualTlsAuthenticationArgs`, `mutualTlsAuthentication: { truststoreUri`). Session 29; before,
    // "No mTLS termination found".
    kind: 'API Gateway custom domain with mutual TLS (CDK in Python / Java / Go / C#, Pulumi)',
    pattern:
      /\bMTLSConfig\s*(?:\(|\.builder\b|\{)|\bMutualTlsAuthenticationProperty\s*[({.]|\bDomainNameMutualTlsAuthentication(?:Args)?\s*\(|\bmutualTlsAuthentication\s*:\s*\{\s*truststoreUri\b/,
  },
  {
    // Keycloak asking for client certificates: its HTTPS listener (`https-client-auth=request|required` in
    // keycloak.conf, `--https-client-auth`, `KC_HTTPS_CLIENT_AUTH` in an environment, Helm values or a Keycloak CR's
    // `additionalOptions` name/value pair), and a realm that authenticates with them (RFC 8705 client
    // authentication `clientAuthenticatorType: client-x509`, certificate-bound tokens, the X.509 browser / direct
    // grant authenticators and their `x509-cert-auth.*` config). The built-in `client-x509` step of every realm's
    // `clients` flow is not one (`"authenticator": "client-x509"`). Keycloak's own 403s are its answers (the admin
    // API, a denied login), not the API's: detect does not read them, so the file is named (since session 27;
    // before, a realm JSON written as a Helm template was "cannot parse" and `--check` exited 2).
    kind: 'Keycloak client certificate (X.509) authentication',
    pattern:
      /\bhttps-client-auth["']?[ \t]*(?:[=: \t]|\n[ \t]*value:)[ \t]*["']?(?:request|required)\b|\bKC_HTTPS_CLIENT_AUTH["']?[ \t]*(?:[=:]|\n[ \t]*value:)[ \t]*["']?(?:request|required)\b|["']clientAuthenticatorType["'][ \t]*:[ \t]*["']client-x509["']|["']tls\.client\.certificate\.bound\.access\.tokens["'][ \t]*:[ \t]*["']?true\b|["']authenticator["'][ \t]*:[ \t]*["'](?:auth-x509-client-username-form|direct-grant-auth-x509-username)["']/,
  },
  {
    // WSO2 API Manager / Micro Integrator (Synapse) HTTPS passthrough listener asking for client certificates:
    // deployment.toml `[transport.passthru_https.listener.parameters] "SSLVerifyClient" = "optional"`, axis2.xml
    // `<parameter name="SSLVerifyClient">require</parameter>` (WSO2 Open Banking's Berlin Group toolkit; before
    // session 27, "No mTLS termination found": the Apache marker wants `SSLVerifyClient require`); a dynamic SSL
    // profile of listenerprofiles.xml, `<profile>...<SSLVerifyClient>optional</SSLVerifyClient>` (since session 31,
    // wso2/docker-open-banking: before, passed over).
    kind: 'WSO2 API Manager / Synapse HTTPS listener',
    pattern:
      /["']SSLVerifyClient["'][ \t]*=[ \t]*["'](?:require|optional)["']|<parameter[^>]*\bname=["']SSLVerifyClient["'][^>]*>[ \t]*(?:require|optional)[ \t]*<|<SSLVerifyClient>[ \t]*(?:require|optional)[ \t]*</i,
  },
  {
    kind: APPLICATION_CODE_KIND,
    // Application code in a language detect does not parse that reads a client certificate (since session 30;
    // JavaScript / TypeScript is read, sources/certificate-reads.ts): a header a proxy or edge forwards it in
    // (ALB `x-amzn-mtls-clientcert`, Envoy / Istio `x-forwarded-client-cert`, nginx `ssl-client-verify`, RFC 9440
    // `client-cert`, Azure `x-arr-clientcert`, adorsys XS2A's `tpp-qwac-certificate`; WSGI / Django `HTTP_X_...` and `SSL_CLIENT_*` environ keys), or the
    // connection's own certificate (Go `r.TLS.PeerCertificates`, ASP.NET Core `Connection.ClientCertificate`,
    // Java servlet `javax.servlet.request.X509Certificate`). The certificate was asked for somewhere detect does not
    // see, so the file is named.
    pattern:
      /["'](?:cf-client-cert-(?:der-base64|sha256)|x-amzn-mtls-clientcert(?:-[a-z-]+)?|x-forwarded-client-cert|x-arr-clientcert|(?:x-)?ssl-client-(?:verify|cert|s-dn|i-dn|dn)|x-client-(?:cert|verify)|client-cert(?:-chain)?|tpp-qwac-certificate|HTTP_X_(?:AMZN_MTLS_CLIENTCERT|FORWARDED_CLIENT_CERT|ARR_CLIENTCERT|SSL_CLIENT_(?:VERIFY|CERT|S_DN))|SSL_CLIENT_(?:VERIFY|CERT|S_DN))["']|\.TLS\.(?:PeerCertificates|VerifiedChains)\b|\bConnection\.ClientCertificate\b|\bGetClientCertificateAsync\s*\(|\b(?:jakarta|javax)\.servlet\.request\.X509Certificate\b/i,
    unless: (file) => !/\.(?:go|py|java|kt|kts|scala|groovy|cs|rb|php|rs|ex|exs)$/i.test(file.baseName),
  },
  {
    kind: 'Rust rustls server',
    pattern:
      /\b(?:WebPkiClientVerifier|AllowAnyAuthenticatedClient|AllowAnyAnonymousOrAuthenticatedClient)\b/,
  },
];

/**
 * Whether a `client-auth: ...` match is Spring Boot's `server.ssl.client-auth`, which the Spring reader reads:
 * Quarkus nests it under `quarkus.http.ssl`, Helidon under `server.tls`, Spring under `server.ssl`.
 */
function isSpringClientAuth(file: ScanFile): boolean {
  return (
    /\bserver\.ssl\.client-auth\b|^\s*ssl\s*:\s*\n(?:\s+[\w-]+\s*:.*\n)*?\s+client-auth\s*:/m.test(
      file.text,
    ) && !/\bquarkus\b|\bmicronaut\b|\bhelidon\b/i.test(file.text)
  );
}

/** YAML and JSON files, which the Kubernetes readers read themselves. */
function isYamlOrJson(file: ScanFile): boolean {
  return /\.(?:ya?ml|json)$/i.test(file.baseName);
}

/**
 * Whether every service of a docker compose file whose image is named for mTLS is built from the tree (`build:`
 * beside `image:`): the image then holds what detect read, not settings out of its sight.
 */
function builtFromTree(file: ScanFile): boolean {
  if (!/\.ya?ml$/i.test(file.baseName)) return false;
  let documents;
  try {
    documents = file.yamlDocuments();
  } catch {
    return false;
  }
  let named = 0;
  for (const document of documents) {
    const data: unknown = document.data;
    if (data === null || typeof data !== 'object') continue;
    const services = (data as Record<string, unknown>).services;
    if (services === null || typeof services !== 'object' || Array.isArray(services)) continue;
    for (const service of Object.values(services as Record<string, unknown>)) {
      if (service === null || typeof service !== 'object') continue;
      const { image, build } = service as Record<string, unknown>;
      if (typeof image !== 'string' || !new RegExp(MTLS_IMAGE.source, 'i').test(`image: ${image}`)) continue;
      if (build === undefined || build === null) return false;
      named++;
    }
  }
  return named > 0;
}

/** Lines that are comments in the languages above (the match is then not configuration). */
const COMMENT_LINE = /^\s*(?:#|\/\/|\/?\*|;|<!--|--)/;

/** Prose, not configuration. */
const DOCUMENTATION = /\.(?:md|markdown|txt|rst|adoc|html?)$/i;

/** An mTLS termination written in a file that gave no finding: where, what, and what kind of file it is. */
export interface UnreadTermination {
  line: number;
  /** The matched text, e.g. `ssl_verify_client on`. */
  text: string;
  kind: string;
}

/**
 * The first mTLS termination written in `file` outside comments, for a file the readers found nothing in
 * (so it is named instead of passing in silence); undefined for documentation and when there is none.
 */
export function unreadTermination(file: ScanFile): UnreadTermination | undefined {
  if (DOCUMENTATION.test(file.baseName)) return undefined;
  for (const { kind, pattern, also, unless } of [...MARKERS, ...GATEWAY_MARKERS]) {
    if (also && !also.test(file.text)) continue;
    if (unless && pattern.test(file.text) && unless(file)) continue;
    const global = new RegExp(
      pattern.source,
      pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
    );
    for (const match of file.text.matchAll(global)) {
      const line = file.lines.lineOf(match.index);
      const lineStart = file.text.lastIndexOf('\n', match.index - 1) + 1;
      if (COMMENT_LINE.test(file.text.slice(lineStart, match.index + 1))) continue;
      // A pattern that spans lines (a resource's kind, then its setting) is quoted by its first 100 characters.
      const text = match[0].replace(/\s+/g, ' ');
      const long = match[0].includes('\n') && text.length > 100;
      return { line, text: long ? `${text.slice(0, 100)}…` : text, kind };
    }
  }
  return undefined;
}

/**
 * Whether `file` is YAML/JSON that parses into Kong configuration detect reads (a declarative configuration, a
 * `KongPlugin` / `KongClusterPlugin`): its certificate plugins are findings when enabled, so a file without a
 * finding has them disabled, not unread.
 */
function isReadKongConfiguration(file: ScanFile): boolean {
  if (!/\.(ya?ml|json)$/i.test(file.baseName)) return false;
  if (/(^|\/)templates\//.test(file.relative) && file.text.includes('{{')) return false;
  try {
    return file
      .yamlDocuments()
      .some((document) => isKongDeclarative(document.data) || isKongPluginResource(document.data));
  } catch {
    return false;
  }
}

/**
 * Whether every client-certificate read of application code `file` (the {@link APPLICATION_CODE_KIND} marker, outside
 * comments) is of `x-forwarded-client-cert` (or WSGI's `HTTP_X_FORWARDED_CLIENT_CERT`): in an Istio mesh the sidecar
 * sets that header for workload-to-workload mTLS (istio-mesh.ts). False when there is no such read.
 */
export function readsOnlyXfcc(file: ScanFile): boolean {
  const marker = MARKERS.find((entry) => entry.kind === APPLICATION_CODE_KIND);
  if (!marker) return false;
  let reads = 0;
  for (const match of file.text.matchAll(new RegExp(marker.pattern.source, 'gi'))) {
    const lineStart = file.text.lastIndexOf('\n', match.index - 1) + 1;
    if (COMMENT_LINE.test(file.text.slice(lineStart, match.index + 1))) continue;
    if (!/x-forwarded-client-cert|HTTP_X_FORWARDED_CLIENT_CERT/i.test(match[0])) return false;
    reads++;
  }
  return reads > 0;
}
