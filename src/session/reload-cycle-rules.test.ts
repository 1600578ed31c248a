import { describe, expect, it, vi } from 'vitest';
import type { BatchPlan } from '../classify/net-effect.js';
import { resolveConfig } from '../config/resolve-config.js';
import type { SessionEventBody } from '../report/events.js';
import { createRulesStage } from '../rules/rules-stage.js';
import type { Supervisor } from '../run/types.js';
import type { Batch } from '../schedule/scheduler.js';
import { createReloadCycle, type NetEffect } from './reload-cycle.js';

// go build and the build-ID reader are replaced: these tests are about what runs around them.
const builds = vi.hoisted(() => ({ count: 0 }));
vi.mock('../compile/build.js', async (original) => ({
  ...(await original<typeof import('../compile/build.js')>()),
  runBuild: async () => {
    builds.count++;
    return { status: 'ok', output: '/run/app', durationMs: 1 };
  },
}));
vi.mock('../compile/build-id.js', () => ({
  identifyBinary: () => ({ known: true, contentId: `id-${builds.count}` }),
}));

const node = process.execPath;

function setup(rule: readonly string[]) {
  const config = resolveConfig(
    { rules: [{ name: 'gen', on: ['*.tmpl'], run: [...rule] }] },
    '/m/gohot.json',
    {},
  );
  const stage = createRulesStage(
    () => config,
    () => process.cwd(),
    new Set(),
  );
  const events: SessionEventBody[] = [];
  const included: string[][] = [];
  let pid = 100;
  let running = false;
  const supervisor: Supervisor = {
    state: () =>
      running
        ? ({ status: 'running', app: { pid } } as unknown as ReturnType<Supervisor['state']>)
        : ({ status: 'idle' } as ReturnType<Supervisor['state']>),
    start: () => {
      running = true;
      return ++pid;
    },
    stop: async () => {
      running = false;
      return undefined;
    },
    setStopPolicy: () => {},
  };
  // What the watcher delivers on sync: the generator's output, as the session would route it.
  const output = `${process.cwd()}/page_gen.go`;
  const runCycle = createReloadCycle({
    goBin: 'go',
    moduleRoot: () => process.cwd(),
    cwd: process.cwd(),
    runDir: { binary: '/run/app', goTmpDir: '/run/tmp', verify: () => {} },
    useJson: false,
    config: () => config,
    mainPackage: () => '.',
    supervisor,
    emit: (e) => events.push(e),
    syncWatcher: async () => {
      stage.window.absorb([{ path: output, kind: 'modified', via: 'event' }]);
    },
    rules: stage,
    netEffect: (batch): NetEffect => ({
      plan:
        batch.files.length === 0 && batch.triggers[0]?.kind === 'change'
          ? ({ action: 'nothing', unchanged: [] } satisfies BatchPlan)
          : { action: 'build', files: batch.files, unchanged: [] },
      include: (paths) => included.push([...paths]),
      commit() {},
      abandon() {},
      changedUnderBuild: () => [],
    }),
  });
  const tmpl = `${process.cwd()}/page.tmpl`;
  const change = (generation: number, files = [tmpl]): Batch => ({
    generation,
    triggers: [{ kind: 'change', files }],
    files,
  });
  return { runCycle, events, included, stage, output, change };
}

describe('reload cycle with rules', () => {
  it('runs the matched rule before the build and folds its outputs into it', async () => {
    builds.count = 0;
    const t = setup([node, '-e', 'process.exit(0)']);
    expect(await t.runCycle(t.change(1), new AbortController().signal)).toBe('done');
    expect(builds.count).toBe(1);
    expect(t.included).toEqual([[t.output]]);
    expect(t.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['rule-started', 'build-started', 'reloaded']),
    );
  });

  it('a failing rule is a failed cycle: its output is reported, nothing is built', async () => {
    builds.count = 0;
    const t = setup([node, '-e', 'console.log("bad template"); process.exit(4)']);
    expect(await t.runCycle(t.change(1), new AbortController().signal)).toBe('done');
    expect(builds.count).toBe(0);
    const failed = t.events.find((e) => e.type === 'rule-failed');
    expect(failed).toMatchObject({ rule: 'gen', end: { status: 'exited', code: 4 } });
    expect(failed && 'text' in failed ? failed.text : '').toBe('bad template\n');
    // Its outputs were never built: they wait for the next cycle.
    expect(t.stage.window.carried).toEqual([t.output]);
  });

  it('an abort kills the rule; its outputs make the next cycle build even with nothing else', async () => {
    builds.count = 0;
    const t = setup([node, '-e', 'setInterval(() => {}, 1000)']);
    const controller = new AbortController();
    const cycle = t.runCycle(t.change(1), controller.signal);
    await vi.waitFor(() => expect(t.events.some((e) => e.type === 'rule-started')).toBe(true));
    controller.abort({ by: 'superseded', trigger: { kind: 'manual' } });
    expect(await cycle).toBe('cancelled');
    expect(t.events.find((e) => e.type === 'rule-cancelled')).toMatchObject({ rule: 'gen' });
    expect(builds.count).toBe(0);
    expect(t.stage.window.carried).toEqual([t.output]);

    // A batch whose own files came to nothing still builds the carried outputs.
    expect(await t.runCycle(t.change(2, []), new AbortController().signal)).toBe('done');
    expect(builds.count).toBe(1);
    expect(t.included.at(-1)).toEqual([t.output]);
    expect(t.stage.window.carried).toEqual([]);
  });
});
