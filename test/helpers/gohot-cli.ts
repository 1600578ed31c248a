import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';
import { copyFixture, makeTempDir, removeTemp } from './fixture.js';
import {
  describeMarked,
  findMarked,
  killMarked,
  OWNER_MARKER,
  survivorsOf,
} from './marked-processes.js';
import { waitUntil } from './wait-for.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI; `npm test` builds it before vitest runs. */
export const CLI = path.join(repoRoot, 'dist/cli/main.js');

/** How long a stopped gohot's app and builds may take to be gone after gohot exited. */
const SETTLE_MS = 5_000;

/** Options of {@link startGohot}. */
export interface StartOptions {
  /** Arguments after `gohot`. @default [] */
  readonly args?: readonly string[];
  /** Added to (and overriding) the test's environment. @default {} */
  readonly env?: NodeJS.ProcessEnv;
  /** A command that runs `node <cli> ...args` given as its trailing arguments (e.g. unshare). */
  readonly prefix?: readonly string[];
  /** Options for node itself, before the CLI's path (`--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  /**
   * Give gohot a pseudo-terminal as stdin (util-linux `script`), so it reads keys; type into
   * it with {@link GohotProcess.type}. @default false
   */
  readonly terminal?: boolean;
}

/** A running `gohot` process with everything it printed. */
export interface GohotProcess {
  /** The process started: gohot, or `script` running gohot with `terminal: true`. */
  readonly proc: ChildProcess;
  /** stdout + stderr as received so far, in arrival order. */
  output(): string;
  /** How often `pattern` matched the output so far. */
  count(pattern: RegExp): number;
  /** Lines with a time stamp of arrival (ms since start). */
  readonly lines: Array<{ readonly atMs: number; readonly text: string }>;
  /** Waits until `pattern` has matched `count` times in the output; fails at once if gohot exits. */
  waitForOutput(pattern: RegExp, options?: { count?: number; timeoutMs?: number }): Promise<void>;
  /**
   * Sends a signal (SIGINT as Ctrl-C on a terminal) and waits for exit; returns the exit code.
   * Past the deadline it kills gohot and everything it started, and throws.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /**
   * Stops gohot gracefully if it still runs (SIGTERM; Ctrl-C on a terminal), then checks
   * that nothing it started outlives it: survivors are killed and reported as an error.
   */
  close(): Promise<void>;
  /** Types into gohot's terminal (only with `terminal: true`). */
  type(text: string): void;
  /** Resolves with the exit code once the process exits (-1 when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Directory used as TMPDIR for this gohot (its temporary binaries live below it). */
  readonly tmpDir: string;
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * The own TMPDIR of every gohot this test file started, with whether that gohot has exited:
 * close() removes it, but a test that lets gohot exit on its own (or kills it) never calls
 * close(). Those of exited gohots are removed after the file's last test.
 */
const ownTmpDirs = new Map<string, () => boolean>();
afterAll(async () => {
  const done = [...ownTmpDirs].filter(([, exited]) => exited()).map(([dir]) => dir);
  for (const dir of done) ownTmpDirs.delete(dir);
  await Promise.all(done.map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * Starts the real CLI in `cwd`. Fails loudly when dist/ is missing. Every process it starts
 * carries a marker of its own in the environment, so {@link GohotProcess.close} can find
 * what it left behind. Prefer {@link useGohot}, which closes every gohot after each test.
 */
export async function startGohot(cwd: string, options: StartOptions = {}): Promise<GohotProcess> {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} does not exist: run \`npm run build\` (npm test does it) first.`);
  }
  const ownTmpDir = await mkdtemp(path.join(os.tmpdir(), 'gohot-e2e-tmp-'));
  const owner = randomUUID();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    TMPDIR: ownTmpDir,
    // gohot's private state directory ($XDG_RUNTIME_DIR/gohot): one per test, shared only
    // when a test passes the TMPDIR of another gohot.
    XDG_RUNTIME_DIR: options.env?.TMPDIR ?? ownTmpDir,
    GOTOOLCHAIN: 'local',
    ...options.env,
    [OWNER_MARKER]: owner,
  };
  const tmpDir = env.TMPDIR ?? ownTmpDir;
  const gohotArgv = [
    ...(options.prefix ?? []),
    process.execPath,
    ...(options.nodeArgs ?? []),
    CLI,
    ...(options.args ?? []),
  ];
  const argv = options.terminal
    ? ['script', '-qfec', gohotArgv.map(quote).join(' '), '/dev/null']
    : gohotArgv;
  const started = performance.now();
  const proc = spawn(argv[0]!, argv.slice(1), {
    cwd,
    env,
    stdio: [options.terminal ? 'pipe' : 'ignore', 'pipe', 'pipe'],
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
  // 'close' comes after 'exit', once stdout and stderr are drained: nothing more will arrive.
  let closed = false;
  proc.on('close', () => {
    closed = true;
  });
  const isRunning = () => proc.exitCode === null && proc.signalCode === null;
  ownTmpDirs.set(ownTmpDir, () => !isRunning());
  const status = () =>
    isRunning() ? 'running' : `exited ${proc.exitCode ?? `by ${proc.signalCode}`}`;

  const count = (pattern: RegExp) => {
    const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
    return out.match(new RegExp(pattern.source, flags))?.length ?? 0;
  };

  const waitForOutput: GohotProcess['waitForOutput'] = async (pattern, opts = {}) => {
    const wanted = opts.count ?? 1;
    const what = `${wanted}x ${pattern} in gohot's output`;
    await waitUntil(
      what,
      () => {
        if (count(pattern) >= wanted) return true;
        if (closed) throw new Error(`gohot ${status()} before ${what}; output:\n${out}`);
        return false;
      },
      {
        timeoutMs: opts.timeoutMs ?? 90_000,
        intervalMs: 20,
        describe: () => `(${status()})\n${out}`,
      },
    );
  };

  const type = (text: string) => {
    if (!options.terminal) throw new Error('type() needs startGohot(..., { terminal: true })');
    proc.stdin?.write(text);
  };

  const stop: GohotProcess['stop'] = async (signal = 'SIGINT', timeoutMs = 20_000) => {
    if (isRunning()) {
      if (options.terminal && signal === 'SIGINT') type('\x03');
      else proc.kill(signal);
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), timeoutMs);
    });
    const code = await Promise.race([exited, deadline]);
    clearTimeout(timer);
    if (code !== 'deadline') return code;
    // Last resort: gohot, its app's process group, its builds: everything with its marker.
    const left = findMarked(OWNER_MARKER, owner);
    proc.kill('SIGKILL');
    killMarked(left);
    await exited;
    throw new Error(
      `gohot did not exit within ${timeoutMs} ms of ${signal}; killed it and:\n` +
        `${describeMarked(left)}\noutput:\n${out}`,
    );
  };

  const close = async () => {
    // On a terminal, as a user would: Ctrl-C (script need not pass SIGTERM on).
    if (isRunning()) await stop(options.terminal ? 'SIGINT' : 'SIGTERM');
    const survivors = await survivorsOf(OWNER_MARKER, owner, SETTLE_MS);
    if (ownTmpDir !== tmpDir) await rm(ownTmpDir, { recursive: true, force: true });
    if (survivors.length === 0) {
      await rm(tmpDir, { recursive: true, force: true });
      return;
    }
    killMarked(survivors);
    throw new Error(
      `gohot (${status()}) left ${survivors.length} process(es) running; killed now:\n` +
        `${describeMarked(survivors)}\noutput:\n${out}`,
    );
  };

  return {
    proc,
    output: () => out,
    count,
    lines,
    waitForOutput,
    stop,
    close,
    type,
    exited,
    tmpDir,
  };
}

/** What {@link useGohot} gives a test file. */
export interface GohotTests {
  /** Starts gohot like {@link startGohot}; closed after the test. */
  start(cwd: string, options?: StartOptions): Promise<GohotProcess>;
  /** A fresh copy of test/fixtures/<name>, removed after the test. */
  fixture(name: string): Promise<string>;
  /** A fresh empty temp directory, removed after the test. */
  tempDir(label: string): Promise<string>;
}

/**
 * For test files that run gohot. Registers an afterEach that closes every gohot the test
 * started, newest first (it fails when something they started survives), and only then
 * removes the test's directories.
 */
export function useGohot(): GohotTests {
  const running: GohotProcess[] = [];
  const temps: string[] = [];
  afterEach(async () => {
    const errors: unknown[] = [];
    for (const g of running.splice(0).reverse()) {
      await g.close().catch((err: unknown) => errors.push(err));
    }
    await Promise.all(temps.splice(0).map(removeTemp));
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1)
      throw new AggregateError(errors, `${errors.length} gohots left processes`);
  });
  const track = async (made: Promise<string>) => {
    const dir = await made;
    temps.push(dir);
    return dir;
  };
  return {
    async start(cwd, options) {
      const g = await startGohot(cwd, options);
      running.push(g);
      return g;
    },
    fixture: (name) => track(copyFixture(name)),
    tempDir: (label) => track(makeTempDir(label)),
  };
}

/**
 * The line of a successful rebuild caused by `trigger`, whatever the build took
 * (`<trigger> -> built 412 ms -> restarted pid N`, or `1.33 s` on a slow machine).
 */
export function reloadedBy(trigger: RegExp): RegExp {
  return new RegExp(`${trigger.source} -> .*restarted pid \\d+`);
}

/**
 * The line of a successful build caused by `trigger`, whether it (re)started the app or kept
 * it because the binary came out identical (a build of a file the binary does not depend on),
 * with or without generator rules run first (`-> generated 12 ms -> built ...`).
 */
export function builtBy(trigger: RegExp): RegExp {
  return new RegExp(
    `${trigger.source} -> (generated .* -> )?built .* -> ((re)?started pid \\d+|binary unchanged: kept pid \\d+)`,
  );
}

/** The line of each (re)start of the app, the first one included. */
export const STARTS = /-> (re)?started pid \d+/;

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

/** Polls `url` until the body matches; the error lists the last body and gohot's output. */
export async function waitForBody(
  url: string,
  pattern: RegExp,
  gohot: GohotProcess,
  timeoutMs = 90_000,
): Promise<string> {
  let last: string | undefined;
  return waitUntil(
    `${url} to answer ${pattern}`,
    async () => {
      last = await httpGet(url);
      return last !== undefined && pattern.test(last) ? last : undefined;
    },
    {
      timeoutMs,
      intervalMs: 25,
      describe: () => `last body: ${JSON.stringify(last)}; gohot output:\n${gohot.output()}`,
    },
  );
}

/** Owner records gohot keeps in the run directories below `<tmpDir>/gohot` (its state). */
export function ownerRecords(tmpDir: string): string[] {
  const state = path.join(tmpDir, 'gohot');
  if (!existsSync(state)) return [];
  return readdirSync(state)
    .map((slot) => path.join(state, slot, 'owner.json'))
    .filter((f) => existsSync(f));
}

/** App binaries gohot built below `<tmpDir>/gohot`. */
export function builtBinaries(tmpDir: string): string[] {
  const state = path.join(tmpDir, 'gohot');
  if (!existsSync(state)) return [];
  return readdirSync(state)
    .map((slot) => path.join(state, slot, 'app'))
    .filter((f) => existsSync(f));
}
