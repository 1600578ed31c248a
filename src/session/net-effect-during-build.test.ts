import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ClassifyContext } from '../classify/classify.js';
import type { FileFacts } from '../classify/content-delta.js';
import { BaselineStore } from '../facts/baseline.js';
import { goFileFacts } from '../go/file-facts.js';
import type { Batch } from '../schedule/scheduler.js';
import type { FileChange } from '../watch/types.js';
import { intake, netEffect } from './intake.js';

// Two files of the main package; the "disk" is a map, the watcher's `before` its last hash.
const A = '/m/a.go';
const B = '/m/b.go';
const src = (v: string) => `package main\n\nconst V = "${v}"\n`;
const hashOf = (text: string) => createHash('sha1').update(text).digest('hex');

function project(initial: Record<string, string>) {
  const disk = new Map(Object.entries(initial));
  const seen = new Map([...disk].map(([p, t]) => [p, hashOf(t)]));
  const deps = {
    read: (p: string): FileFacts | undefined => {
      const text = disk.get(p);
      return text === undefined ? undefined : { hash: hashOf(text), go: goFileFacts(text) };
    },
    baseline: new BaselineStore(),
  };
  // What the seed does once the model is listed: the tokens of every file are known.
  for (const p of disk.keys()) deps.baseline.remember(p, deps.read(p));
  const ctx: ClassifyContext = {
    configFiles: new Set(),
    moduleDirs: ['/m'],
    verdict: () => ({ tracked: true, reason: { by: 'glob', pattern: '**/*.go' } }),
    isDefaultPattern: () => true,
    restartOnly: () => undefined,
    model: {
      main: '.',
      fileRole: (p) => (p === A || p === B ? { pkg: 'ex', role: 'go' } : undefined),
      packageInDir: (d) => (d === '/m' ? 'ex' : undefined),
      embedRootPackage: () => undefined,
      displayDir: (d) => d,
    },
    lineShifts: 'rebuild',
  };
  /** Saves a file and decides the change the watcher reports; returns the files pushed. */
  const save = (p: string, text: string): readonly string[] => {
    const kind = disk.has(p) ? 'modified' : 'created';
    const change: FileChange = { path: p, kind, via: 'event', before: seen.get(p) };
    disk.set(p, text);
    seen.set(p, hashOf(text));
    return intake([change], ctx, deps).rebuild;
  };
  const remove = (p: string): readonly string[] => {
    const change: FileChange = { path: p, kind: 'deleted', via: 'event', before: seen.get(p) };
    disk.delete(p);
    seen.delete(p);
    return intake([change], ctx, deps).rebuild;
  };
  const batchOf = (files: readonly string[]): Batch => ({
    generation: 1,
    triggers: [{ kind: 'change', files }],
    files,
  });
  return { deps, save, remove, batchOf };
}

describe('intake and netEffect while a build runs', () => {
  it('an edit undone while the build of the edit runs builds again', () => {
    const { deps, save, batchOf } = project({ [A]: src('v0') });
    expect(save(A, src('v1'))).toEqual([A]);
    // The build of v1 starts: its net effect reads a.go as v1.
    const build = netEffect(batchOf([A]), 'rebuild', deps);
    expect(build.plan.action).toBe('build');
    // Undone before the build ends: the running build compiles v1, the file is v0 again.
    const pushed = save(A, src('v0'));
    build.commit(); // the build of v1 finished: the app now runs v1
    // Either the undo was pushed (it supersedes the build), or the next batch builds.
    const next = netEffect(batchOf([A]), 'rebuild', deps);
    expect(pushed.length > 0 && next.plan.action === 'build').toBe(true);
  });

  it('a file changed and changed back while a kept build runs is built by the follow-up', () => {
    const { deps, save, batchOf } = project({ [A]: src('a0'), [B]: src('b0') });
    expect(save(A, src('a1'))).toEqual([A]);
    const build = netEffect(batchOf([A]), 'rebuild', deps);
    // b.go changes while go build runs (go may read b1) and the build is kept (old enough):
    expect(save(B, src('b1'))).toEqual([B]);
    // ... and is changed back before the follow-up starts.
    save(B, src('b0'));
    build.commit();
    // The binary may hold b1: the follow-up must build.
    expect(netEffect(batchOf([B]), 'rebuild', deps).plan.action).toBe('build');
  });

  it('a file deleted and written back after the deletion settled is built again', () => {
    // A slow checkout: b.go is gone when the batch starts, back (same bytes) during the build.
    const { deps, save, remove, batchOf } = project({ [A]: src('a0'), [B]: src('b0') });
    expect(remove(B)).toEqual([B]);
    const build = netEffect(batchOf([B]), 'rebuild', deps);
    expect(build.plan.action).toBe('build');
    const pushed = save(B, src('b0'));
    build.commit(); // the app now runs without b.go
    expect(pushed).toEqual([B]);
    expect(netEffect(batchOf([B]), 'rebuild', deps).plan.action).toBe('build');
  });

  it('a build that is cancelled leaves the baseline of the last finished build', () => {
    const { deps, save, batchOf } = project({ [A]: src('v0') });
    save(A, src('v1'));
    const build = netEffect(batchOf([A]), 'rebuild', deps);
    save(A, src('v0'));
    build.abandon(); // cancelled: the app still runs v0
    expect(netEffect(batchOf([A]), 'rebuild', deps).plan.action).toBe('nothing');
  });

  // Regression: a checkout's build read b.go half-written and failed; b.go's complete content
  // was a comment edit, so nothing asked for another build and the failure stayed.
  it('a comment edit of another build input while a build runs is named for a retry', () => {
    const { deps, save, batchOf } = project({ [A]: src('v0'), [B]: src('b0') });
    expect(save(B, `${src('b0')}// a comment\n`)).toEqual([]);
    expect(netEffect(batchOf([A]), 'rebuild', deps).changedUnderBuild()).toEqual([]);
    deps.baseline.abandon();
    expect(save(A, src('v1'))).toEqual([A]);
    const build = netEffect(batchOf([A]), 'rebuild', deps);
    expect(save(B, `${src('b0')}// another comment\n`)).toEqual([]);
    expect(build.changedUnderBuild()).toEqual([B]);
    build.abandon();
    expect(build.changedUnderBuild()).toEqual([]);
    // Built again: a.go still differs from what the last finished build read.
    expect(netEffect(batchOf([A]), 'rebuild', deps).plan).toMatchObject({
      action: 'build',
      files: [A],
    });
  });
});
