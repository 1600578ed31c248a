import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, makeTempDir, removeTemp } from '../helpers/fixture.js';
import { CLI, type GohotProcess, startGohot } from '../helpers/gohot-cli.js';
import { isAlive } from '../helpers/processes-linux.js';
import { waitFor, waitUntil } from '../helpers/wait-for.js';

const running: GohotProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const g of running.splice(0)) await g.stop('SIGTERM');
  await Promise.all(dirs.splice(0).map(removeTemp));
});

/** The pid of the app a directly spawned gohot (or `script` running it) reports started. */
/**
 * The pid of the app once gohot started it, and, with `ready`, once the app's output
 * matched it too (a Go app installs its signal handlers some time after it was spawned).
 */
function startedApp(proc: ChildProcess, ready?: RegExp): Promise<number> {
  let out = '';
  const collect = (b: Buffer) => {
    out += b.toString();
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  return waitUntil(
    'the app to start',
    () =>
      (ready === undefined || ready.test(out)) &&
      (Number(/-> started pid (\d+)/.exec(out)?.[1]) || undefined),
    { timeoutMs: 60_000, describe: () => out },
  );
}

async function hello(): Promise<string> {
  const dir = await copyFixture('hello-http');
  dirs.push(dir);
  return dir;
}

describe('gohot never orphans its app (end to end)', () => {
  // Regression: Ctrl-\ (SIGQUIT), SIGUSR2 and SIGALRM killed gohot with their default action
  // and left the app (in its own process group) holding its port.
  it.each(['SIGQUIT', 'SIGUSR2', 'SIGALRM'] as const)(
    '%s stops the app gracefully and exits 128 + n',
    async (sig) => {
      const g = await startGohot(await hello(), { env: { ADDR: '127.0.0.1:0' } });
      running.push(g);
      await g.waitForOutput(/-> started pid \d+/);
      const appPid = Number(/-> started pid (\d+)/.exec(g.output())?.[1]);
      expect(isAlive(appPid)).toBe(true);
      expect(await g.stop(sig)).toBe(128 + os.constants.signals[sig]);
      expect(g.output()).toMatch(new RegExp(`stopping \\(${sig} received`));
      expect(isAlive(appPid)).toBe(false);
    },
  );

  // Regression: a reader that went away (`gohot 2>&1 | head`) made the next write fail with
  // EPIPE, an uncaught error that killed gohot and left the app running.
  it('a closed output pipe stops the app, cleans up and exits', async () => {
    const dir = await hello();
    const proc = spawn(process.execPath, [CLI], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', GOTOOLCHAIN: 'local', ADDR: '127.0.0.1:0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
    try {
      const appPid = await startedApp(proc);
      // The reader goes away; the next line gohot prints (the reload) finds no reader.
      proc.stderr.destroy();
      proc.stdout.destroy();
      await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "x"\n');
      expect(await exited).toBe(128 + os.constants.signals.SIGPIPE);
      await waitFor(() => !isAlive(appPid), { what: `app pid ${appPid} to be gone` });
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });

  // Regression: a closed terminal (the pty's other end gone: SIGHUP, then EIO on every write)
  // killed gohot (signal 11 in 3 of 3 runs) and left the app holding its port. The terminal
  // is a real pty from util-linux `script`; SIGKILLing `script` closes it.
  // Also found in review: the hang-up's failing "stopping" write counted as a second Ctrl-C,
  // so the app was SIGKILLed without its grace period. The app here writes down the signal
  // that stopped it.
  it('a closed terminal stops the app gracefully', async () => {
    const dir = await hello();
    const mark = path.join(dir, 'stopped-by');
    await writeFile(
      path.join(dir, 'main.go'),
      [
        'package main',
        '',
        'import (',
        '\t"fmt"',
        '\t"os"',
        '\t"os/signal"',
        '\t"syscall"',
        ')',
        '',
        'func main() {',
        '\tc := make(chan os.Signal, 1)',
        '\tsignal.Notify(c, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT)',
        '\tfmt.Println("ready")',
        '\ts := <-c',
        '\t_ = os.WriteFile(os.Getenv("STOP_MARK"), []byte(s.String()), 0o600)',
        '}',
        '',
      ].join('\n'),
    );
    const proc = spawn('script', ['-qfec', `${process.execPath} ${CLI}`, '/dev/null'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', GOTOOLCHAIN: 'local', STOP_MARK: mark },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    try {
      // "ready" comes after signal.Notify: a signal before it would end the app unhandled.
      const appPid = await startedApp(proc, /^ready\r?$/m);
      proc.kill('SIGKILL');
      await waitFor(() => !isAlive(appPid), {
        what: `app pid ${appPid} to be gone`,
        timeoutMs: 20_000,
      });
      // gohot's stop signal, not a SIGKILL (which leaves no mark).
      expect(readFileSync(mark, 'utf8')).toBe('terminated');
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });
});

describe('a forced exit leaves nothing behind (end to end)', () => {
  // Found in review: after the app exited on its own, its helper (which ignores SIGTERM)
  // was in its grace period; a second Ctrl-C then exited gohot without killing it, and the
  // record that would let the next gohot reap it was gone.
  it('a second Ctrl-C kills the helpers of an app that already exited', async () => {
    const dir = await copyFixture('spawns-grandchild');
    dirs.push(dir);
    const g = await startGohot(dir, {
      args: ['--stop-timeout', '10m'],
      env: { PARENT_MODE: 'exit-now' },
    });
    running.push(g);
    await g.waitForOutput(/exited with code 0/);
    const child = Number(/child=(\d+)/.exec(g.output())?.[1]);
    expect(isAlive(child)).toBe(true);
    g.proc.kill('SIGINT');
    await g.waitForOutput(/stopping \(SIGINT received/);
    expect(await g.stop('SIGINT')).toBe(130);
    await waitFor(() => !isAlive(child), { what: `helper pid ${child} to be gone` });
  });
});

/** Pids of go processes whose working directory is `dir` (go list runs in the module root). */
function goProcessesIn(dir: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const isGo = readFileSync(`/proc/${name}/comm`, 'utf8').trim() === 'go';
      if (isGo && readlinkSync(`/proc/${name}/cwd`) === dir && isAlive(Number(name))) {
        found.push(Number(name));
      }
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

describe('gohot can always be stopped (end to end)', () => {
  // Regression: a FIFO named x.go blocked `go list` during start-up; Ctrl-C was ignored
  // until it returned, and then gohot exited and left `go list` behind.
  it('Ctrl-C while go list hangs on a FIFO exits 130 and leaves no go process', async () => {
    const dir = await hello();
    expect(spawnSync('mkfifo', [path.join(dir, 'x.go')]).status).toBe(0);
    const g = await startGohot(dir, { env: { ADDR: '127.0.0.1:0' } });
    running.push(g);
    await waitUntil('go to hang on the FIFO', () => goProcessesIn(dir).length > 0, {
      timeoutMs: 60_000,
      describe: g.output,
    });
    expect(await g.stop('SIGINT')).toBe(130);
    await waitFor(() => goProcessesIn(dir).length === 0, { what: 'no process left in the module' });
  });
});

describe('what gohot writes, and where (end to end)', () => {
  // Regression: apps that keep data beside their executable (memos in dev mode puts its
  // SQLite database there) lost it when gohot exited and removed its build directory, and
  // the next session built into a fresh path, so go relinked every time.
  it('the app builds into the same private directory every session and its files stay', async () => {
    const dir = await hello();
    await writeFile(
      path.join(dir, 'runs.go'),
      [
        'package main',
        '',
        'import (',
        '\t"fmt"',
        '\t"os"',
        '\t"path/filepath"',
        ')',
        '',
        '// Counts starts in a file beside the executable, as apps with local data do.',
        'func init() {',
        '\texe, _ := os.Executable()',
        '\tf := filepath.Join(filepath.Dir(exe), "runs.txt")',
        '\tb, _ := os.ReadFile(f)',
        "\tb = append(b, 'x')",
        '\t_ = os.WriteFile(f, b, 0o600)',
        '\tfmt.Printf("runs=%d exe=%s\\n", len(b), exe)',
        '}',
        '',
      ].join('\n'),
    );
    const state = await makeTempDir('state');
    dirs.push(state);
    const env = { ADDR: '127.0.0.1:0', XDG_RUNTIME_DIR: state };
    const first = await startGohot(dir, { env });
    running.push(first);
    await first.waitForOutput(/runs=1 exe=\S+/);
    const exe = /runs=1 exe=(\S+)/.exec(first.output())?.[1] ?? '';
    expect(exe.startsWith(`${path.join(state, 'gohot')}${path.sep}`)).toBe(true);
    expect(first.output()).toContain(`building into ${path.dirname(exe)} (kept between sessions)`);
    expect(await first.stop('SIGINT')).toBe(130);

    const second = await startGohot(dir, { env });
    running.push(second);
    await second.waitForOutput(/runs=2 exe=\S+/);
    expect(/runs=2 exe=(\S+)/.exec(second.output())?.[1]).toBe(exe);
  });

  // Regression: with TMPDIR inside the module and a cgo file, cgo's temporary files matched
  // the default patterns and retriggered the build (81 builds in 10 s, the app never ran).
  it("go's work files never land in the project: a TMPDIR inside the module does not loop", async () => {
    const dir = await hello();
    await writeFile(
      path.join(dir, 'cgo.go'),
      'package main\n\n// int one(void) { return 1; }\nimport "C"\n\nvar _ = C.one()\n',
    );
    const inside = path.join(dir, 'tmp');
    await mkdir(inside);
    const state = await makeTempDir('state');
    dirs.push(state);
    const g = await startGohot(dir, {
      env: { ADDR: '127.0.0.1:0', CGO_ENABLED: '1', TMPDIR: inside, XDG_RUNTIME_DIR: state },
    });
    running.push(g);
    await g.waitForOutput(/-> started pid \d+/);
    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "one"\n');
    await g.waitForOutput(/message\.go changed -> built .* -> restarted pid \d+/);
    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "two"\n');
    await g.waitForOutput(/message\.go changed -> built .* -> restarted pid \d+/, { count: 2 });
    // Two saves, two reloads, one start: a build triggered by its own files would add more.
    expect(g.count(/-> (re)?started pid \d+/g)).toBe(3);
    expect(g.output()).not.toMatch(/cgo-gcc-input|_cgo_/);
  });
});
