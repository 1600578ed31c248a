import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, renameSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { errnoCode, GohotError } from '../errors.js';
import {
  CONTROL_PROTOCOL_VERSION,
  type ControlRequest,
  type ControlResponse,
  errorResponse,
  MAX_REQUEST_BYTES,
  parseRequest,
} from './protocol.js';
import { existingSocketProblem, findProjectSocketsIn } from './socket-path.js';

/** A client that sends nothing for this long is disconnected. */
const IDLE_TIMEOUT_MS = 60_000;
/** Requests read ahead of their answers before the connection stops reading. */
const MAX_PENDING = 16;
/** How long a probe of an existing socket waits for the connection. */
const PROBE_TIMEOUT_MS = 2_000;

/** Options of {@link startControlServer}. */
export interface ControlServerOptions {
  /** Absolute path of the socket, in a directory private to `uid`. */
  readonly socketPath: string;
  readonly uid: number;
  /** Answers one request; the result is sent as `result`, a throw as an `internal` error. */
  readonly handle: (request: ControlRequest) => unknown;
}

/** A listening control socket. */
export interface ControlServer {
  readonly path: string;
  /** Stops listening, ends the connections and removes the socket file. */
  close(): Promise<void>;
  /** Removes the socket file now (for a process that exits without closing handles). */
  removeSync(): void;
}

/** What a connection attempt to an existing socket says about it. */
export type SocketProbe = 'live' | 'stale' | 'gone' | 'unknown';

/** Connects to `socket` and hangs up: live, stale (ECONNREFUSED: nobody listens), or gone. */
export function probeSocket(socket: string): Promise<SocketProbe> {
  return new Promise((resolve) => {
    const conn = net.connect(socket);
    const done = (probe: SocketProbe) => {
      conn.destroy();
      resolve(probe);
    };
    conn.setTimeout(PROBE_TIMEOUT_MS, () => done('unknown'));
    conn.once('connect', () => done('live'));
    conn.once('error', (err) => {
      const code = errnoCode(err);
      done(code === 'ECONNREFUSED' ? 'stale' : code === 'ENOENT' ? 'gone' : 'unknown');
    });
  });
}

/**
 * Removes a socket of this user that nobody listens on any more (its gohot was killed).
 * Checked again just before the unlink: only a socket owned by `uid` is ever removed.
 */
async function removeIfStale(socket: string, uid: number): Promise<SocketProbe> {
  const probe = await probeSocket(socket);
  if (probe === 'stale' && existingSocketProblem(socket, uid) === undefined) {
    try {
      unlinkSync(socket);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
  }
  return probe;
}

/**
 * Listens on `socketPath` (mode 0600), after removing the stale sockets of gohots that were
 * killed in the same directory with the same project prefix. A path that exists and is not
 * a socket, or is another user's, is refused (CONTROL_SOCKET_UNSAFE), never removed.
 */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const { socketPath, uid } = options;
  const problem = existingSocketProblem(socketPath, uid);
  if (problem !== undefined) {
    throw new GohotError(
      'CONTROL_SOCKET_UNSAFE',
      `gohot will not use ${socketPath} as its control socket: ${problem}.`,
      'Remove the file if it is yours; if it is not, ask who made it. gohot never removes it.',
    );
  }
  for (const other of findProjectSocketsIn(socketPath, uid)) await removeIfStale(other, uid);
  if ((await removeIfStale(socketPath, uid)) === 'live') {
    throw new GohotError(
      'CONTROL_SOCKET_UNUSABLE',
      `Another process already listens on the control socket ${socketPath}.`,
      'Stop the other gohot of this project, or give this one another XDG_RUNTIME_DIR.',
    );
  }

  // Shorter than the final name, in the same private directory (Unix socket paths are short).
  // Unique per server: two servers of one process (tests) never share it.
  const bindPath = path.join(
    path.dirname(socketPath),
    `.bind-${process.pid}-${randomBytes(4).toString('hex')}.sock`,
  );
  const connections = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    serveConnection(socket, options.handle);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => {
      reject(
        new GohotError(
          'CONTROL_SOCKET_UNUSABLE',
          `gohot cannot listen on its control socket ${socketPath} (${errnoCode(err) ?? String(err)}).`,
          'Point XDG_RUNTIME_DIR at a writable directory you own.',
          { cause: err },
        ),
      );
    });
    server.listen(bindPath, () => resolve());
  });
  // The directory is 0700 already; 0600 on the socket keeps others out even if it were not.
  // Bound under a temporary name and renamed once it is 0600: the socket's name never
  // exists with the umask's mode, not even for a moment.
  chmodSync(bindPath, 0o600);
  renameSync(bindPath, socketPath);
  const ino = lstatSync(socketPath).ino;
  server.on('error', () => undefined);

  const removeSync = () => {
    const st = lstatSync(socketPath, { throwIfNoEntry: false });
    // Only the socket this server created: a later gohot may have one of the same name.
    if (st?.isSocket() && st.ino === ino) {
      try {
        unlinkSync(socketPath);
      } catch {
        // Already gone.
      }
    }
  };
  let closing: Promise<void> | undefined;
  return {
    path: socketPath,
    removeSync,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const c of connections) c.destroy();
        server.close(() => {
          removeSync();
          resolve();
        });
      });
      return closing;
    },
  };
}

/**
 * Reads request lines and writes one response line each, in order. A client that hangs up
 * (even in the middle of a response) only ends its own connection.
 */
function serveConnection(socket: net.Socket, handle: ControlServerOptions['handle']): void {
  socket.setEncoding('utf8');
  socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
  // EPIPE / ECONNRESET from a client gone mid-response: that connection is over, nothing else.
  socket.on('error', () => socket.destroy());
  let buffered = '';
  let pending = 0;
  let chain = Promise.resolve();

  const send = async (response: ControlResponse) => {
    if (socket.destroyed || !socket.writable) return;
    if (socket.write(`${JSON.stringify(response)}\n`)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  };
  const answer = async (line: string) => {
    const parsed = parseRequest(line);
    if (!parsed.ok) return send(parsed.response);
    const { id } = parsed.request;
    try {
      const result = await handle(parsed.request);
      return send({ v: CONTROL_PROTOCOL_VERSION, id, ok: true, result });
    } catch (err) {
      return send(errorResponse(id, 'internal', err instanceof Error ? err.message : String(err)));
    }
  };

  socket.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() === '') continue;
      pending++;
      if (pending >= MAX_PENDING) socket.pause();
      chain = chain.then(async () => {
        await answer(line);
        pending--;
        if (pending < MAX_PENDING && !socket.destroyed) socket.resume();
      });
    }
    if (Buffer.byteLength(buffered) > MAX_REQUEST_BYTES) {
      buffered = '';
      chain = chain.then(async () => {
        await send(
          errorResponse(
            null,
            'too-large',
            `A request line may have at most ${MAX_REQUEST_BYTES} bytes.`,
          ),
        );
        socket.end();
      });
    }
  });
}
