import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI; `npm test` builds it before vitest runs. */
export const CLI = path.join(repoRoot, 'dist/cli/main.js');

/** A running `gohot` process with everything it printed. */
export interface GohotProcess {
  readonly proc: ChildProcess;
  /** stdout + stderr as received so far, in arrival order. */
  output(): string;
  /** Lines with a time stamp of arrival (ms since start), to prove unbuffered pass-through. */
  readonly lines: Array<{ readonly atMs: number; readonly text: string }>;
  /** Waits until `pattern` has matched `count` times in the output. */
  waitForOutput(pattern: RegExp, options?: { count?: number; timeoutMs?: number }): Promise<void>;
  /** Sends a signal and waits for exit; returns the exit code (or 128+n style from the shell). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** Resolves with the exit code once the process exits. */
  readonly exited: Promise<number | null>;
  /** Directory used as TMPDIR for this gohot (its temporary binaries live below it). */
  readonly tmpDir: string;
}

/** Starts the real CLI in `cwd`. Fails loudly when dist/ is missing. */
export async function startGohot(
  cwd: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
  /** A command that runs `node <cli> ...args` given as its trailing arguments (e.g. unshare). */
  prefix: readonly string[] = [],
): Promise<GohotProcess> {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} does not exist: run \`npm run build\` (npm test does it) first.`);
  }
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'gohot-e2e-tmp-'));
  const started = performance.now();
  const argv = [...prefix, process.execPath, CLI, ...args];
  const proc = spawn(argv[0]!, argv.slice(1), {
    cwd,
    env: { ...process.env, NO_COLOR: '1', TMPDIR: tmpDir, GOTOOLCHAIN: 'local', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const lines: Array<{ atMs: number; text: string }> = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    out += text;
    partial += text;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) lines.push({ atMs: performance.now() - started, text: p });
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
  });

  const waitForOutput: GohotProcess['waitForOutput'] = async (pattern, options = {}) => {
    const count = options.count ?? 1;
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    const global = new RegExp(
      pattern.source,
      pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
    );
    while (Date.now() < deadline) {
      if ((out.match(global)?.length ?? 0) >= count) return;
      if (proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(
      `timed out waiting for ${count}x ${pattern} (gohot ${proc.exitCode === null ? 'running' : `exited ${proc.exitCode}`}); output so far:\n${out}`,
    );
  };

  const stop: GohotProcess['stop'] = async (signal = 'SIGINT', timeoutMs = 20_000) => {
    if (proc.exitCode === null) proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  return { proc, output: () => out, lines, waitForOutput, stop, exited, tmpDir };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** GETs a URL, resolving with the body, or undefined when nothing answers. */
export async function httpGet(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return await res.text();
  } catch {
    return undefined;
  }
}

/** Polls `url` until the body matches; error lists the last body and gohot's output. */
export async function waitForBody(
  url: string,
  pattern: RegExp,
  gohot: GohotProcess,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  while (Date.now() < deadline) {
    last = await httpGet(url);
    if (last !== undefined && pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(
    `timed out waiting for ${url} to answer ${pattern}; last body: ${JSON.stringify(last)}; gohot output:\n${gohot.output()}`,
  );
}
