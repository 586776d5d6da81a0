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
 * The kind of gateway configuration `text` is (YAML, or JSON on any number of lines), in words (`a Kong declarative configuration (decK / DB-less,
 * _format_version)`), or undefined when no mark of one is in it. The first kind whose mark is found wins.
 */
export function gatewayConfigKind(text: string): string | undefined {
  return KINDS.find(({ mark }) => mark.test(text))?.kind;
}
