import http from 'node:http';
import type net from 'node:net';
import { clientScript } from './client-script.js';
import type { EventHub } from './events.js';
import { endToEnd, forwardedRequestHeaders, rawResponseHead } from './headers.js';
import { type AppGate, type AppPhase, isHolding } from './hold.js';
import {
  CLIENT_PATH,
  cspNonce,
  decodableEncoding,
  decodeBody,
  EVENTS_PATH,
  escapeHtml,
  injectTag,
  scriptTag,
} from './inject.js';

/** What the proxy server works with. */
export interface ProxyServerDeps {
  /** The app's address. */
  readonly target: URL;
  /** How long a request waits for a restarting app before it is forwarded anyway. */
  readonly holdTimeoutMs: number;
  /** gohot holds the target's socket (run.listen): connecting to it says nothing of the app. */
  readonly targetHeld: boolean;
  readonly gate: AppGate;
  readonly hub: EventHub;
}

/** Why a request got the proxy's own 502 page instead of the app's answer. */
type Failure =
  | { readonly by: 'refused'; readonly phase: AppPhase['phase'] }
  /** The app exited, and its socket is held (run.listen): a request would wait there. */
  | { readonly by: 'exited-held' }
  | { readonly by: 'cut'; readonly code: string }
  | { readonly by: 'other'; readonly message: string };

/** A request that failed this way, without a body, is sent again once the app serves. */
function isRetryable(err: NodeJS.ErrnoException): boolean {
  return err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET' || err.code === 'EPIPE';
}

function failureOf(err: NodeJS.ErrnoException, phase: AppPhase): Failure {
  if (err.code === 'ECONNREFUSED') return { by: 'refused', phase: phase.phase };
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return { by: 'cut', code: err.code };
  return { by: 'other', message: err.message };
}

function describeFailure(f: Failure, target: URL): string {
  switch (f.by) {
    case 'refused':
      return f.phase === 'exited'
        ? `The app exited, so nothing accepts connections at ${target.host}. gohot starts it again after the next successful build.`
        : `Nothing accepts connections at ${target.host}: the app is not running, or it listens on another address than the proxy target.`;
    case 'exited-held':
      return `The app exited. gohot holds its port ${target.port} (run.listen), so a request would wait there for the next app: gohot starts it again after the next successful build.`;
    case 'cut':
      return `The app closed the connection before it answered (${f.code}): it was stopped for a restart while handling this request, or it crashed.`;
    case 'other':
      return `The request to the app at ${target.host} failed: ${f.message}`;
  }
}

function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function isInjectable(req: http.IncomingMessage, res: http.IncomingMessage): boolean {
  const status = res.statusCode ?? 0;
  return (
    req.method !== 'HEAD' &&
    status >= 200 &&
    status !== 204 &&
    status !== 304 &&
    /^\s*text\/html\b/i.test(res.headers['content-type'] ?? '')
  );
}

/**
 * Creates the reverse proxy: requests stream through to the app over keep-alive
 * connections (bodies piped, never buffered, except HTML pages that get the script),
 * WebSocket upgrades are piped both ways, and `/__gohot/` is gohot's own.
 */
export function createProxyServer(deps: ProxyServerDeps): {
  readonly server: http.Server;
  /** Ends every connection, upgraded ones too. */
  closeAll(): void;
} {
  const { target, gate, hub } = deps;
  const upgraded = new Set<net.Socket>();
  const client = clientScript();

  const sendPage = (
    res: http.ServerResponse,
    status: number,
    title: string,
    message: string,
  ): void => {
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font:16px/1.5 system-ui,sans-serif;margin:3em"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p style="color:#666">This page comes from gohot's proxy and reloads by itself once the app serves.</p>${scriptTag(hub.status().epoch, undefined)}</body></html>`;
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(html),
    });
    res.end(html);
  };

  const respondHtml = async (
    res: http.ServerResponse,
    up: http.IncomingMessage,
    epoch: number,
  ): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of up) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const headers = endToEnd(up.headers);
    const encoding = decodableEncoding(up.headers['content-encoding']);
    let body = raw;
    if (encoding !== undefined) {
      const decoded = await decodeBody(raw, encoding).catch(() => undefined);
      if (decoded !== undefined) {
        const tag = scriptTag(epoch, cspNonce(up.headers['content-security-policy']));
        body = Buffer.from(injectTag(decoded.toString('utf8'), tag), 'utf8');
        delete headers['content-encoding'];
        // A page from the cache would carry an old epoch and reload again: never cached.
        delete headers.etag;
        delete headers['last-modified'];
        headers['cache-control'] = 'no-store';
      }
    }
    headers['content-length'] = body.length;
    res.writeHead(up.statusCode ?? 502, up.statusMessage, headers);
    res.end(body);
  };

  /** With the app's socket held, nothing refuses a request once the app exited: say so here. */
  const exitedHeld = () => deps.targetHeld && gate.phase().phase === 'exited';

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, attempt: number): void => {
    if (exitedHeld()) {
      sendPage(
        res,
        502,
        'gohot: the app did not answer',
        describeFailure({ by: 'exited-held' }, target),
      );
      return;
    }
    const withBody = hasBody(req);
    const epoch = hub.status().epoch;
    const up = http.request({
      host: target.hostname.replace(/^\[|\]$/g, ''),
      port: Number(target.port),
      method: req.method,
      path: req.url,
      headers: forwardedRequestHeaders(req),
      agent: gate.agent() ?? false,
      setHost: false,
    });
    let answered = false;
    up.on('response', (upRes) => {
      answered = true;
      upRes.on('error', () => res.destroy());
      if (isInjectable(req, upRes)) {
        respondHtml(res, upRes, epoch).catch(() => res.destroy());
        return;
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, endToEnd(upRes.headers));
      res.flushHeaders();
      upRes.pipe(res);
    });
    up.on('error', (err: NodeJS.ErrnoException) => {
      if (answered || res.headersSent) {
        res.destroy();
        return;
      }
      const phase = gate.phase();
      if (!withBody && attempt < 3 && isRetryable(err) && phase.phase !== 'exited') {
        void retry(req, res, attempt + 1);
        return;
      }
      sendPage(
        res,
        502,
        'gohot: the app did not answer',
        describeFailure(failureOf(err, phase), target),
      );
    });
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    if (withBody) req.pipe(up);
    else up.end();
  };

  // A request cut by a restart (or refused before the new app listens) waits for the app.
  const retry = async (req: http.IncomingMessage, res: http.ServerResponse, attempt: number) => {
    const closed = new AbortController();
    res.once('close', () => closed.abort());
    if (!isHolding(gate.phase())) {
      // The gate has not seen the restart yet, or the app refused while serving: a short pause.
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
    await gate.whenOpen(deps.holdTimeoutMs, closed.signal);
    if (!closed.signal.aborted) forward(req, res, attempt);
  };

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === CLIENT_PATH || url.startsWith(`${CLIENT_PATH}?`)) {
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(client),
      });
      res.end(client);
      return;
    }
    if (url === EVENTS_PATH || url.startsWith(`${EVENTS_PATH}?`)) {
      hub.attach(req, res);
      return;
    }
    const closed = new AbortController();
    res.once('close', () => closed.abort());
    void gate.whenOpen(deps.holdTimeoutMs, closed.signal).then(() => {
      if (!closed.signal.aborted) forward(req, res, 0);
    });
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    void gate.whenOpen(deps.holdTimeoutMs).then(() => upgrade(req, socket, head));
  });

  const upgrade = (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    if (socket.destroyed) return;
    const badGateway = 'HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n';
    if (exitedHeld()) {
      socket.end(badGateway);
      return;
    }
    const up = http.request({
      host: target.hostname.replace(/^\[|\]$/g, ''),
      port: Number(target.port),
      method: req.method,
      path: req.url,
      headers: forwardedRequestHeaders(req, true),
      agent: false,
      setHost: false,
    });
    up.on('upgrade', (upRes, upSocket, upHead) => {
      upgraded.add(upSocket);
      upSocket.on('close', () => upgraded.delete(upSocket));
      socket.write(
        rawResponseHead(
          upRes.statusCode ?? 101,
          upRes.statusMessage ?? 'Switching Protocols',
          upRes.rawHeaders,
        ),
      );
      if (upHead.length > 0) socket.write(upHead);
      if (head.length > 0) upSocket.write(head);
      upSocket.setNoDelay(true);
      socket.setNoDelay(true);
      upSocket.on('error', () => socket.destroy());
      socket.on('close', () => upSocket.destroy());
      upSocket.on('close', () => socket.destroy());
      upSocket.pipe(socket);
      socket.pipe(upSocket);
    });
    // The app refused the upgrade: its answer goes back, de-chunked, on a connection that
    // closes after it (the body ends with the connection).
    up.on('response', (upRes) => {
      const raw: string[] = [];
      for (let i = 0; i + 1 < upRes.rawHeaders.length; i += 2) {
        const name = upRes.rawHeaders[i]!;
        if (/^(transfer-encoding|connection|keep-alive)$/i.test(name)) continue;
        raw.push(name, upRes.rawHeaders[i + 1]!);
      }
      raw.push('Connection', 'close');
      socket.write(rawResponseHead(upRes.statusCode ?? 502, upRes.statusMessage ?? '', raw));
      upRes.pipe(socket);
    });
    up.on('error', () => socket.end(badGateway));
    up.end();
  };

  return {
    server,
    closeAll() {
      server.closeAllConnections();
      for (const s of upgraded) s.destroy();
      upgraded.clear();
    },
  };
}
