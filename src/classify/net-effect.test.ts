import { describe, expect, it } from 'vitest';
import type { Batch, Trigger } from '../schedule/scheduler.js';
import { planBatch } from './net-effect.js';

const batch = (...triggers: Trigger[]): Batch => ({
  generation: 1,
  triggers,
  files: [
    ...new Set(
      triggers.flatMap((t) => (t.kind === 'change' || t.kind === 'restart' ? t.files : [])),
    ),
  ],
});
const changedOnly =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p);

describe('planBatch', () => {
  it('builds for the files that really changed and names only those', () => {
    const b = batch({ kind: 'change', files: ['/a.go', '/b.go', '/c.go'], deletes: true });
    expect(planBatch(b, changedOnly('/b.go'))).toEqual({
      action: 'build',
      files: ['/b.go'],
      unchanged: ['/a.go', '/c.go'],
    });
  });

  it('does nothing when every file is back to the same bytes', () => {
    const b = batch({ kind: 'change', files: ['/a.go', '/b.go'] });
    expect(planBatch(b, changedOnly())).toEqual({
      action: 'nothing',
      unchanged: ['/a.go', '/b.go'],
    });
  });

  it('restarts without a build for restart-only files, builds when code changed too', () => {
    const restart: Trigger = { kind: 'restart', files: ['/app.yaml'] };
    expect(planBatch(batch(restart), changedOnly('/app.yaml'))).toEqual({
      action: 'restart',
      files: ['/app.yaml'],
      unchanged: [],
    });
    const both = batch(restart, { kind: 'change', files: ['/a.go'] });
    expect(planBatch(both, changedOnly('/app.yaml', '/a.go'))).toMatchObject({
      action: 'build',
      files: ['/a.go', '/app.yaml'],
    });
    expect(planBatch(batch(restart), changedOnly())).toMatchObject({ action: 'nothing' });
  });

  it.each<Trigger>([
    { kind: 'start' },
    { kind: 'manual' },
    { kind: 'config', cause: 'config-changed' },
  ])('%j always builds', (t) => {
    expect(planBatch(batch(t, { kind: 'change', files: ['/a.go'] }), changedOnly())).toEqual({
      action: 'build',
      files: [],
      unchanged: ['/a.go'],
    });
  });
});
