import { ScanFile } from './scan-file.js';

/** nginx text found inside another file's string or heredoc, with what it is for the finding's note. */
export interface EmbeddedText {
  /** The host file's path and name, its text blanked outside the embedded text (same lines). */
  file: ScanFile;
  /** `nginx config in a shell heredoc, written to /etc/nginx/conf.d/mtls.conf`. */
  note: string;
}

/** One string or heredoc body of the host file: `[start, end)` offsets and how to read its text. */
interface Region {
  start: number;
  end: number;
  kind: 'heredoc' | 'quoted-heredoc' | 'single' | 'double';
  /** Where the line that opens it starts (for the target of `cat > PATH <<EOF`). */
  opener: number;
  /**
   * For strings the shell joins into one word (`'...'${CA}'...'`, `"..."$CA"..."`): each quoted part, in order;
   * `start` / `end` then span from the first part's text to the last one's.
   */
  parts?: Region[];
  /**
   * On a part: the shell wrote it with a command of its own, appending to the file the parts before it went to
   * (`echo '...' >> f` line after line): what stands before it is another command, blanked (not a shell word's
   * expansion).
   */
  appended?: true;
  /** On a region joined from several appending commands: how many (for the note). */
  commands?: number;
}

/** Files whose strings and heredocs are read for embedded nginx: shell scripts, Dockerfiles, HCL (Nomad, Terraform). */
const HOST_NAME =
  /\.(?:sh|bash|zsh|ksh|nomad|hcl|tf|ctmpl)$|(?:^|\/)(?:docker|container)file(?:\.[\w.-]+)?$/i;

/**
 * nginx configuration written as text inside a shell script (`echo '...' > file`, `cat > file <<'EOF' ... EOF`),
 * a Dockerfile (`RUN echo`, `COPY <<EOF`), or a Nomad / consul-template job (`template { data = <<EOH ... EOH }`),
 * which nginx-conf cannot read as a whole (before session 24: a line scan at best, nothing tied to its server, its
 * `return 403` "not placed"). Each string or heredoc body holding an `ssl_verify_client` directive becomes a
 * ScanFile of the same path whose text is the host's with everything outside that body blanked (same lines and
 * columns), so findings and 403s are read by the nginx readers at the lines the user sees. Shell escapes of an
 * unquoted heredoc or a double-quoted string (`\$ssl_client_verify`, `\"`) and HCL's `$${` / `%%{` are undone
 * (same lines). Empty for files that are not such hosts (a plain nginx.conf is read as nginx).
 */
export function embeddedNginxText(file: ScanFile): EmbeddedText[] {
  if (!/\bssl_verify_client\b/.test(file.text)) return [];
  return embeddedBodies(file, DIRECTIVE).map(({ masked, body, region, escapes }) => {
    // A fragment (no server block: csaf's `echo '...ssl_verify_client optional; location ...' > f`, spliced into
    // a `server {` by sed) is read as the body of a server: `server {` and `}` written on its blanked edges.
    const fragment = !/(?:^|[\s;{}])server\s*\{/.test(body);
    const note = noteFor(file.relative, file.text, region, escapes, 'nginx config');
    return {
      file: new ScanFile(file.path, file.relative, fragment ? asServer(masked, region) : masked),
      note: fragment ? `${note} (a fragment without a server block, read as a server's body)` : note,
    };
  });
}

/** A proxy whose configuration, written inside a script or job file, {@link embeddedProxyTexts} reads. */
export type EmbeddedProxy = 'envoy' | 'traefik' | 'caddy';

/**
 * What marks each proxy's client-certificate setting in embedded text: Envoy `require_client_certificate: true`
 * (also its protobuf JSON name), Traefik `clientAuthType` (YAML `:` or TOML `=`), a Caddyfile `client_auth {`.
 */
const PROXY_SETTINGS: { proxy: EmbeddedProxy; holds: RegExp; what: string }[] = [
  {
    proxy: 'envoy',
    holds: /["']?\b(?:require_client_certificate|requireClientCertificate)["']?[ \t]*:[ \t]*["']?true\b/,
    what: 'Envoy config',
  },
  { proxy: 'traefik', holds: /\bclientAuthType["']?[ \t]*[:=]/, what: 'Traefik config' },
  { proxy: 'caddy', holds: /(?:^|[\s{])client_auth[ \t]*\{/m, what: 'Caddyfile' },
];

/** Embedded Envoy, Traefik or Caddy configuration text, with which proxy reads it and where it goes. */
export interface EmbeddedProxyText extends EmbeddedText {
  proxy: EmbeddedProxy;
}

/**
 * Envoy, Traefik and Caddy configuration written as text inside a shell script or Dockerfile heredoc or string, or
 * a Nomad / Terraform heredoc (`template { data = <<EOF ... EOF }`), found the way {@link embeddedNginxText} finds
 * nginx text: each body holding that proxy's client-certificate setting becomes a ScanFile of the same path whose
 * text is the host's blanked outside that body (same lines), for the proxy's own reader (since session 31; before,
 * named under "Not read" only). Empty for files that are not such hosts.
 */
export function embeddedProxyTexts(file: ScanFile): EmbeddedProxyText[] {
  const out: EmbeddedProxyText[] = [];
  for (const { proxy, holds, what } of PROXY_SETTINGS) {
    if (!holds.test(file.text)) continue;
    for (const { masked, region, escapes } of embeddedBodies(file, holds))
      out.push({
        proxy,
        file: new ScanFile(file.path, file.relative, masked),
        note: noteFor(file.relative, file.text, region, escapes, what),
      });
  }
  return out;
}

/** One string or heredoc body holding a setting: the host's text blanked outside it, and where it is. */
interface EmbeddedBody {
  masked: string;
  /** The body as the program it is written for reads it (escapes undone). */
  body: string;
  region: Region;
  /** Whether HCL escapes were undone (the host is HCL and the body is not a script's inside it). */
  escapes: boolean;
}

/**
 * The innermost string or heredoc bodies of a host file (a shell script, Dockerfile, Nomad / Terraform / HCL file,
 * or any file with a heredoc) that hold `holds`: a script inside a heredoc (Terraform `user_data = <<-EOT` running
 * `cat > f <<'EOF'`) gives its own. Empty for files that are not such hosts.
 */
function embeddedBodies(file: ScanFile, holds: RegExp): EmbeddedBody[] {
  const text = file.text;
  const regions = joinAppends(text, joinWords(text, stringRegions(text)));
  const host =
    HOST_NAME.test(file.relative) ||
    text.startsWith('#!') ||
    regions.some((region) => region.kind === 'heredoc' || region.kind === 'quoted-heredoc');
  if (!host) return [];
  const hcl = /\.(?:nomad|hcl|tf)$/i.test(file.relative) || /\bdata\s*=\s*<</.test(text);
  const out: EmbeddedBody[] = [];
  const visit = (within: string, found: readonly Region[], escapes: boolean): void => {
    for (const region of found) {
      const body = regionText(within, region, escapes);
      if (!holds.test(body)) continue;
      const masked = blank(within.slice(0, region.start)) + body + blank(within.slice(region.end));
      const inner = joinAppends(masked, joinWords(masked, stringRegions(masked))).filter(
        (candidate) =>
          candidate.start >= region.start &&
          candidate.end <= region.end &&
          holds.test(masked.slice(candidate.start, candidate.end)),
      );
      if (inner.length) {
        visit(masked, inner, false);
        continue;
      }
      out.push({ masked, body, region, escapes });
    }
  };
  visit(text, regions, hcl);
  return out;
}

/**
 * An active `ssl_verify_client` directive: at the start of a line or after a `;`, `{` or `}` (one-line configs,
 * `echo 'server { ...; ssl_verify_client on; }'`: before session 25 only a line of its own counted, so those were
 * "not read").
 */
const DIRECTIVE = /(?:^|[;{}])[ \t]*ssl_verify_client[ \t]+\S+[ \t]*;/m;

/**
 * The strings and heredoc bodies of a shell-like text, in order: `'...'`, `"..."` (backslash escapes), heredocs
 * `<<EOF`, `<<-EOF`, `<<'EOF'`, `<<"EOF"` (body from the next line to the line holding only the delimiter,
 * indented or not, as HCL allows), `#` comments skipped. A small lexer: enough to find where text is embedded,
 * not a shell.
 */
function stringRegions(text: string): Region[] {
  const regions: Region[] = [];
  const pending: { delimiter: string; quoted: boolean; opener: number }[] = [];
  let lineStart = 0;
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    if (char === '\n') {
      at++;
      lineStart = at;
      for (const heredoc of pending.splice(0)) {
        const start = at;
        let end = text.length;
        let next = text.length;
        for (let line = at; line < text.length;) {
          const eol = text.indexOf('\n', line);
          const stop = eol === -1 ? text.length : eol;
          if (text.slice(line, stop).replace(/\r$/, '').trim() === heredoc.delimiter) {
            end = line;
            next = eol === -1 ? text.length : eol + 1;
            break;
          }
          line = stop + 1;
        }
        regions.push({
          start,
          end,
          kind: heredoc.quoted ? 'quoted-heredoc' : 'heredoc',
          opener: heredoc.opener,
        });
        at = next;
        lineStart = at;
      }
      continue;
    }
    if (char === '#' && (at === lineStart || /\s/.test(text[at - 1] ?? ''))) {
      const eol = text.indexOf('\n', at);
      at = eol === -1 ? text.length : eol;
      continue;
    }
    if (char === '\\') {
      at += 2;
      continue;
    }
    if (char === "'" || char === '"') {
      const start = at + 1;
      let end = start;
      if (char === "'") end = text.indexOf("'", start);
      else for (end = start; end < text.length && text[end] !== '"'; end++) if (text[end] === '\\') end++;
      if (end === -1 || end >= text.length) break;
      regions.push({ start, end, kind: char === "'" ? 'single' : 'double', opener: lineStart });
      lineStart = text.lastIndexOf('\n', end) + 1;
      at = end + 1;
      continue;
    }
    const heredoc =
      char === '<' ? /^<<(-?)[ \t]*(['"]?)([A-Za-z_][\w-]*)\2/.exec(text.slice(at, at + 80)) : null;
    if (heredoc && text[at - 1] !== '<' && heredoc[3]) {
      pending.push({ delimiter: heredoc[3], quoted: heredoc[2] !== '', opener: lineStart });
      at += heredoc[0].length;
      continue;
    }
    at++;
  }
  return regions;
}

/**
 * Quoted strings the shell joins into one word with what stands between them (`'...'${CA}'...'`,
 * `"..."$CA"..."`, `'...'"..."`: no space, only parameter expansions and command substitutions), merged into one
 * region of `parts`. Before session 25 each part was read alone: the part holding `ssl_verify_client` lost the
 * `server {` or `server_name` of the part before it (read as a fragment serving every host), and a `return 403`
 * in a later part was never read.
 */
function joinWords(text: string, regions: readonly Region[]): Region[] {
  const out: Region[] = [];
  for (const region of regions) {
    const last = out[out.length - 1];
    const quoted = (candidate: Region): boolean => candidate.kind === 'single' || candidate.kind === 'double';
    const gap = last ? text.slice(last.end + 1, region.start - 1) : '';
    const first = last?.parts?.[0] ?? last;
    // `echo` joins its arguments with a space: `echo '...' "$X" '...' > f` writes one text too.
    const echo = (): boolean =>
      first !== undefined &&
      /(?:^|[;&|(]|\bRUN)\s*echo(?:\s+-[neE]+)*\s+$/.test(text.slice(first.opener, first.start - 1));
    if (last && quoted(last) && quoted(region) && (GAP.test(gap) || (ECHO_GAP.test(gap) && echo()))) {
      const parts = last.parts ?? [last];
      out[out.length - 1] = { ...last, end: region.end, parts: [...parts, region] };
      continue;
    }
    out.push(region);
  }
  return out;
}

/** The command a quoted argument belongs to writes it with `echo` / `printf` (`RUN echo`, `&& echo`, `; echo`). */
const ECHO_BEFORE = /(?:^|[;&|(]|\bRUN)(?:\s|\\\r?\n)*(?:echo(?:\s+-[neE]+)*|printf)\s+$/;
/** What follows an `echo`'s last argument: `> f`, `>> f`, `| tee f`, `| tee -a f` (`sudo tee` too). */
const WRITE_AFTER =
  /^[ \t]*(?:(>>?)[ \t]*|\|[ \t]*(?:sudo[ \t]+)?tee[ \t]+(-a[ \t]+|--append[ \t]+)?)(['"]?)([^\s;|&<>'"]+)\3/;

/**
 * Consecutive `echo '...' >> f` commands (also `printf`, `| tee -a f`) that write one file line by line, the first
 * with `>` or `>>`, merged into one region whose parts are each command's text: nginx reads the file they build,
 * not each line. Before session 26 each line was read alone: `ssl_verify_client on;` became a fragment "serving
 * every host" (its `server_name` in another echo lost, `mtls.everywhere: true` proposed) and a `return 403` in a
 * later echo was never read. A `> f` (or `tee` without `-a`) starts the file again; another target ends the run.
 */
function joinAppends(text: string, regions: readonly Region[]): Region[] {
  const out: Region[] = [];
  /** Per target file: the index in `out` of the region its commands are joined into. */
  const runs = new Map<string, number>();
  for (const region of regions) {
    const first = region.parts?.[0] ?? region;
    const quoted = region.kind === 'single' || region.kind === 'double';
    const before = text.slice(first.opener, Math.max(first.opener, first.start - 1));
    const write = quoted && ECHO_BEFORE.test(before) ? WRITE_AFTER.exec(text.slice(region.end + 1)) : null;
    const target = write?.[4];
    const appends = write?.[1] === '>>' || write?.[2] !== undefined;
    const index = target === undefined ? undefined : runs.get(target);
    const run = index === undefined ? undefined : out[index];
    if (index !== undefined && run && appends) {
      // Another file's commands between two of this one's stay their own region; here they are blanked.
      out[index] = {
        ...run,
        end: region.end,
        parts: [
          ...(run.parts ?? [run]),
          ...(region.parts ?? [region]).map((part, at) =>
            at === 0 ? { ...part, appended: true as const } : part,
          ),
        ],
        commands: (run.commands ?? 1) + 1,
      };
      continue;
    }
    out.push(region);
    if (target !== undefined) runs.set(target, out.length - 1);
  }
  return out;
}

/** A parameter expansion or command substitution: `$VAR`, `${...}`, `$(...)`, `` `...` ``. */
const EXPANSION = /\$\w+|\$\{[^{}\n]*\}|\$\([^()\n]*\)|`[^`\n]*`/g;
/** What may stand between two quoted strings of one shell word: expansions, or nothing. */
const GAP = new RegExp(`^(?:${EXPANSION.source})*$`);
/** What may stand between two quoted arguments of one `echo`: expansions, blanks, line continuations. */
const ECHO_GAP = new RegExp(`^(?:${EXPANSION.source}|[ \\t]+|\\\\\\r?\\n)*$`);

/**
 * The text nginx gets from a region ({@link unescape}); for a joined word, its parts with the quotes between them
 * blanked and each expansion written as `_` (same columns: `ssl_client_certificate '${CA}';` reads
 * `ssl_client_certificate  _____ ;`, a value detect does not evaluate).
 */
function regionText(within: string, region: Region, escapes: boolean): string {
  if (!region.parts) return unescape(within.slice(region.start, region.end), region.kind, escapes);
  let out = '';
  let at = region.start;
  for (const part of region.parts) {
    if (part.start > at) {
      const gap = within.slice(at + 1, part.start - 1);
      out += part.appended
        ? ` ${blank(gap)} `
        : ` ${gap.replace(EXPANSION, (expansion) => '_'.repeat(expansion.length)).replace(/\\(?=\r?\n)/g, ' ')} `;
    }
    out += unescape(within.slice(part.start, part.end), part.kind, escapes);
    at = part.end;
  }
  return out;
}

/** The text nginx gets from a region: shell or HCL escapes undone where they apply; line breaks kept. */
function unescape(body: string, kind: Region['kind'], hcl: boolean): string {
  if (hcl) return body.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  if (kind === 'heredoc') return body.replace(/\\([$`\\])/g, '$1');
  if (kind === 'double') return body.replace(/\\([$`"\\])/g, '$1');
  return body;
}

/**
 * `masked` (blank outside `region`) with `server {` written on the blank text just before the region and `}` on the
 * first blank character after it, so a fragment parses as one server at its own lines.
 */
function asServer(masked: string, region: Region): string {
  const lineStart = masked.lastIndexOf('\n', region.start - 1) + 1;
  const open = 'server {'.padEnd(region.start - lineStart);
  const after = masked.slice(region.end);
  const rest = /^[\r\n]/.test(after) ? after : after.slice(1);
  return `${masked.slice(0, lineStart)}${open}${masked.slice(region.start, region.end)}}${rest}`;
}

/** `text` with every character but line breaks turned into a space. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

/** Where the embedded text goes, as far as the host says: `> PATH`, `tee PATH`, `COPY <<EOF PATH`, `destination`. */
function noteFor(file: string, text: string, region: Region, hcl: boolean, what: string): string {
  if (hcl) {
    const before = text.slice(Math.max(0, region.opener - 2000), region.opener);
    const after = text.slice(region.end, region.end + 2000);
    const block = /\btemplate\s*\{[^{}]*$/.exec(before);
    const destination =
      /\bdestination\s*=\s*"([^"]+)"/.exec(block?.[0] ?? '') ??
      /^[^{}]*?\bdestination\s*=\s*"([^"]+)"/.exec(after.slice(after.indexOf('\n') + 1));
    const kind = block ? 'a Nomad template' : /\.tf$/i.test(file) ? 'a Terraform heredoc' : 'an HCL heredoc';
    return `${what} in ${kind}${destination ? `, written to ${destination[1]}` : ''}`;
  }
  const heredoc = region.kind === 'heredoc' || region.kind === 'quoted-heredoc';
  const openEnd = text.indexOf('\n', region.opener);
  const openLine = text.slice(region.opener, openEnd === -1 ? undefined : openEnd);
  const closeEnd = text.indexOf('\n', region.end);
  const closeLine = text.slice(region.end, closeEnd === -1 ? undefined : closeEnd);
  const target =
    /(?:>>?|\btee(?:\s+-a)?)\s*([^\s;|&<>'"]+)/.exec(heredoc ? openLine : closeLine)?.[1] ??
    (/^\s*COPY\b/i.test(openLine) ? /<<-?['"]?\w+['"]?\s+(\S+)\s*$/.exec(openLine)?.[1] : undefined);
  const docker = /(?:^|\/)(?:docker|container)file(?:\.[\w.-]+)?$/i.test(file);
  const written = heredoc
    ? 'heredoc'
    : region.commands
      ? `string appended by ${region.commands} echo commands`
      : 'string';
  return `${what} in a ${docker ? 'Dockerfile' : 'shell'} ${written}${target ? `, written to ${target}` : ''}`;
}

/** A YAML body that is a Kubernetes object: `apiVersion:` and `kind:` keys, in either order. */
const MANIFEST =
  /^[ \t]*apiVersion[ \t]*:[^\n]*\n[\s\S]*^[ \t]*kind[ \t]*:|^[ \t]*kind[ \t]*:[^\n]*\n[\s\S]*^[ \t]*apiVersion[ \t]*:/m;

/**
 * Kubernetes objects written as YAML in a Terraform heredoc: `kubectl_manifest { yaml_body = <<-YAML ... YAML }`,
 * `kubernetes_manifest { manifest = yamldecode(<<EOT ... EOT) }` (since session 32; before, an Ingress or Istio
 * Gateway there was only named under "Not read"). Each heredoc body holding `apiVersion:` and `kind:` becomes a
 * ScanFile of the same path whose text is the file's blanked outside that body (same lines), for the YAML readers;
 * HCL's `$${` escapes are undone. Empty for files that are not Terraform / HCL.
 */
export function embeddedManifestTexts(file: ScanFile): EmbeddedText[] {
  if (!/\.(?:tf|hcl)$/i.test(file.relative) || !MANIFEST.test(file.text)) return [];
  return embeddedBodies(file, MANIFEST)
    .filter(({ region }) => region.kind === 'heredoc' || region.kind === 'quoted-heredoc')
    .map(({ masked, region, escapes }) => ({
      file: new ScanFile(file.path, file.relative, masked),
      note: noteFor(file.relative, file.text, region, escapes, 'Kubernetes manifest'),
    }));
}
