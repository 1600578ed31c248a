import { spawnSync } from 'node:child_process';
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, goTestEnv, makeTempDir, useGoTemps } from '../../test/helpers/fixture.js';
import { waitUntil } from '../../test/helpers/wait-for.js';
import { buildArgs, DEV_LDFLAGS, runBuild } from './build.js';
import type { BuildSpec } from './types.js';

const { goBin, temp } = useGoTemps();

function spec(over: Partial<BuildSpec> & Pick<BuildSpec, 'cwd' | 'output'>): BuildSpec {
  return {
    goBin,
    pkg: '.',
    flags: [],
    tags: [],
    ldflags: '',
    buildvcs: false,
    json: false,
    env: goTestEnv(),
    ...over,
  };
}

/** A copy of compile-error plus an output path in a separate temp dir (outside the module). */
async function setup(): Promise<{ dir: string; output: string }> {
  const dir = await temp(copyFixture('compile-error'));
  const out = await temp(makeTempDir('bin'));
  return { dir, output: join(out, 'bin', 'app') };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

interface Proc {
  pid: number;
  pgrp: number;
  state: string;
  comm: string;
  cmdline: string[];
}

/** Every process visible in /proc (ones that exit while being read are skipped). */
async function listProcs(): Promise<Proc[]> {
  const procs: Proc[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const statLine = await readFile(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
      const close = statLine.lastIndexOf(')');
      const comm = statLine.slice(statLine.indexOf('(') + 1, close);
      const [state, , pgrp] = statLine.slice(close + 2).split(' ');
      const cmdline = (await readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0');
      procs.push({ pid: Number(name), pgrp: Number(pgrp), state: state ?? '?', comm, cmdline });
    } catch {
      // Gone between readdir and read.
    }
  }
  return procs;
}

/** Live (non-zombie) processes of process group `pgid`. */
async function liveGroupMembers(pgid: number): Promise<Proc[]> {
  return (await listProcs()).filter((p) => p.pgrp === pgid && p.state !== 'Z');
}

/** Polls `probe` until it returns a value; the timeout error lists the processes. */
function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  return waitUntil(what, probe, {
    timeoutMs,
    describe: async () =>
      (await listProcs()).map((p) => `${p.pid} pgrp=${p.pgrp} ${p.state} ${p.comm}`).join('\n'),
  });
}

describe('buildArgs', () => {
  const base = spec({ cwd: '/m', output: '/tmp/out/app', pkg: './cmd/api' });
  it.each<[Partial<BuildSpec>, string[]]>([
    [{}, ['build', '-o', '/tmp/out/app', '-buildvcs=false', './cmd/api']],
    [{ buildvcs: true }, ['build', '-o', '/tmp/out/app', './cmd/api']],
    [
      { buildvcs: true, debugTrace: '/run/gohot/p/build-trace-3.json' },
      ['build', '-o', '/tmp/out/app', '-debug-trace=/run/gohot/p/build-trace-3.json', './cmd/api'],
    ],
    [
      { tags: ['dev', 'sqlite'], ldflags: DEV_LDFLAGS, json: true, flags: ['-race', '-trimpath'] },
      [
        'build',
        '-o',
        '/tmp/out/app',
        '-buildvcs=false',
        '-tags',
        'dev,sqlite',
        '-ldflags',
        '-s -w',
        '-json',
        '-race',
        '-trimpath',
        './cmd/api',
      ],
    ],
  ])('%j', (over, expected) => {
    expect(buildArgs({ ...base, ...over })).toEqual(expected);
  });
});

describe('runBuild', () => {
  it.each([false, true])('builds a runnable executable (json=%s)', async (json) => {
    const { dir, output } = await setup();
    const r = await runBuild(spec({ cwd: dir, output, json, ldflags: DEV_LDFLAGS }));
    expect(r).toMatchObject({ status: 'ok', output });
    expect(r.durationMs).toBeGreaterThan(0);
    expect((await stat(output)).mode & 0o111).not.toBe(0);
    const run = spawnSync(output, [], { encoding: 'utf8' });
    expect(run.stdout).toBe('hello, gohot\n');
  });

  it.each([false, true])(
    'returns diagnostics for an error in a dependency package (json=%s)',
    async (json) => {
      const { dir, output } = await setup();
      const lib = join(dir, 'lib', 'lib.go');
      await writeFile(lib, (await readFile(lib, 'utf8')).replace('"hello, " + name', '1'));
      const r = await runBuild(spec({ cwd: dir, output, json }));
      if (r.status !== 'failed') throw new Error(`expected failed, got ${JSON.stringify(r)}`);
      expect(r.exitCode).toBe(1);
      expect(r.diagnostics).toEqual([
        {
          file: lib,
          line: 6,
          column: 9,
          message: 'cannot use 1 (untyped int constant) as string value in return statement',
          importPath: 'example.com/compileerror/lib',
        },
      ]);
      // Text is what the go command would print, in both modes (no JSON events).
      expect(r.text).toBe(
        '# example.com/compileerror/lib\n' +
          'lib/lib.go:6:9: cannot use 1 (untyped int constant) as string value in return statement\n',
      );
      expect(await exists(output)).toBe(false);
    },
  );

  it.each([false, true])(
    'with progress (-v), names each package compiled and keeps those names out of the errors (json=%s)',
    async (json) => {
      const { dir, output } = await setup();
      const main = join(dir, 'main.go');
      await writeFile(main, `${await readFile(main, 'utf8')}\nvar _ int = "x"\n`);
      const lib = join(dir, 'lib', 'lib.go');
      // A changed lib is compiled again, whatever the build cache holds.
      await writeFile(lib, `${await readFile(lib, 'utf8')}\nvar Edited = ${Date.now()}\n`);
      const compiled: string[] = [];
      const r = await runBuild(spec({ cwd: dir, output, json, progress: true }), undefined, (p) =>
        compiled.push(p),
      );
      if (r.status !== 'failed') throw new Error(`expected failed, got ${JSON.stringify(r)}`);
      expect(compiled).toContain('example.com/compileerror/lib');
      expect(r.diagnostics.map((d) => [d.importPath, d.line])).toEqual([
        ['example.com/compileerror', 14],
      ]);
      expect(r.text).not.toMatch(/^example\.com\/compileerror(\/lib)?$/m);
      expect(r.text).toMatch(/^# example\.com\/compileerror\n/);
    },
  );

  it.each([false, true])(
    'reports a multi-line have/want message in the main package (json=%s)',
    async (json) => {
      const { dir, output } = await setup();
      await writeFile(
        join(dir, 'main.go'),
        'package main\n\nfunc f(a, b int) {}\n\nfunc main() {\n\tf(1)\n}\n',
      );
      const r = await runBuild(spec({ cwd: dir, output, json }));
      if (r.status !== 'failed') throw new Error(`expected failed, got ${JSON.stringify(r)}`);
      expect(r.diagnostics).toEqual([
        {
          file: join(dir, 'main.go'),
          line: 6,
          column: 4,
          message: 'not enough arguments in call to f\n\thave (number)\n\twant (int, int)',
          importPath: 'example.com/compileerror',
        },
      ]);
    },
  );

  it('keeps fatal plain-text errors in -json mode (broken go.mod)', async () => {
    const { dir, output } = await setup();
    await writeFile(join(dir, 'go.mod'), 'module example.com/compileerror\n\ngo 1.21\n\nbogus x\n');
    const r = await runBuild(spec({ cwd: dir, output, json: true }));
    if (r.status !== 'failed') throw new Error(`expected failed, got ${JSON.stringify(r)}`);
    expect(r.text).toContain('go: errors parsing go.mod:');
    expect(r.diagnostics).toContainEqual({
      file: join(dir, 'go.mod'),
      line: 5,
      column: undefined,
      message: 'unknown directive: bogus',
      importPath: undefined,
    });
  });

  // Regression: go build -o of a library succeeds and writes an archive; calling that 'ok'
  // stopped the running app and failed to start the archive.
  it('a package that is not main is a failed build, not a program', async () => {
    const { dir, output } = await setup();
    const r = await runBuild(spec({ cwd: dir, output, pkg: './lib' }));
    expect(r.status).toBe('failed');
    if (r.status === 'failed') expect(r.text).toMatch(/\.\/lib is not package main/);
  });

  it('returns failed with the reason when go cannot be started', async () => {
    const { dir, output } = await setup();
    const r = await runBuild(spec({ cwd: dir, output, goBin: join(dir, 'no-such-go') }));
    if (r.status !== 'failed') throw new Error(`expected failed, got ${JSON.stringify(r)}`);
    expect(r.exitCode).toBeNull();
    expect(r.text).toContain('no-such-go was not found');
    expect(r.diagnostics[0]?.message).toContain('GOHOT_GO');
  });

  it('returns cancelled without starting go when already aborted', async () => {
    const { dir, output } = await setup();
    const r = await runBuild(spec({ cwd: dir, output }), AbortSignal.abort('superseded: a.go'));
    expect(r).toMatchObject({ status: 'cancelled', reason: 'superseded: a.go' });
    expect(await exists(output)).toBe(false);
  });

  it.each([false, true])(
    'abort mid-compile kills go and its compile children and returns cancelled (json=%s)',
    async (json) => {
      const { dir, output } = await setup();
      // An empty build cache makes go compile the standard library: seconds of work,
      // so the abort lands while compile processes are running.
      const cache = await temp(makeTempDir('gocache'));
      const ac = new AbortController();
      const pending = runBuild(
        spec({ cwd: dir, output, json, env: goTestEnv({ GOCACHE: cache }) }),
        ac.signal,
      );
      const leader = await waitFor('the go build process', async () =>
        (await listProcs()).find((p) => p.cmdline.includes(output) && p.pid === p.pgrp),
      );
      await waitFor('a compile process in the build group', async () =>
        (await listProcs()).find((p) => p.pgrp === leader.pid && p.comm === 'compile'),
      );
      const reason = new Error('superseded: main.go changed');
      ac.abort(reason);
      const r = await pending;
      expect(r.status).toBe('cancelled');
      // The caller can say why: the reason of the abort, as given.
      if (r.status === 'cancelled') expect(r.reason).toBe(reason);
      // Regression: compile children write to go's pipes, not ours, so waiting for our
      // pipes to close returned while a killed compile was still exiting (state R).
      expect(await liveGroupMembers(leader.pid)).toEqual([]);
      expect(await exists(output)).toBe(false);
    },
  );

  it('never returns ok for an aborted build, and kills grandchildren of go', async () => {
    // A stand-in for go that exits 0 at once but leaves a grandchild holding its stdout:
    // the build has "succeeded" when the abort arrives, and the grandchild must die too.
    const dir = await temp(makeTempDir('fakego'));
    const fake = join(dir, 'go');
    const pidFile = join(dir, 'pid');
    await writeFile(fake, `#!/bin/sh\necho $$ > '${pidFile}'\nsleep 300 &\nexit 0\n`);
    await chmod(fake, 0o755);
    const ac = new AbortController();
    const pending = runBuild(spec({ cwd: dir, output: join(dir, 'out'), goBin: fake }), ac.signal);
    const pgid = await waitFor('the fake go to write its pid', async () => {
      const text = await readFile(pidFile, 'utf8').catch(() => '');
      return text.endsWith('\n') ? Number(text) : undefined;
    });
    await waitFor('the fake go to exit, leaving only sleep in its group', async () => {
      const live = await liveGroupMembers(pgid);
      return live.length === 1 && live[0]?.comm === 'sleep' ? live : undefined;
    });
    ac.abort();
    const r = await pending;
    expect(r.status).toBe('cancelled');
    expect(await liveGroupMembers(pgid)).toEqual([]);
  });
});
