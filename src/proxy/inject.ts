import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** The path of the script the proxy adds to every HTML page. */
export const CLIENT_PATH = '/__gohot/client.js';
/** The path of the page's event stream (Server-Sent Events). */
export const EVENTS_PATH = '/__gohot/events';

/** The script tag for a page served while the app was at `epoch`, with the CSP nonce if any. */
export function scriptTag(epoch: number, nonce: string | undefined): string {
  const n = nonce === undefined ? '' : ` nonce="${escapeAttribute(nonce)}"`;
  return `<script src="${CLIENT_PATH}" data-gohot-epoch="${epoch}"${n}></script>`;
}

/** Inserts `tag` before the last `</body>` (any case), else appends it. */
export function injectTag(html: string, tag: string): string {
  const at = html.toLowerCase().lastIndexOf('</body');
  return at === -1 ? `${html}${tag}` : `${html.slice(0, at)}${tag}${html.slice(at)}`;
}

/**
 * The nonce a Content-Security-Policy allows scripts with, from the directive that governs
 * external scripts (script-src-elem, else script-src, else default-src). Every policy of a
 * response must allow the script, so the nonce is taken from the first policy that names one.
 */
export function cspNonce(header: string | readonly string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const policies = (typeof header === 'string' ? [header] : header).flatMap((h) => h.split(','));
  for (const policy of policies) {
    const directives = new Map<string, string>();
    for (const part of policy.split(';')) {
      const [name, ...values] = part.trim().split(/\s+/);
      if (name && !directives.has(name.toLowerCase())) {
        directives.set(name.toLowerCase(), values.join(' '));
      }
    }
    const governing =
      directives.get('script-src-elem') ??
      directives.get('script-src') ??
      directives.get('default-src');
    const nonce = governing === undefined ? undefined : /'nonce-([^']+)'/.exec(governing)?.[1];
    if (nonce !== undefined) return nonce;
  }
  return undefined;
}

/** Content-Encodings the proxy can decode to add the script; others pass through untouched. */
export type DecodableEncoding = 'identity' | 'gzip' | 'deflate' | 'br';

/** The encoding of a Content-Encoding header, or undefined when the proxy cannot decode it. */
export function decodableEncoding(header: string | undefined): DecodableEncoding | undefined {
  const codings = (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length > 1) return undefined;
  const [only] = codings;
  if (only === 'gzip' || only === 'x-gzip') return 'gzip';
  if (only === 'deflate' || only === 'br') return only;
  return undefined;
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/** Decodes a whole body. "deflate" is zlib-wrapped per RFC 9110, but some servers send it raw. */
export async function decodeBody(body: Buffer, encoding: DecodableEncoding): Promise<Buffer> {
  switch (encoding) {
    case 'identity':
      return body;
    case 'gzip':
      return gunzip(body);
    case 'br':
      return brotli(body);
    case 'deflate':
      return inflate(body).catch(() => inflateRaw(body));
  }
}

/** Escapes text for an HTML attribute value or element content. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function escapeAttribute(text: string): string {
  return escapeHtml(text);
}
