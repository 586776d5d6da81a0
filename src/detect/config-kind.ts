/**
 * Which gateway or proxy configuration a file is, by the keys that mark it, for a file detect could not parse
 * (session 39): "cannot parse" alone did not say that the file was a Kong decK configuration, whose plugins decide
 * whether Kong asks for a client certificate. Each mark is one that configuration format requires or always
 * writes (sources: Kong declarative configuration `_format_version`, KongPlugin / KongClusterPlugin CRDs, Envoy
 * bootstrap `static_resources`, Traefik dynamic configuration `http.routers` / `tls.options`, APISIX standalone
 * `apisix.yaml` ending `#END`, Caddy JSON `apps.http`, Tyk classic API definitions `proxy.listen_path`, Istio /
 * Gateway API `kind: Gateway`, Kubernetes `kind: Ingress`).
 */
const KINDS: { kind: string; mark: RegExp }[] = [
  {
    kind: 'a Kong declarative configuration (decK / DB-less, _format_version)',
    mark: /^["']?_format_version["']?\s*:|["']_format_version["']\s*:/m,
  },
  {
    kind: 'a Kong KongPlugin resource',
    mark: /^[ \t]*["']?kind["']?\s*:\s*["']?Kong(?:Cluster)?Plugin\b|["']kind["']\s*:\s*["']Kong(?:Cluster)?Plugin["']/m,
  },
  {
    kind: 'an Envoy configuration (static_resources)',
    mark: /^[ \t]*["']?static_resources["']?\s*:|["']static_resources["']\s*:/m,
  },
  {
    kind: 'a Traefik dynamic configuration',
    mark: /^http:[ \t]*\r?\n(?:[ \t]+\S.*\r?\n|[ \t]*\r?\n)*?[ \t]+routers:|^tls:[ \t]*\r?\n(?:[ \t]+\S.*\r?\n|[ \t]*\r?\n)*?[ \t]+options:/m,
  },
  { kind: 'an Apache APISIX standalone configuration (apisix.yaml)', mark: /^#END\s*$/m },
  { kind: 'a Caddy JSON configuration', mark: /["']apps["']\s*:\s*\{\s*["']http["']\s*:/ },
  { kind: 'a Tyk API definition', mark: /["']listen_path["']\s*:|["']x-tyk-api-gateway["']\s*:/ },
  // Session 41: the cloud templates detect reads (sources/aws.ts, sources/azure.ts): a broken one read clean.
  {
    kind: 'an AWS CloudFormation or SAM template',
    mark: /^["']?AWSTemplateFormatVersion["']?\s*:|["']AWSTemplateFormatVersion["']\s*:|^[ \t]*["']?Type["']?\s*:\s*["']?AWS::\w+::|["']Type["']\s*:\s*["']AWS::\w+::/m,
  },
  {
    kind: 'a Serverless Framework configuration',
    mark: /^frameworkVersion\s*:|^provider:[ \t]*\r?\n(?:[ \t]+\S.*\r?\n|[ \t]*\r?\n)*?[ \t]+name:\s*["']?aws\b/m,
  },
  {
    kind: 'an Azure Resource Manager template',
    mark: /["']\$schema["']\s*:\s*["'][^"']*deploymentTemplate\.json|["']type["']\s*:\s*["']Microsoft\.\w+\//i,
  },
  {
    kind: 'an Istio or Gateway API Gateway',
    mark: /^[ \t]*kind\s*:\s*["']?Gateway["']?\s*$|["']kind["']\s*:\s*["']Gateway["']/m,
  },
  {
    kind: 'a Kubernetes Ingress',
    mark: /^[ \t]*kind\s*:\s*["']?Ingress["']?\s*$|["']kind["']\s*:\s*["']Ingress["']/m,
  },
];

/**
 * The other Kubernetes resources detect reads (session 41), by `kind` -> what they are to it: those that ask for a
 * client certificate (src/detect/sources: Traefik `TLSOption`, Envoy Gateway `ClientTrafficPolicy`, APISIX
 * `ApisixTls`, Config Connector `NetworkSecurityServerTLSPolicy`), those whose 403s it reads on an mTLS server
 * (src/detect/forbidden: Traefik `IngressRoute` / `Middleware`, Envoy Gateway `SecurityPolicy`, Gateway API
 * `HTTPRoute`, Istio `AuthorizationPolicy` / `EnvoyFilter` / `WasmPlugin`, Config Connector
 * `ComputeSecurityPolicy`), and Istio's `PeerAuthentication` (mesh mTLS, read as the mark of a sidecar mesh).
 */
const KUBERNETES_KINDS = new Map<string, string>(
  Object.entries({
    TLSOption: 'a Traefik TLSOption',
    IngressRoute: 'a Traefik IngressRoute',
    Middleware: 'a Traefik Middleware',
    ClientTrafficPolicy: 'an Envoy Gateway ClientTrafficPolicy',
    SecurityPolicy: 'an Envoy Gateway SecurityPolicy',
    HTTPRoute: 'a Gateway API HTTPRoute',
    AuthorizationPolicy: 'an Istio AuthorizationPolicy',
    PeerAuthentication: 'an Istio PeerAuthentication',
    EnvoyFilter: 'an Istio EnvoyFilter',
    WasmPlugin: 'an Istio WasmPlugin',
    ApisixTls: 'an Apache APISIX ApisixTls',
    ApisixRoute: 'an Apache APISIX ApisixRoute',
    NetworkSecurityServerTLSPolicy: 'a Google Cloud NetworkSecurityServerTLSPolicy (Config Connector)',
    ComputeSecurityPolicy: 'a Google Cloud ComputeSecurityPolicy (Config Connector)',
  }),
);

/** A resource's own `kind` (YAML `kind: X` of a document or list item, JSON `"kind": "X"`). */
const RESOURCE_KIND =
  /^(?:- )?kind[ \t]*:[ \t]*["']?(\w+)["']?[ \t]*(?:#.*)?$|["']kind["'][ \t]*:[ \t]*["'](\w+)["']/gm;

/**
 * The kind of gateway configuration `text` is (YAML, or JSON on any number of lines), in words (`a Kong declarative configuration (decK / DB-less,
 * _format_version)`), or undefined when no mark of one is in it. The first kind whose mark is found wins; then the
 * first Kubernetes resource of a kind in {@link KUBERNETES_KINDS}.
 */
export function gatewayConfigKind(text: string): string | undefined {
  const known = KINDS.find(({ mark }) => mark.test(text))?.kind;
  if (known) return known;
  for (const match of text.matchAll(RESOURCE_KIND)) {
    const kind = KUBERNETES_KINDS.get(match[1] ?? match[2]);
    if (kind) return kind;
  }
  return undefined;
}
