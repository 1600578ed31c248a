import { describe, expect, it } from 'vitest';
import { type BinaryIdentity, decideSwap, type RunSettings, type SwapInput } from './swap.js';

const id = (contentId: string): BinaryIdentity => ({ known: true, contentId });
const problem = { code: 'BUILD_ID_UNREADABLE', message: 'app is empty.', hint: undefined };
const unknown: BinaryIdentity = { known: false, problem };
const settings: RunSettings = { args: ['-v'], env: { A: '1' } };
const running = { pid: 42, binary: id('same'), settings };
const input = (over: Partial<SwapInput>): SwapInput => ({
  running,
  built: id('same'),
  settings,
  requested: false,
  ...over,
});

describe('decideSwap', () => {
  it('keeps the running app when the new binary has its content ID', () => {
    expect(decideSwap(input({}))).toEqual({
      action: 'keep',
      pid: 42,
      reason: { by: 'identical-binary', contentId: 'same' },
    });
  });

  it.each([
    ['no app runs (first start, or it crashed)', { running: undefined }, { by: 'not-running' }],
    ['a rebuild was requested', { requested: true }, { by: 'requested' }],
    [
      'run.args changed',
      { settings: { ...settings, args: ['-v', '-x'] } },
      { by: 'run-settings-changed' },
    ],
    [
      'an arg changed in place',
      { settings: { ...settings, args: ['-q'] } },
      { by: 'run-settings-changed' },
    ],
    [
      'run.env gained a key',
      { settings: { ...settings, env: { A: '1', B: '2' } } },
      { by: 'run-settings-changed' },
    ],
    [
      'a run.env value changed',
      { settings: { ...settings, env: { A: '2' } } },
      { by: 'run-settings-changed' },
    ],
    ['run.env lost a key', { settings: { ...settings, env: {} } }, { by: 'run-settings-changed' }],
    [
      'the binary changed',
      { built: id('other') },
      { by: 'binary-changed', from: 'same', to: 'other' },
    ],
    [
      "the new binary's build ID is unreadable",
      { built: unknown },
      { by: 'build-id-unreadable', of: 'new', problem },
    ],
    [
      "the running binary's build ID was unreadable",
      { running: { ...running, binary: unknown } },
      { by: 'build-id-unreadable', of: 'running', problem },
    ],
  ] as const)('restarts when %s', (_, over, reason) => {
    expect(decideSwap(input(over))).toEqual({ action: 'restart', reason });
  });

  it('says the app is not running before anything else, and a request before settings', () => {
    expect(
      decideSwap(input({ running: undefined, requested: true, built: unknown })).reason,
    ).toEqual({
      by: 'not-running',
    });
    expect(
      decideSwap(input({ requested: true, settings: { args: [], env: {} }, built: unknown }))
        .reason,
    ).toEqual({ by: 'requested' });
  });
});
