import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.js';
import type { SessionEventBody } from '../report/events.js';
import type { ReadyCheck, ReadyOutcome } from '../run/readiness.js';
import { createSupervisor } from '../run/supervisor.js';
import { createAppSwap, type SwapTimes } from './app-swap.js';

/** A port nothing listens on: bound once by the kernel, then released. */
async function unusedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const supervisors: Array<ReturnType<typeof createSupervisor>> = [];
afterEach(async () => {
  for (const s of supervisors.splice(0)) await s.stop();
});

function setup() {
  const events: SessionEventBody[] = [];
  const supervisor = createSupervisor({ stopTimeoutMs: 5000 });
  supervisors.push(supervisor);
  const apps = createAppSwap({ supervisor, emit: (e) => events.push(e) });
  const start = (code: string, check: ReadyCheck) =>
    new Promise<{ outcome: ReadyOutcome; times: SwapTimes }>((resolve) => {
      const spec = {
        binary: process.execPath,
        args: ['-e', code],
        env: process.env,
        cwd: process.cwd(),
      };
      void apps.swap(spec, 'SIGTERM', check, (outcome, times) => resolve({ outcome, times }));
    });
  return { events, supervisor, apps, start };
}

const types = (events: readonly SessionEventBody[]) => events.map((e) => e.type);

describe('createAppSwap', () => {
  // Regression: the app was recorded for the next gohot only after its "started pid" line
  // was printed; a gohot SIGKILLed right after that line (a busy machine preempting it in
  // between) left an app no later gohot knew to stop.
  it('hands the pid over at the spawn, before anything about the app is reported', async () => {
    const events: SessionEventBody[] = [];
    const supervisor = createSupervisor({ stopTimeoutMs: 5000 });
    supervisors.push(supervisor);
    const order: string[] = [];
    const apps = createAppSwap({
      supervisor,
      emit: (e) => {
        events.push(e);
        order.push(e.type);
      },
      onSpawned: (pid) => order.push(`spawned ${pid}`),
    });
    const pid = await apps.swap(
      {
        binary: process.execPath,
        args: ['-e', 'setInterval(() => {}, 1000)'],
        env: process.env,
        cwd: process.cwd(),
      },
      'SIGTERM',
      { kind: 'none' },
      () => order.push('reported'),
    );
    expect(order).toEqual([`spawned ${pid}`, 'app-started', 'app-ready', 'reported']);
  });

  it('without a check: ready when spawned, reported before swap() returns', async () => {
    const { events, supervisor, apps } = setup();
    let outcome: ReadyOutcome | undefined;
    const pid = await apps.swap(
      {
        binary: process.execPath,
        args: ['-e', 'setInterval(() => {}, 1000)'],
        env: process.env,
        cwd: process.cwd(),
      },
      'SIGTERM',
      { kind: 'none' },
      (o) => {
        outcome = o;
      },
    );
    expect(outcome).toMatchObject({ status: 'ready', how: 'spawned' });
    expect(types(events)).toEqual(['app-started', 'app-ready']);
    await apps.stop('SIGTERM');
    expect(events.slice(2)).toMatchObject([
      { type: 'app-stopping', pid, signal: 'SIGTERM' },
      { type: 'app-stopped', pid, sigkill: false },
    ]);
    expect(supervisor.state().status).toBe('exited');
  });

  it('an app that exits before its check answers is a crash, not ready', async () => {
    const { events, start } = setup();
    const port = await unusedPort();
    const { outcome } = await start('process.exit(3)', {
      kind: 'tcp',
      host: '127.0.0.1',
      port,
      timeoutMs: 60_000,
    });
    expect(outcome).toEqual({ status: 'exited' });
    expect(types(events)).toEqual(['app-started']);
  });

  it('stopping the app ends its pending check as stopped', async () => {
    const { events, apps, start } = setup();
    const port = await unusedPort();
    const pending = start('setInterval(() => {}, 1000)', {
      kind: 'http',
      url: `http://127.0.0.1:${port}/`,
      timeoutMs: 60_000,
    });
    await waitFor(() => events.some((e) => e.type === 'app-started'), { what: 'app-started' });
    await apps.stop('SIGTERM');
    expect((await pending).outcome).toEqual({ status: 'stopped' });
    expect(types(events)).toEqual(['app-started', 'app-stopping', 'app-stopped']);
  });
});
