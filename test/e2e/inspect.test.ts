import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { InspectDocument } from '../../src/inspect/inspect-report.js';
import { CLI, type GohotProcess, reloadedBy, useGohot } from '../helpers/gohot-cli.js';
import { parseDot, parseMermaid } from '../helpers/graph-formats.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start: startGohot, fixture, tempDir } = useGohot();
const run = promisify(execFile);

/** Runs `gohot inspect <args>` to the end; `runtimeDir` is the XDG_RUNTIME_DIR it looks in. */
async function inspect(cwd: string, runtimeDir: string, args: readonly string[] = []) {
  const { stdout } = await run(process.execPath, [CLI, 'inspect', ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      GOTOOLCHAIN: 'local',
      TMPDIR: runtimeDir,
      XDG_RUNTIME_DIR: runtimeDir,
    },
  });
  return stdout;
}

async function inspectJson(cwd: string, runtimeDir: string, args: readonly string[] = []) {
  return JSON.parse(await inspect(cwd, runtimeDir, ['--json', ...args])) as InspectDocument;
}

const edgeSet = (doc: InspectDocument) =>
  new Set(doc.graph!.edges.map((e) => `${e.from} -> ${e.to}`));
const nodeSet = (doc: InspectDocument) => new Set(doc.graph!.nodes.map((n) => n.importPath));

/** The control sockets below a gohot's state directory ($XDG_RUNTIME_DIR/gohot/ctl). */
function sockets(runtimeDir: string): string[] {
  const dir = path.join(runtimeDir, 'gohot', 'ctl');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((n) => path.join(dir, n));
}

/** The socket of `g`, once it listens. */
function socketOf(g: GohotProcess): Promise<string> {
  const pid = g.proc.pid!;
  return waitUntil(
    `the control socket of gohot pid ${pid}`,
    () => sockets(g.tmpDir).find((s) => s.endsWith(`-${pid}.sock`)),
    { describe: g.output },
  );
}

/** Connects to `socket` as the user nobody; resolves with the error code, or "connected". */
async function connectAsNobody(socket: string): Promise<string> {
  const script = `const c = require('node:net').connect(process.argv[1]);
c.on('connect', () => { console.log('connected'); c.destroy(); });
c.on('error', (e) => console.log(e.code));`;
  const child = spawn(
    'setpriv',
    ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', script, socket],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`setpriv (util-linux) is needed: ${err}`)));
    child.on('exit', resolve);
  });
  expect(code, out).toBe(0);
  return out.trim();
}

describe('gohot inspect without a running gohot (end to end)', () => {
  it('go-aware: the workspace root, the five editable packages, their imports and embeds', async () => {
    const ws = await fixture('go-aware');
    const rt = await tempDir('inspect-rt');
    const doc = await inspectJson(path.join(ws, 'app'), rt);
    expect(doc.source).toEqual({ kind: 'computed' });
    expect(doc.main).toMatchObject({ importPath: 'example.com/app', relPath: '.' });
    expect(doc.workFile).toBe(path.join(ws, 'go.work'));
    expect(doc.roots).toEqual([
      expect.objectContaining({
        root: ws,
        backend: 'native',
        reason: expect.objectContaining({ by: 'fs' }),
      }),
    ]);
    expect(doc.graph!.nodes.map((n) => [n.importPath, n.origin, n.main])).toEqual([
      ['example.com/app', 'main-module', true],
      ['example.com/app/platform', 'main-module', false],
      ['example.com/app/web', 'main-module', false],
      ['example.com/lib', 'local-replace', false],
      ['example.com/sibling', 'main-module', false],
    ]);
    expect(edgeSet(doc)).toEqual(
      new Set([
        'example.com/app -> example.com/app/platform',
        'example.com/app -> example.com/app/web',
        'example.com/app -> example.com/lib',
        'example.com/app -> example.com/sibling',
      ]),
    );
    // cmd/other is a main package of its own and internal/broken is imported by nobody.
    expect(nodeSet(doc).has('example.com/app/cmd/other')).toBe(false);
    expect(doc.embedFiles).toEqual(
      ['web/static/hello.txt', 'web/static/style.css', 'web/templates/page.html'].map((f) =>
        path.join(ws, 'app', f),
      ),
    );
    expect(doc.patterns).toContain('**/*.go');
    expect(doc.walkedDirs).toBeGreaterThan(0);
    // Native root: one predicted watch per walked directory.
    expect(doc.watchedDirs).toBe(doc.walkedDirs);
    expect(doc.inotify).toMatchObject({ kind: 'predicted', watches: doc.walkedDirs });
    expect(doc.trackedFiles).toBe(doc.hotFiles + doc.coldFiles);
    expect(doc.reloads).toEqual([]);
  });

  it('go-aware: the Mermaid and DOT outputs describe the same graph as the JSON', async () => {
    const ws = await fixture('go-aware');
    const rt = await tempDir('inspect-rt');
    const app = path.join(ws, 'app');
    const doc = await inspectJson(app, rt);
    for (const parsed of [
      parseMermaid(await inspect(app, rt, ['--format', 'mermaid'])),
      parseDot(await inspect(app, rt, ['--format', 'dot'])),
    ]) {
      expect(parsed.nodes).toEqual(nodeSet(doc));
      expect(parsed.edges).toEqual(edgeSet(doc));
    }
  });

  it('workspace-replace: the replaced lib is a node, the other workspace module is not', async () => {
    const ws = await fixture('workspace-replace');
    const rt = await tempDir('inspect-rt');
    const doc = await inspectJson(path.join(ws, 'app'), rt);
    expect(doc.roots.map((r) => r.root)).toEqual([ws]);
    expect(doc.graph!.nodes.map((n) => [n.importPath, n.origin])).toEqual([
      ['example.com/app', 'main-module'],
      ['example.com/lib', 'local-replace'],
    ]);
    expect(edgeSet(doc)).toEqual(new Set(['example.com/app -> example.com/lib']));
    expect(doc.embedFiles).toEqual([]);
  });

  it('multi-main: the package named on the command line is the main package', async () => {
    const dir = await fixture('multi-main');
    const rt = await tempDir('inspect-rt');
    const doc = await inspectJson(dir, rt, ['./cmd/worker']);
    expect(doc.main).toMatchObject({ importPath: 'example.com/multimain/cmd/worker' });
    expect(doc.graph!.nodes.filter((n) => n.main).map((n) => n.importPath)).toEqual([
      'example.com/multimain/cmd/worker',
    ]);
  });

  it('hello-http with --poll: one package, the root polled and why, no inotify watch', async () => {
    const dir = await fixture('hello-http');
    const rt = await tempDir('inspect-rt');
    const doc = await inspectJson(dir, rt, ['--poll']);
    expect(doc.roots).toEqual([
      {
        root: dir,
        backend: 'poll',
        reason: { by: 'forced', forcedBy: '--poll' },
        pollIntervalMs: 500,
        text: 'polling every 500ms: forced by --poll',
      },
    ]);
    expect(doc.graph).toMatchObject({
      nodes: [{ importPath: 'example.com/hello-http', main: true }],
      edges: [],
    });
    expect(doc.watchedDirs).toBe(0);
    expect(doc.inotify).toMatchObject({ kind: 'predicted', watches: 0 });
    expect(doc.trackedFiles).toBeGreaterThanOrEqual(3);
    const text = await inspect(dir, rt, ['--poll']);
    expect(text).toMatch(/^no gohot is running for this project/);
    expect(text).toMatch(/^ {2}\. {2}polling every 500ms: forced by --poll$/m);
  });
});

describe('gohot inspect against a running gohot (end to end)', () => {
  it('shows the live state and the last reload after an edit', async () => {
    const dir = await fixture('hello-http');
    const g = await startGohot(dir, { env: { ADDR: '127.0.0.1:0' } });
    await g.waitForOutput(/-> started pid \d+/);
    await socketOf(g);
    const before = await inspectJson(dir, g.tmpDir);
    expect(before.source).toMatchObject({ kind: 'live', pid: g.proc.pid });
    expect(before.roots.map((r) => [r.root, r.backend])).toEqual([[dir, 'native']]);
    expect(before.reloads.map((r) => [r.outcome, r.batch.triggers[0]!.kind])).toEqual([
      ['reloaded', 'start'],
    ]);
    expect(before.inotify.kind).toBe('measured');
    // Measured in gohot's own /proc entry: at least the watch of each watched directory.
    expect(before.watchedDirs).toBeGreaterThanOrEqual(1);
    expect(before.inotify.watches).toBeGreaterThanOrEqual(before.watchedDirs);

    const message = path.join(dir, 'message.go');
    await writeFile(message, 'package main\n\nconst message = "inspected"\n');
    await g.waitForOutput(reloadedBy(/message\.go changed/));
    const after = await inspectJson(dir, g.tmpDir);
    const last = after.reloads.at(-1)!;
    expect(after.reloads).toHaveLength(2);
    expect(last).toMatchObject({ outcome: 'reloaded', first: false, batch: { files: [message] } });
    expect(last.outcome === 'reloaded' && typeof last.buildMs).toBe('number');
    const text = await inspect(dir, g.tmpDir);
    expect(text).toMatch(new RegExp(`^live state of the running gohot \\(pid ${g.proc.pid}\\)`));
    expect(text).toMatch(
      /^ {2}\d\d:\d\d:\d\d {2}message\.go changed -> built .* -> restarted pid \d+/m,
    );
  });

  it('the control socket refuses another user, even with its directories opened up', async () => {
    const dir = await fixture('hello-http');
    const g = await startGohot(dir, { env: { ADDR: '127.0.0.1:0' } });
    const socket = await socketOf(g);
    expect(statSync(path.dirname(socket)).mode & 0o777).toBe(0o700);
    // Regression: the socket's name existed with the umask's mode (0755) until the chmod; a
    // client as quick as this test saw it so on a busy machine.
    expect(lstatSync(socket).mode & 0o777).toBe(0o600);
    expect(await connectAsNobody(socket)).toBe('EACCES');
    // The socket's own mode refuses too, were the directories above it open to everyone.
    const dirs = [g.tmpDir, path.join(g.tmpDir, 'gohot'), path.dirname(socket)];
    const modes = dirs.map((d) => statSync(d).mode & 0o7777);
    try {
      for (const d of dirs) chmodSync(d, 0o755);
      expect(await connectAsNobody(socket)).toBe('EACCES');
    } finally {
      for (const [i, d] of dirs.entries()) chmodSync(d, modes[i]!);
    }
    // And this user still gets an answer.
    expect((await inspectJson(dir, g.tmpDir)).source.kind).toBe('live');
  });

  it('survives a client that disconnects in the middle of its responses', async () => {
    const dir = await fixture('hello-http');
    const g = await startGohot(dir, { env: { ADDR: '127.0.0.1:0' } });
    const socket = await socketOf(g);
    // 200 answers of a few KB each are more than a socket buffer holds: gohot is still
    // writing when the client hangs up.
    const chunk = await new Promise<string>((resolve, reject) => {
      const conn = net.connect(socket, () => {
        conn.write('{"v":1,"id":1,"method":"inspect"}\n'.repeat(200));
      });
      conn.once('data', (c: Buffer) => {
        conn.destroy();
        resolve(c.toString());
      });
      conn.once('error', reject);
    });
    expect(chunk).toMatch(/^\{"v":1,"id":1,"ok":true/);
    const doc = await inspectJson(dir, g.tmpDir);
    expect(doc.source).toMatchObject({ kind: 'live', pid: g.proc.pid });
    expect(g.proc.exitCode).toBeNull();
  });

  it('runs on without a control socket whose path would be too long, and says so', async () => {
    const dir = await fixture('hello-http');
    // Regression: a synchronous throw while opening the socket ended gohot's start-up.
    const long = path.join(await tempDir('inspect-long'), 'r'.repeat(100));
    mkdirSync(long, { mode: 0o700 });
    const g = await startGohot(dir, { env: { ADDR: '127.0.0.1:0', XDG_RUNTIME_DIR: long } });
    await g.waitForOutput(
      /`gohot inspect` will not see this gohot live: .* longer than the 107 bytes/,
    );
    await g.waitForOutput(/-> started pid \d+/);
    expect(g.proc.exitCode).toBeNull();
  });

  it('removes its socket on exit', async () => {
    const dir = await fixture('hello-http');
    const g = await startGohot(dir, { env: { ADDR: '127.0.0.1:0' } });
    const socket = await socketOf(g);
    expect(await g.stop('SIGTERM')).toBe(143);
    expect(existsSync(socket)).toBe(false);
    expect(sockets(g.tmpDir)).toEqual([]);
    // With no gohot running, inspect computes the state itself.
    expect((await inspectJson(dir, g.tmpDir)).source.kind).toBe('computed');
  });

  it('the next gohot replaces the stale socket of a gohot killed with SIGKILL', async () => {
    const dir = await fixture('hello-http');
    const first = await startGohot(dir, { env: { ADDR: '127.0.0.1:0' } });
    await first.waitForOutput(/-> started pid \d+/);
    const stale = await socketOf(first);
    first.proc.kill('SIGKILL');
    await first.exited;
    expect(lstatSync(stale).isSocket()).toBe(true);
    // Nobody listens there: inspect does not take it for a running gohot.
    expect((await inspectJson(dir, first.tmpDir)).source.kind).toBe('computed');

    // Same state directory: the second gohot also stops the first one's orphaned app.
    const second = await startGohot(dir, {
      env: { ADDR: '127.0.0.1:0', TMPDIR: first.tmpDir },
    });
    const fresh = await socketOf(second);
    await waitUntil('the stale socket to be removed', () => !existsSync(stale), {
      describe: second.output,
    });
    expect(sockets(first.tmpDir)).toEqual([fresh]);
    expect((await inspectJson(dir, first.tmpDir)).source).toMatchObject({
      kind: 'live',
      pid: second.proc.pid,
    });
  });
});
