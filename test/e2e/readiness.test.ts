import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  builtBy,
  freePort,
  type GohotProcess,
  reloadedBy,
  STARTS,
  useGohot,
  waitForBody,
} from '../helpers/gohot-cli.js';

const { start: startGohot, fixture, tempDir } = useGohot();

/** Where in the output `pattern` first matches; fails when it does not. */
function indexOf(g: GohotProcess, pattern: RegExp): number {
  const at = g.output().search(pattern);
  expect(at, `${pattern} in:\n${g.output()}`).toBeGreaterThanOrEqual(0);
  return at;
}

/** A (re)start line that reports the app ready after a check. */
const READY = /-> (re)?started pid \d+ \((stop \d[^,]*, )?start [^,]+, ready \d/;

describe('readiness and timings (end to end, real go toolchain)', () => {
  it('--ready-url: the reload line reports ready only after the app answers', async () => {
    const dir = await fixture('slow-start');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(dir, {
      args: ['--ready-url', url],
      env: { ADDR: `127.0.0.1:${port}` },
    });
    await g.waitForOutput(READY);
    // The app prints "listening on" before it listens: ready can only be said after it.
    expect(indexOf(g, /listening on/)).toBeLessThan(indexOf(g, READY));
    expect(indexOf(g, /^starting$/m)).toBeLessThan(indexOf(g, /listening on/));

    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "edited"\n');
    await g.waitForOutput(reloadedBy(/message\.go changed/));
    await waitForBody(url, /edited/, g);
    const line = g.lines.find((l) => builtBy(/message\.go changed/).test(l.text))!.text;
    // Where the time went: the stop of the old app, the start, ready, and the wait before.
    expect(line).toMatch(
      /restarted pid \d+ \(stop [\d.]+ m?s, start [\d.]+ m?s, ready [\d.]+ m?s; waited [\d.]+ m?s\)$/,
    );
    expect(g.count(/listening on/)).toBe(2);
  });

  it('--ready-log: ready at the app line that matches; its output still reaches the terminal', async () => {
    const dir = await fixture('slow-start');
    const port = await freePort();
    const g = await startGohot(dir, {
      args: ['--ready-log', '^listening on \\S+$'],
      env: { ADDR: `127.0.0.1:${port}` },
    });
    await g.waitForOutput(READY);
    expect(indexOf(g, /^starting$/m)).toBeLessThan(indexOf(g, /^listening on /m));
    expect(indexOf(g, /^listening on /m)).toBeLessThan(indexOf(g, READY));
  });

  it('an app that exits before it is ready is reported as a crash, never as ready', async () => {
    const dir = await fixture('exits-early');
    const port = await freePort();
    const g = await startGohot(dir, { args: ['--ready-tcp', `127.0.0.1:${port}`] });
    await g.waitForOutput(/-> started pid \d+ \(start [^,]+, exited before it was ready\)/);
    await g.waitForOutput(/app \(pid \d+\) exited with code 3/);
    expect(g.count(/ready \d/)).toBe(0);
  });

  it('on Ctrl-C, a summary counts the reloads and the restarts avoided, by reason', async () => {
    const dir = await fixture('hello-http');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(dir, { env: { ADDR: `127.0.0.1:${port}` } });
    await waitForBody(url, /hello from gohot/, g);
    // A comment edit is told apart once go list has named the files the binary is built from.
    await g.waitForOutput(/go list: built from \d+ packages/);
    await g.waitForOutput(STARTS);
    const messageFile = path.join(dir, 'message.go');
    await writeFile(messageFile, 'package main\n\n// message is the body.\nconst message = "v2"\n');
    await waitForBody(url, /v2/, g);
    await g.waitForOutput(reloadedBy(/message\.go changed/));
    await writeFile(
      messageFile,
      'package main\n\n// message is what it serves.\nconst message = "v2"\n',
    );
    await g.waitForOutput(/message\.go: not rebuilt, only comments or white space changed/);

    expect(await g.stop('SIGINT')).toBe(130);
    expect(g.output()).toMatch(
      /summary: 1 reload, 2 builds( \(1 cancelled\))?; 1 restart avoided \(1 comment-only\)\n.*timings: build median [\d.]+ m?s, p90 [\d.]+ m?s; save to ready median [\d.]+ m?s, p90 [\d.]+ m?s/,
    );
    expect(indexOf(g, /stopping \(/)).toBeLessThan(indexOf(g, /summary: /));
  });

  it('a long build shows its progress before it finishes', async () => {
    // A fresh build cache: the standard library packages the app needs are compiled too.
    const cache = await tempDir('gocache');
    const dir = await fixture('exits-early');
    const g = await startGohot(dir, {
      env: { GOCACHE: cache, GOHOT_PROGRESS_AFTER: '0' },
    });
    await g.waitForOutput(/initial build -> built /, { timeoutMs: 200_000 });
    const progress = /building: [1-9]\d*(\/\d+)? packages compiled \([\d.]+ m?s\)/;
    expect(indexOf(g, progress)).toBeLessThan(indexOf(g, /initial build -> built /));
  });
});
