import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  freePort,
  type GohotProcess,
  STARTS,
  useGohot,
  waitForBody,
} from '../helpers/gohot-cli.js';
import { makeCgoBuildHang } from '../helpers/hanging-cgo.js';
import { isAlive as isProcessAlive } from '../helpers/processes-linux.js';
import { waitFor, waitUntil } from '../helpers/wait-for.js';

/** Live processes whose command line or working directory is inside `dir` (Linux /proc). */
function processesMentioning(dir: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid || !isProcessAlive(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      // gohot itself (node) runs in the fixture too; only go and its tools count.
      if (cmdline.startsWith(process.execPath)) continue;
      if (cmdline.includes(dir) || cwd === dir || cwd.startsWith(`${dir}/`)) found.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

const { start: startGohot, fixture, tempDir } = useGohot();

function pids(g: GohotProcess, name: 'pid' | 'child'): number[] {
  return [...g.output().matchAll(new RegExp(`^${name}=(\\d+)$`, 'gm'))].map((m) => Number(m[1]));
}

describe('process hygiene (end to end)', () => {
  it('an app that ignores SIGTERM and spawns a grandchild leaves nothing behind, on restart and on exit', async () => {
    const dir = await fixture('spawns-grandchild');
    const gohot = await startGohot(dir, {
      args: ['--stop-timeout', '300ms'],
      env: { PARENT_MODE: 'ignore-term' },
    });
    await gohot.waitForOutput(/^child=\d+$/m);
    const [parent1] = pids(gohot, 'pid');
    const [child1] = pids(gohot, 'child');
    expect(isProcessAlive(parent1!)).toBe(true);
    expect(isProcessAlive(child1!)).toBe(true);

    await writeFile(path.join(dir, 'extra.go'), 'package main\n\nvar _ = 1\n');
    await gohot.waitForOutput(/^child=\d+$/m, { count: 2 });
    expect(isProcessAlive(parent1!)).toBe(false);
    expect(isProcessAlive(child1!)).toBe(false);
    const parent2 = pids(gohot, 'pid')[1]!;
    const child2 = pids(gohot, 'child')[1]!;
    expect(isProcessAlive(child2)).toBe(true);

    expect(await gohot.stop('SIGINT')).toBe(130);
    expect(isProcessAlive(parent2)).toBe(false);
    expect(isProcessAlive(child2)).toBe(false);
  });

  it('a second Ctrl-C does not wait for the grace period: it kills the app group at once', async () => {
    const dir = await fixture('ignores-sigterm');
    // A grace of an hour, far beyond any wait here: that gohot exits at all shows it did not
    // wait for it (was: 60 s grace and an exit within 10 s, a bound on a duration).
    const gohot = await startGohot(dir, { args: ['--stop-timeout', '60m'] });
    await gohot.waitForOutput(/-> started pid \d+/);
    // "ready": from now on the app really ignores SIGTERM (was: only "started pid", which
    // can come before the app has installed its handler).
    await gohot.waitForOutput(/^ready$/m);
    const pid = Number(/-> started pid (\d+)/.exec(gohot.output())![1]);
    expect(isProcessAlive(pid)).toBe(true);
    gohot.proc.kill('SIGINT');
    await gohot.waitForOutput(/press Ctrl-C again to force/);
    gohot.proc.kill('SIGINT');
    await waitUntil('gohot to exit after the second Ctrl-C', () => gohot.proc.exitCode !== null, {
      timeoutMs: 30_000,
      describe: gohot.output,
    });
    expect(await gohot.exited).toBe(130);
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('the app of a gohot killed with SIGKILL is stopped by the next gohot, which gets the port back', async () => {
    const dir = await fixture('hello-http');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const first = await startGohot(dir, { env: { ADDR: `127.0.0.1:${port}` } });
    await waitForBody(url, /hello from gohot/, first);
    // The app can answer before gohot has printed the line with its pid.
    await first.waitForOutput(/-> started pid \d+/);
    const orphan = Number(/-> started pid (\d+)/.exec(first.output())![1]);
    first.proc.kill('SIGKILL');
    await first.exited;
    // gohot could not clean up: the app still holds the port.
    expect(isProcessAlive(orphan)).toBe(true);

    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "second"\n');
    const second = await startGohot(dir, {
      env: { ADDR: `127.0.0.1:${port}`, TMPDIR: first.tmpDir },
    });
    await second.waitForOutput(new RegExp(`stopped app pid ${orphan}, left running by gohot pid`));
    await waitForBody(url, /second/, second);
    expect(isProcessAlive(orphan)).toBe(false);
  });

  it('Ctrl-C during a build kills the whole go build process group', async () => {
    const dir = await fixture('hello-http');
    // A C compiler that never returns: the cgo build hangs until gohot kills its group.
    await makeCgoBuildHang(dir);
    const g = await startGohot(dir, { args: ['-v'], env: { ADDR: '127.0.0.1:0' } });
    await g.waitForOutput(/build #1 started/);
    await waitFor(() => processesMentioning(dir).length > 0, {
      what: 'the hanging C compiler of the build',
      describe: g.output,
    });
    // Without killing the build, gohot would wait for it forever (the harness SIGKILLs it).
    expect(await g.stop('SIGINT', 10_000)).toBe(130);
    expect(g.output()).not.toMatch(/-> started pid/);
    expect(processesMentioning(dir)).toEqual([]);
  });

  it("the app's stdout reaches the terminal line by line, while it runs", async () => {
    const dir = await fixture('chatty-stdout');
    // Was: seven ticks 50 ms apart had to arrive over more than 200 ms, which a test process
    // descheduled under load does not see. Now the app prints a line only after the test
    // has seen the one before (TICK_GATE): output held back by gohot would never arrive.
    const gate = await tempDir('tick-gate');
    const gohot = await startGohot(dir, { env: { TICK_GATE: gate } });
    for (let n = 0; n < 4; n++) {
      await gohot.waitForOutput(new RegExp(`^tick ${n}$`, 'm'));
      // The gate holds: the next line does not exist yet, the app waits for this file.
      expect(gohot.output()).not.toMatch(new RegExp(`^tick ${n + 1}$`, 'm'));
      await writeFile(path.join(gate, String(n)), '');
    }
    await gohot.waitForOutput(/^tick 4$/m);
    expect(gohot.lines.filter((l) => /^tick \d+$/.test(l.text)).map((l) => l.text)).toEqual([
      'tick 0',
      'tick 1',
      'tick 2',
      'tick 3',
      'tick 4',
    ]);
    expect(gohot.proc.exitCode).toBeNull();
  });

  it('an app that exits on its own is reported once and restarted on the next change, not in a loop', async () => {
    const dir = await fixture('exits-early');
    const gohot = await startGohot(dir);
    await gohot.waitForOutput(/exited with code 3/);
    const before = gohot.output().match(/exited with code 3/g)?.length;
    expect(before).toBe(1);
    await writeFile(path.join(dir, 'extra.go'), 'package main\n');
    // The new app can exit before gohot prints its restart line: wait for both.
    await gohot.waitForOutput(STARTS, { count: 2 });
    await gohot.waitForOutput(/exited with code 3/, { count: 2 });
    expect(gohot.count(STARTS)).toBe(2);
    expect(gohot.count(/exited with code 3/)).toBe(2);
  });
});
