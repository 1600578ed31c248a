import { describe, expect, it } from 'vitest';
import { describeTrigger } from '../report/describe.js';
import type { Batch } from '../schedule/scheduler.js';
import { devLdflags } from './reload-cycle.js';

describe('devLdflags', () => {
  it.each([
    [{ ldflags: '', debug: false }, '-s -w'],
    [{ ldflags: '-X main.v=dev', debug: false }, '-s -w -X main.v=dev'],
    [{ ldflags: '', debug: true }, ''],
    [{ ldflags: '-X main.v=dev', debug: true }, '-X main.v=dev'],
  ])('%j -> %j', (build, expected) => {
    expect(devLdflags(build)).toBe(expected);
  });
});

describe('describeTrigger', () => {
  const batch = (triggers: Batch['triggers']): Batch => ({
    generation: 1,
    triggers,
    files: [...new Set(triggers.flatMap((t) => (t.kind === 'change' ? t.files : [])))],
  });
  it.each([
    [batch([{ kind: 'start' }]), 'initial build'],
    [batch([{ kind: 'manual' }]), 'rebuild requested'],
    [
      batch([
        { kind: 'config', cause: 'config-changed' },
        { kind: 'config', cause: 'roots-changed' },
        { kind: 'config', cause: 'config-changed' },
      ]),
      'config changed, watch roots changed',
    ],
    [batch([{ kind: 'change', files: ['/m/a.go', '/m/b/c.go'] }]), 'a.go, b/c.go changed'],
    [
      batch([{ kind: 'change', files: ['/m/a.go', '/m/b.go', '/m/c.go'] }]),
      'a.go and 2 more changed',
    ],
    [
      batch([
        { kind: 'change', files: ['/m/message.go'] },
        { kind: 'config', cause: 'config-changed' },
        { kind: 'manual' },
      ]),
      'message.go changed, config changed, rebuild requested',
    ],
  ])('%#', (b, text) => {
    expect(describeTrigger(b, '/m')).toBe(text);
  });
});
