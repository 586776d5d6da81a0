import type { ProxyRoutes } from './routes.js';

export const PROXY_TARGETS = ['nginx', 'haproxy', 'caddy'] as const;
export type ProxyTarget = (typeof PROXY_TARGETS)[number];

/** The upstream the generated config proxies every request to. */
export interface Upstream {
  /** As given, e.g. `http://127.0.0.1:8080`. */
  url: string;
  protocol: 'http' | 'https';
  /** Host name or IP address; IPv6 without brackets. */
  host: string;
  port: number;
}

/** What a renderer needs: the routes and the choices the header comment explains. */
export interface RenderInput extends ProxyRoutes {
  upstream: Upstream;
  /** The agreed status sent instead of 403. */
  status: number;
  /** Added to remapped responses when `status` is 401. */
  wwwAuthenticate?: string;
  /** Document name as shown in the comment (relative to the working folder). */
  specDisplay: string;
  /** The command line that regenerates the output. */
  command: string;
}
