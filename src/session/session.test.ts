import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, goTestEnv, makeTempDir, useGoTemps } from '../../test/helpers/fixture.js';
import { makeCgoBuildHang } from '../../test/helpers/hanging-cgo.js';
import { waitUntil } from '../../test/helpers/wait-for.js';
import type { SessionEvent } from '../report/events.js';
import { isProcessAlive } from '../run/proc-linux.js';
import { type Session, startSession } from './session.js';

// The session runs in this process against a real fixture and the real go; the events it
// emits are the whole observable behaviour, so they are what the tests read.
const { temp } = useGoTemps();
const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop({ by: 'request' })));
});

async function start(dir: string) {
  const events: SessionEvent[] = [];
  // gohot's state directory goes below the test's own temp dir, never the real home.
  const state = await temp(makeTempDir('session-state'));
  Object.assign(process.env, goTestEnv({ ADDR: '127.0.0.1:0', XDG_RUNTIME_DIR: state }));
  const session = await startSession({
    cwd: dir,
    overrides: { quietWindowMs: 0 },
    reporter: { report: (e) => events.push(e) },
  });
  sessions.push(session);
  const describe = () => events.map((e) => JSON.stringify(e)).join('\n');
  const next = <T extends SessionEvent['type']>(
    type: T,
    after = 0,
    match: (e: Extract<SessionEvent, { type: T }>) => boolean = () => true,
  ) =>
    waitUntil(
      `a ${type} event`,
      () =>
        events
          .slice(after)
          .find(
            (e): e is Extract<SessionEvent, { type: T }> => e.type === type && match(e as never),
          ),
      { timeoutMs: 60_000, describe },
    );
  return { session, events, next };
}

describe('session (in process, real go)', () => {
  it('emits time-stamped decisions for a save, in pipeline order, and reloads once', async () => {
    const dir = await temp(copyFixture('hello-http'));
    const { events, next } = await start(dir);
    await next('reloaded');
    // Decisions by the package graph: wait until go list answered.
    await next('model-listed');
    const mark = events.length;
    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "two"\n');
    const reloaded = await next('reloaded', mark);
    expect(reloaded.batch.files).toEqual([path.join(dir, 'message.go')]);
    const after = events.slice(mark);
    const classify = after.findIndex((e) => e.type === 'decision' && e.stage === 'classify');
    const queue = after.findIndex((e) => e.type === 'decision' && e.action === 'queue');
    expect(after[classify]).toMatchObject({
      action: 'rebuild',
      subject: path.join(dir, 'message.go'),
      reason: { by: 'package-source', pkg: 'example.com/hello-http', role: 'go', edit: 'code' },
    });
    expect(classify).toBeLessThan(queue);
    // Monotonic time stamps, never going back.
    const times = events.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(after.filter((e) => e.type === 'reloaded')).toHaveLength(1);
  });

  // Regression: the project was resolved once, so a go.work created while gohot ran never
  // reached the session (main-package resolution and builds used the stale project).
  it('a go.work created while running becomes the project the session works from', async () => {
    const dir = await temp(copyFixture('hello-http'));
    const { session, events, next } = await start(dir);
    await next('reloaded');
    expect(session.project.workFile).toBeUndefined();
    const mark = events.length;
    await writeFile(path.join(dir, 'go.work'), 'go 1.21\n\nuse .\n');
    await next('decision', mark, (e) => e.action === 'refresh-project');
    await waitUntil('the workspace in the session', () => session.project.workFile, {
      timeoutMs: 30_000,
    });
    expect(session.project.workFile).toBe(path.join(dir, 'go.work'));
  });

  // Regression: a build cancelled because gohot was stopping was reported as "a newer change
  // makes it stale"; the abort reason was thrown away.
  it('a build cancelled by stop() says it was cancelled by the shutdown', async () => {
    const dir = await temp(copyFixture('hello-http'));
    await makeCgoBuildHang(dir);
    const { session, events, next } = await start(dir);
    await next('build-started');
    await session.stop({ by: 'request' });
    const cancel = events.find((e) => e.type === 'decision' && e.stage === 'build');
    expect(cancel).toMatchObject({ action: 'cancel', subject: 1, reason: { by: 'shutdown' } });
    expect(events.some((e) => e.type === 'reloaded')).toBe(false);
  });

  // Found in review: a go.mod edit's `go env` ran without an AbortSignal, so stop() waited
  // for it (forever, for a go that hangs) before stopping the app.
  it("stop() cancels a reaction's go command instead of waiting for it", async () => {
    const dir = await temp(copyFixture('hello-http'));
    const bin = await temp(makeTempDir('slow-go'));
    const flag = path.join(bin, 'hang');
    const pidFile = path.join(bin, 'pid');
    const real = spawnSync('sh', ['-c', 'command -v go']).stdout.toString().trim();
    // Like go, until the flag exists: then `go env` records its pid and hangs.
    await writeFile(
      path.join(bin, 'go'),
      `#!/bin/sh\nif [ -e '${flag}' ] && [ "$1" = env ]; then echo $$ > '${pidFile}'; exec sleep 600; fi\nexec '${real}' "$@"\n`,
      { mode: 0o755 },
    );
    process.env.GOHOT_GO = path.join(bin, 'go');
    try {
      const { session, events, next } = await start(dir);
      await next('reloaded');
      await writeFile(flag, '');
      const mark = events.length;
      const gomod = path.join(dir, 'go.mod');
      await writeFile(gomod, `${await readFile(gomod, 'utf8')}\n// edited\n`);
      await next('decision', mark, (e) => e.action === 'refresh-project');
      const hung = await waitUntil(
        'go env to hang',
        async () => Number(await readFile(pidFile, 'utf8').catch(() => '')) || undefined,
      );
      await session.stop({ by: 'request' });
      await waitUntil('the hanging go env to be gone', () => !isProcessAlive(hung));
      expect(events.some((e) => e.type === 'failed')).toBe(false);
    } finally {
      delete process.env.GOHOT_GO;
    }
  });
});
