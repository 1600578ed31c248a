import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromeTraceProblems } from '../helpers/chrome-trace.js';
import { eventSchemaErrors } from '../helpers/event-schema.js';
import {
  freePort,
  type GohotProcess,
  reloadedBy,
  STARTS,
  useGohot,
  waitForBody,
} from '../helpers/gohot-cli.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start: startGohot, fixture, tempDir } = useGohot();

type Line = { type: string; time: number } & Record<string, unknown>;
const parseNdjson = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);

/** `want` appears in `types` in this order (other types may come between). */
function subsequenceGap(types: readonly string[], want: readonly string[]): string | undefined {
  let at = 0;
  for (const w of want) {
    const found = types.indexOf(w, at);
    if (found === -1) return `${w} (after ${want.slice(0, want.indexOf(w)).join(', ')})`;
    at = found + 1;
  }
  return undefined;
}

/** The type of an event, with stage and action for decisions ("decision:build/restart"). */
const kind = (e: Line) => (e.type === 'decision' ? `decision:${e.stage}/${e.action}` : e.type);

async function helloWith(args: string[]) {
  const dir = await fixture('hello-http');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const gohot = await startGohot(dir, { args, env: { ADDR: `127.0.0.1:${port}` } });
  await waitForBody(url, /hello from gohot/, gohot);
  return { dir, url, gohot, messageFile: path.join(dir, 'message.go') };
}

/** gohot's stdout alone (the helper's output() has stdout and stderr together). */
function stdoutOf(gohot: GohotProcess): () => string {
  let out = '';
  gohot.proc.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  return () => out;
}

describe('--trace (end to end)', () => {
  it('an NDJSON trace holds the header and every stage of a reload, in order', async () => {
    const file = path.join(await tempDir('trace'), 'trace.ndjson');
    const { url, gohot, messageFile } = await helloWith(['--trace', file]);
    await gohot.waitForOutput(STARTS);
    await writeFile(messageFile, 'package main\n\nconst message = "traced"\n');
    await waitForBody(url, /traced/, gohot);
    await gohot.waitForOutput(reloadedBy(/message\.go changed/));
    expect(await gohot.stop('SIGINT')).toBe(130);

    const lines = parseNdjson(readFileSync(file, 'utf8'));
    const validate = eventSchemaErrors();
    expect(lines.map(validate).filter(Boolean)).toEqual([]);
    const [header, ...events] = lines;
    expect(header).toMatchObject({ type: 'header', schemaVersion: 1 });
    // Monotonic times, anchored to the wall clock by the header.
    const times = events.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Number(header!.wallClockMs)).toBeGreaterThan(Date.parse('2020-01-01'));

    const types = events.map(kind);
    expect(
      subsequenceGap(types, [
        'watcher-started',
        'started',
        'decision:schedule/queue',
        'decision:schedule/start',
        'build-started',
        'build-trace',
        'build-finished',
        'decision:build/restart',
        'reloaded',
        'decision:schedule/finish',
      ]),
    ).toBeUndefined();
    expect(subsequenceGap(types, ['model-list-started', 'model-listed'])).toBeUndefined();

    // The reload of the edit: from the change the watcher saw to the restart.
    const edit = events.findIndex(
      (e) =>
        e.type === 'changes-observed' &&
        (e.changes as { path: string }[]).some((c) => c.path === messageFile),
    );
    expect(edit).toBeGreaterThan(-1);
    const reload = types.slice(edit);
    expect(
      subsequenceGap(reload, [
        'changes-observed',
        'decision:classify/rebuild',
        'decision:schedule/queue',
        'decision:schedule/start',
        'build-started',
        'build-trace',
        'build-finished',
        'decision:build/restart',
        'reloaded',
        'decision:schedule/finish',
        'stopping',
        'watcher-stopped',
      ]),
    ).toBeUndefined();
    const classified = events.slice(edit).find((e) => kind(e) === 'decision:classify/rebuild');
    expect(classified).toMatchObject({ path: messageFile, reason: { by: 'package-source' } });
  });

  it('a Chrome trace is valid and shows go build package loading, compile and link under the build span', async () => {
    const file = path.join(await tempDir('trace'), 'trace.json');
    const { url, gohot, messageFile } = await helloWith([
      '--trace',
      file,
      '--trace-format',
      'chrome',
    ]);
    await gohot.waitForOutput(STARTS);
    await writeFile(messageFile, 'package main\n\nconst message = "in perfetto"\n');
    await waitForBody(url, /in perfetto/, gohot);
    await gohot.waitForOutput(reloadedBy(/message\.go changed/));
    expect(await gohot.stop('SIGTERM')).toBe(143);

    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(chromeTraceProblems(doc)).toEqual([]);
    type Ev = { name: string; ph: string; ts: number; dur: number; tid: number };
    const events = doc.traceEvents as Ev[];
    // The rebuild of the edit: the last build (start-up may have cancelled one before it).
    const build = events.filter((e) => e.ph === 'X' && /^build #\d+ built$/.test(e.name)).at(-1);
    expect(build, JSON.stringify(events.filter((e) => e.tid < 100))).toBeDefined();
    const inside = events.filter(
      (e) => e.tid >= 100 && e.ts >= build!.ts && e.ts + e.dur <= build!.ts + build!.dur,
    );
    const names = inside.map((e) => e.name);
    expect(names).toContain('Running build command');
    expect(names.some((n) => n.startsWith('load.'))).toBe(true);
    expect(names).toContain('Executing action (build example.com/hello-http)');
    expect(names.some((n) => n.startsWith('Executing action (link-install'))).toBe(true);
    // One track per stage, named.
    const tracks = events.filter((e) => e.name === 'thread_name').map((e) => JSON.stringify(e));
    for (const t of ['watch', 'classify', 'schedule', 'model', 'build', 'run']) {
      expect(tracks.some((m) => m.includes(`"name":"${t}"`))).toBe(true);
    }
  });
});

describe('--trace refuses an unsafe path (end to end)', () => {
  it('a symlink at the trace path is refused at start-up and its target left alone', async () => {
    const dir = await fixture('hello-http');
    const shared = await tempDir('shared-tmp');
    const target = path.join(shared, 'precious');
    writeFileSync(target, 'keep me');
    symlinkSync(target, path.join(shared, 'trace.json'));
    const gohot = await startGohot(dir, { args: ['--trace', path.join(shared, 'trace.json')] });
    expect(await gohot.exited).toBe(1);
    expect(gohot.output()).toMatch(
      /will not write its trace to .*trace\.json: it is a symbolic link/,
    );
    expect(readFileSync(target, 'utf8')).toBe('keep me');
  });
});

describe('--reporter json (end to end)', () => {
  const validate = eventSchemaErrors();
  const waitForEvent = (out: () => string, gohot: GohotProcess, match: (e: Line) => boolean) =>
    waitUntil('an event in gohot --reporter json', () => parseNdjson(out()).find(match), {
      timeoutMs: 90_000,
      intervalMs: 20,
      describe: () => gohot.output(),
    });
  const checkAll = (out: string) => {
    const lines = parseNdjson(out);
    expect(lines[0]).toMatchObject({ type: 'header' });
    expect(lines.map(validate).filter(Boolean)).toEqual([]);
    return lines;
  };

  it('a reload and a skipped change are events on stdout; the app writes to stderr', async () => {
    const dir = await fixture('hello-http');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const gohot = await startGohot(dir, {
      args: ['--reporter', 'json'],
      env: { ADDR: `127.0.0.1:${port}` },
    });
    const out = stdoutOf(gohot);
    await waitForBody(url, /hello from gohot/, gohot);
    await waitForEvent(out, gohot, (e) => e.type === 'model-listed');
    const messageFile = path.join(dir, 'message.go');
    await writeFile(messageFile, 'package main\n\nconst message = "json"\n');
    await waitForEvent(out, gohot, (e) => e.type === 'reloaded' && e.first === false);
    // Comments only: nothing to build, and the stream says why (the next decision about it).
    const aboutMessage = (e: Line) =>
      e.type === 'decision' && e.stage === 'classify' && e.path === messageFile;
    const seen = parseNdjson(out()).filter(aboutMessage).length;
    await writeFile(messageFile, 'package main\n\nconst message = "json" // a comment\n');
    // The decision that only a comment edit produces; on a busy machine the first write can
    // still be decided twice (seen half-written, then whole) after `seen` was counted.
    const skipped = await waitUntil(
      'the classification of the comment edit',
      () =>
        parseNdjson(out())
          .filter(aboutMessage)
          .slice(seen)
          .find((e) => (e.reason as { by?: string } | null)?.by === 'comments-only'),
      { timeoutMs: 90_000, intervalMs: 20, describe: () => gohot.output() },
    );
    await gohot.stop('SIGINT');

    expect(skipped).toMatchObject({ action: 'ignore', reason: { by: 'comments-only' } });
    const lines = checkAll(out());
    const reloaded = lines.find((e) => e.type === 'reloaded' && e.first === false);
    // Which generation depends on how the start-up cycles fell (one may be superseded).
    expect(reloaded).toMatchObject({ files: [messageFile], pid: expect.any(Number) });
    expect(reloaded!.generation).toBeGreaterThan(1);
    // The app's "listening on" line is not in the stream: it went to stderr.
    expect(gohot.output()).toMatch(/listening on/);
    expect(out()).not.toMatch(/listening on/);
  });

  it('a failed build carries file, line, column and message for an editor', async () => {
    const dir = await fixture('compile-error');
    const gohot = await startGohot(dir, { args: ['--reporter', 'json'] });
    const out = stdoutOf(gohot);
    await waitForEvent(out, gohot, (e) => e.type === 'reloaded');
    const lib = path.join(dir, 'lib', 'lib.go');
    await writeFile(
      lib,
      'package lib\n\n// Greeting returns a greeting for name.\nfunc Greeting(name string) string {\n\treturn undefinedThing + name\n}\n',
    );
    const failed = await waitForEvent(out, gohot, (e) => e.type === 'build-failed');
    await gohot.stop('SIGINT');
    checkAll(out());
    expect(failed.diagnostics).toEqual([
      expect.objectContaining({
        file: lib,
        line: 5,
        column: 9,
        message: 'undefined: undefinedThing',
      }),
    ]);
  });

  it('an app that crashes is an app-exited event with its exit code', async () => {
    const dir = await fixture('exits-early');
    const gohot = await startGohot(dir, { args: ['--reporter', 'json'] });
    const out = stdoutOf(gohot);
    const exited = await waitForEvent(out, gohot, (e) => e.type === 'app-exited');
    await gohot.stop('SIGINT');
    checkAll(out());
    expect(exited).toMatchObject({ end: { kind: 'exited', code: 3, signal: null } });
    expect(gohot.output()).toMatch(/exits-early: giving up/);
    expect(out()).not.toMatch(/giving up/);
  });
});
