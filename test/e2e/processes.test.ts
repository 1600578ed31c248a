import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/run/proc-linux.js';
import { waitFor } from '../helpers/wait-for.js';

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

import { copyFixture } from '../helpers/fixture.js';
import { freePort, type GohotProcess, startGohot, waitForBody } from '../helpers/gohot-cli.js';

const running: GohotProcess[] = [];
afterEach(async () => {
  for (const g of running.splice(0)) await g.stop('SIGKILL');
});

function pids(g: GohotProcess, name: 'pid' | 'child'): number[] {
  return [...g.output().matchAll(new RegExp(`^${name}=(\\d+)$`, 'gm'))].map((m) => Number(m[1]));
}

describe('process hygiene (end to end)', () => {
  it('an app that ignores SIGTERM and spawns a grandchild leaves nothing behind, on restart and on exit', async () => {
    const dir = await copyFixture('spawns-grandchild');
    const gohot = await startGohot(dir, ['--stop-timeout', '300ms'], {
      PARENT_MODE: 'ignore-term',
    });
    running.push(gohot);
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
    const dir = await copyFixture('ignores-sigterm');
    const gohot = await startGohot(dir, ['--stop-timeout', '60s']);
    running.push(gohot);
    await gohot.waitForOutput(/-> started pid (\d+)/);
    const pid = Number(/-> started pid (\d+)/.exec(gohot.output())![1]);
    expect(isProcessAlive(pid)).toBe(true);
    gohot.proc.kill('SIGINT');
    await gohot.waitForOutput(/press Ctrl-C again to force/);
    const forcedAt = performance.now();
    gohot.proc.kill('SIGINT');
    expect(await gohot.exited).toBe(130);
    // Far below the 60 s grace: the force path does not wait for it.
    expect(performance.now() - forcedAt).toBeLessThan(10_000);
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('the app of a gohot killed with SIGKILL is stopped by the next gohot, which gets the port back', async () => {
    const dir = await copyFixture('hello-http');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const first = await startGohot(dir, [], { ADDR: `127.0.0.1:${port}` });
    running.push(first);
    await waitForBody(url, /hello from gohot/, first);
    const orphan = Number(/-> started pid (\d+)/.exec(first.output())![1]);
    first.proc.kill('SIGKILL');
    await first.exited;
    // gohot could not clean up: the app still holds the port.
    expect(isProcessAlive(orphan)).toBe(true);

    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "second"\n');
    const second = await startGohot(dir, [], { ADDR: `127.0.0.1:${port}`, TMPDIR: first.tmpDir });
    running.push(second);
    await second.waitForOutput(new RegExp(`stopped app pid ${orphan}, left running by gohot pid`));
    await waitForBody(url, /second/, second);
    expect(isProcessAlive(orphan)).toBe(false);
  });

  it('Ctrl-C during a build kills the whole go build process group', async () => {
    const dir = await copyFixture('hello-http');
    // A C compiler that never returns: the cgo build hangs until gohot kills its group.
    const hangingCc = path.join(dir, 'hang-cc');
    await writeFile(hangingCc, `#!/bin/sh\ncd '${dir}' && exec sleep 600\n`, { mode: 0o755 });
    await writeFile(
      path.join(dir, 'cgo.go'),
      'package main\n\n// int one(void) { return 1; }\nimport "C"\n',
    );
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({ build: { env: { CGO_ENABLED: '1', CC: hangingCc } } }),
    );
    const g = await startGohot(dir, ['-v'], { ADDR: '127.0.0.1:0' });
    running.push(g);
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
    const dir = await copyFixture('chatty-stdout');
    const gohot = await startGohot(dir);
    running.push(gohot);
    await gohot.waitForOutput(/^tick 6$/m);
    const ticks = gohot.lines.filter((l) => /^tick \d+$/.test(l.text));
    // Ticks are 50 ms apart in the app: if output were buffered until exit (or in blocks),
    // they would arrive together. Seven lines must span at least ~200 ms of arrival time.
    expect(ticks.length).toBeGreaterThanOrEqual(7);
    expect(ticks[6]!.atMs - ticks[0]!.atMs).toBeGreaterThan(200);
    expect(gohot.proc.exitCode).toBeNull();
  });

  it('an app that exits on its own is reported once and restarted on the next change, not in a loop', async () => {
    const dir = await copyFixture('exits-early');
    const gohot = await startGohot(dir);
    running.push(gohot);
    await gohot.waitForOutput(/exited with code 3/);
    const before = gohot.output().match(/exited with code 3/g)?.length;
    expect(before).toBe(1);
    await writeFile(path.join(dir, 'extra.go'), 'package main\n');
    await gohot.waitForOutput(/exited with code 3/, { count: 2 });
    expect(gohot.output().match(/-> (re)?started pid/g)).toHaveLength(2);
  });
});
