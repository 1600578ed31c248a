import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// bench/compare.mjs --smoke: small project, gohot only, one edit per scenario, no peers and
// no network. The bench is not a test; this keeps it from rotting. Nothing here depends on
// how fast the machine is: only the shape of the result and gohot's exact counts.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = mkdtempSync(path.join(os.tmpdir(), 'gohot-bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Stats {
  readonly n: number;
  readonly median: number | null;
  readonly p90: number | null;
}

describe('bench/compare.mjs --smoke', () => {
  it('measures every section and counts gohot builds/restarts exactly', {
    timeout: 900_000,
  }, async () => {
    const child = spawn(
      process.execPath,
      [path.join(repo, 'bench/compare.mjs'), '--smoke', '--out', out],
      {
        cwd: repo,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);

    const res = JSON.parse(readFileSync(path.join(out, 'compare-smoke.json'), 'utf8'));
    const small = res.latency.small as Record<string, Stats>;
    for (const variant of ['floor -s -w', 'gohot -v (traced)']) {
      expect(small[variant]?.n, variant).toBe(4);
      expect(small[variant]?.median, variant).toBeGreaterThan(0);
      expect(small[variant]?.p90, variant).toBeGreaterThan(0);
    }
    expect(res.stageMedians.small.buildStart).toBeGreaterThan(0);
    // The floor script reports its build and its restart; each comes after the one before.
    const floor = res.floorStages.small;
    expect(floor.builtMs).toBeGreaterThan(0);
    expect(floor.startedMs).toBeGreaterThanOrEqual(floor.builtMs);
    expect(floor.ms).toBeGreaterThanOrEqual(floor.startedMs);
    const minus = res.minusFloorSW.small;
    expect(minus['floor -s -w']).toEqual({ medianMs: 0, p90Ms: 0 });
    expect(minus['gohot -v (traced)'].medianMs).toBe(
      small['gohot -v (traced)']!.median! - small['floor -s -w']!.median!,
    );
    // The CPU-hog section is not part of the smoke run: no hog may have been started.
    expect(res.hog).toBeUndefined();

    const waste = res.wasted.gohot as Record<
      string,
      { builds: number; restarts: number; missed: boolean }
    >;
    const order = [
      'comment',
      'test',
      'outside',
      'noop',
      'touch',
      'checkout',
      'editor save',
      'asset',
    ];
    // The checkout's build counts exactly one restart and serves the checked-out state. Its
    // go invocations are 1, or 2 when a busy machine let the build start while git still
    // wrote, it read a half-written file and was built again (regression: that failure used
    // to stay, and the checkout was never served).
    const exact = order.filter((k) => k !== 'checkout');
    const expected: Record<string, number> = { 'editor save': 1, asset: 1 };
    expect(exact.map((k) => waste[k]?.builds)).toEqual(exact.map((k) => expected[k] ?? 0));
    expect(order.map((k) => waste[k]?.restarts)).toEqual(
      order.map((k) => expected[k] ?? (k === 'checkout' ? 1 : 0)),
    );
    expect(order.filter((k) => waste[k]?.missed)).toEqual([]);
    expect([1, 2]).toContain(waste.checkout?.builds);

    expect(res.startup[0]).toMatchObject({ tool: 'gohot', size: 'small' });
    expect(res.startup[0].servesMs).toBeGreaterThan(0);
    expect(res.startup[0].hwmMB).toBeGreaterThan(0);
    expect(res.startup[0].inotifyWatches).toBeGreaterThan(0);
    expect(res.bareWalk[0]).toMatchObject({ size: 'small', files: res.startup[0].files });
    expect(res.bareWalk[0].readyMs).toBeGreaterThan(0);
    expect(res.bareWalk[0].inotifyWatches).toBe(res.bareWalk[0].dirs);
    expect(res.startup[0].watcherReadyToBareWalk).toBe(
      res.startup[0].watcherReadyMs / res.bareWalk[0].readyMs,
    );
    expect(res.idle.gohot.native.cpuS).toBeGreaterThanOrEqual(0);
    expect(res.missed.gohot).toEqual({ trials: 1, failures: 0 });
    expect(readFileSync(path.join(out, 'compare-smoke.svg'), 'utf8')).toMatch(
      /^<svg [\s\S]*<\/svg>\n$/,
    );
    expect(readFileSync(path.join(out, 'compare-smoke.md'), 'utf8')).toMatch(
      /\| gohot \| 0 \/ 0 \|/,
    );
    expect(readFileSync(path.join(out, 'compare-smoke.md'), 'utf8')).toMatch(
      /\| small \(\d+ files\) \| bare fs\.watch walk \|/,
    );
  });
});
