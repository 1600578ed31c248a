import { type ChildProcess, spawn } from 'node:child_process';
import { isIP } from 'node:net';
import { GohotError } from '../errors.js';
import { LISTEN_OPENER_SCRIPT } from './listen-opener.js';
import { KILL_WAIT_MS, waitForGroupEmpty } from './process-group.js';
import { checkTrampolineShell } from './socket-activation.js';
import { type HeldSockets, RunErrorCode } from './types.js';

/** One socket of `run.listen`, resolved. */
export interface ListenSpec {
  /** Its LISTEN_FDNAMES entry. */
  readonly name: string;
  readonly host: string;
  /** 0 asks the system for a free port (tests). */
  readonly port: number;
}

/** How long the opener child may take to answer before gohot gives up on it. */
const OPENER_TIMEOUT_MS = 30_000;

/** What the opener sends for one address (see listen-opener.ts). */
type OpenerMessage =
  | { readonly ok: true; readonly index: number; readonly host: string; readonly port: number }
  | { readonly ok: false; readonly index: number; readonly code: string; readonly message: string };

/** A raw libuv handle received over IPC: a descriptor gohot holds without accepting on it. */
interface RawHandle {
  readonly fd: number;
  close(): void;
}

/**
 * Opens the listening sockets of `run.listen` for the app: a short-lived child binds and
 * listens, and sends each socket back as a raw handle, which gohot holds without polling it
 * (so it never accepts the app's connections; see listen-opener.ts). Rejects with
 * RUN_LISTEN_FAILED naming the address that could not be opened; what was opened before it
 * is closed again.
 */
export async function openListeners(specs: readonly ListenSpec[]): Promise<HeldSockets> {
  const handles: RawHandle[] = [];
  const bound: { host: string; port: number }[] = [];
  // No --cpu-prof or loader flags of gohot's own process (execArgv, NODE_OPTIONS).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOHOT_LISTEN: JSON.stringify(specs.map(({ host, port }) => ({ host, port }))),
  };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['-e', LISTEN_OPENER_SCRIPT], {
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  try {
    await receive(child, specs, handles, bound);
  } catch (err) {
    for (const h of handles) h.close();
    throw err;
  } finally {
    child.kill('SIGKILL');
  }
  let closed = false;
  return {
    fds: handles.map((h) => h.fd),
    names: specs.map((s) => s.name),
    addresses: bound,
    close() {
      if (closed) return;
      closed = true;
      for (const h of handles) h.close();
    },
  };
}

/**
 * Opens the sockets of `run.listen` once the apps of killed gohots (`orphanPids`, just sent
 * SIGKILL by openRunDir) are gone: such an app still holds the sockets its gohot passed it,
 * so opening them before it has exited fails with EADDRINUSE. Undefined without sockets.
 * Checks first that the shell that starts the app with them can run.
 */
export async function openListenersAfter(
  specs: readonly ListenSpec[],
  orphanPids: readonly number[],
): Promise<HeldSockets | undefined> {
  if (specs.length === 0) return undefined;
  checkTrampolineShell();
  const deadline = performance.now() + KILL_WAIT_MS;
  await Promise.all(orphanPids.map((pid) => waitForGroupEmpty(pid, { deadline })));
  return openListeners(specs);
}

function receive(
  child: ChildProcess,
  specs: readonly ListenSpec[],
  handles: RawHandle[],
  bound: { host: string; port: number }[],
): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(openerFailed(`it did not answer within ${OPENER_TIMEOUT_MS / 1000} s`)),
      OPENER_TIMEOUT_MS,
    );
    const done = (err?: unknown) => {
      clearTimeout(timer);
      if (err === undefined) resolve();
      else reject(err);
    };
    child.on('error', (err) => done(openerFailed(err.message)));
    // 'close' (not 'exit'): it comes after the IPC channel has delivered every message.
    child.on('close', (code, signal) => {
      if (handles.length < specs.length) {
        done(
          openerFailed(
            `it exited (${signal ?? `code ${code}`}) early${stderr ? `: ${stderr.trim()}` : ''}`,
          ),
        );
      }
    });
    child.on('message', (raw: unknown, handle: unknown) => {
      const m = raw as OpenerMessage;
      const spec = specs[m.index];
      if (spec === undefined) return;
      if (!m.ok) {
        done(listenFailed(spec, m.code, m.message));
        return;
      }
      if (!isRawHandle(handle)) {
        done(openerFailed(`no socket arrived for ${spec.host}:${spec.port}`));
        return;
      }
      handles.push(handle);
      bound.push({ host: m.host, port: m.port });
      if (handles.length === specs.length) done();
    });
  });
}

function isRawHandle(value: unknown): value is RawHandle {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RawHandle).fd === 'number' &&
    (value as RawHandle).fd >= 0 &&
    typeof (value as RawHandle).close === 'function'
  );
}

function listenFailed(spec: ListenSpec, code: string, message: string): GohotError {
  const where = isIP(spec.host) === 6 ? `[${spec.host}]:${spec.port}` : `${spec.host}:${spec.port}`;
  const hint =
    code === 'EADDRINUSE'
      ? `Another program listens on ${where}: stop it (\`ss -ltnp 'sport = :${spec.port}'\` names it), or pick another address in run.listen.`
      : code === 'EACCES'
        ? `Ports below 1024 need privileges: pick a port of 1024 or above in run.listen.`
        : code === 'EADDRNOTAVAIL'
          ? `${spec.host} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of \`ip -br addr\`.`
          : 'Check the address in run.listen of gohot.json.';
  return new GohotError(
    RunErrorCode.listenFailed,
    `Cannot listen on ${where} (run.listen "${spec.name}") for the app: ${code === 'UNKNOWN' ? message : code}.`,
    hint,
  );
}

function openerFailed(why: string): GohotError {
  return new GohotError(
    RunErrorCode.listenFailed,
    `Could not open the sockets of run.listen: ${why}.`,
    'This is a bug in gohot; run.listen can be removed from gohot.json to start without it.',
  );
}
