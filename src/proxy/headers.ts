import type http from 'node:http';

/** Hop-by-hop fields (RFC 9110 section 7.6.1): they describe one connection, never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'transfer-encoding',
  'upgrade',
]);

/** The fields named in Connection, which are hop-by-hop too. */
function connectionTokens(
  headers: http.IncomingHttpHeaders | http.OutgoingHttpHeaders,
): Set<string> {
  const raw = headers.connection;
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [String(raw)];
  return new Set(
    values
      .flatMap((v) => v.split(','))
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** `headers` without hop-by-hop fields; `keepUpgrade` keeps Connection and Upgrade (a WebSocket handshake). */
export function endToEnd(
  headers: http.IncomingHttpHeaders,
  keepUpgrade = false,
): http.OutgoingHttpHeaders {
  const named = connectionTokens(headers);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (keepUpgrade && (name === 'connection' || name === 'upgrade')) {
      out[name] = value;
      continue;
    }
    if (HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * The request fields sent to the app: end-to-end fields unchanged (Host too, so the app
 * builds links and redirects to the address the browser used), plus X-Forwarded-For
 * (appended), X-Forwarded-Proto and X-Forwarded-Host as de-facto reverse proxies set them.
 */
export function forwardedRequestHeaders(
  req: http.IncomingMessage,
  keepUpgrade = false,
): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = endToEnd(req.headers, keepUpgrade);
  const client = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  out['x-forwarded-for'] = prior ? `${prior}, ${client}` : client;
  out['x-forwarded-proto'] ??= 'http';
  if (req.headers.host !== undefined) out['x-forwarded-host'] ??= req.headers.host;
  return out;
}

/** Raw header pairs as a status line block for a socket (a WebSocket 101 or a refusal). */
export function rawResponseHead(
  statusCode: number,
  statusMessage: string,
  rawHeaders: readonly string[],
): string {
  const lines = [`HTTP/1.1 ${statusCode} ${statusMessage}`];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    lines.push(`${rawHeaders[i]}: ${rawHeaders[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
