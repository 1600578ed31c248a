import { describe, expect, it } from 'vitest';
import { type ConfigReloadPlan, planConfigReload } from './config-plan.js';

const none: ConfigReloadPlan = {
  resolveMain: false,
  reopenWatcher: false,
  updateStopPolicy: false,
  rebuild: false,
  relist: false,
  atNextStart: [],
};

describe('planConfigReload', () => {
  it.each<[readonly string[], Partial<ConfigReloadPlan>]>([
    [[], {}],
    [['source'], {}],
    [['watch.quietWindowMs'], {}],
    [['main'], { resolveMain: true, relist: true, rebuild: true }],
    [['build.tags'], { relist: true, rebuild: true }],
    [['watch.restartOnly'], { reopenWatcher: true }],
    [['watch.lineShifts'], {}],
    [['build.debug'], { rebuild: true }],
    [['run.args'], { rebuild: true }],
    [['run.env'], { rebuild: true }],
    [['run.stopTimeoutMs'], { updateStopPolicy: true, rebuild: true }],
    [['watch.patterns'], { reopenWatcher: true, rebuild: true }],
    [['watch.backend'], { reopenWatcher: true, rebuild: true }],
    [['watch.pollIntervalMs'], { reopenWatcher: true, rebuild: true }],
    [
      ['main', 'watch.patterns', 'run.stopSignal'],
      {
        resolveMain: true,
        reopenWatcher: true,
        updateStopPolicy: true,
        rebuild: true,
        relist: true,
      },
    ],
    [['watch.quietWindowMs', 'source'], {}],
    // Regression: an edit of run.listen or proxy was reported as "config reloaded (run.listen)"
    // though the sockets stay those opened at start-up.
    [['run.listen'], { atNextStart: ['run.listen'] }],
    [['proxy', 'run.args'], { rebuild: true, atNextStart: ['proxy'] }],
    // A key added to the config later and not planned for: rebuilding is the safe default.
    [['build.somethingNew'], { rebuild: true }],
  ])('%j -> %j', (changed, expected) => {
    expect(planConfigReload(changed)).toEqual({ ...none, ...expected });
  });
});
