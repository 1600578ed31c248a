import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClassifyContext, ModelView } from '../classify/classify.js';
import { BaselineStore } from '../facts/baseline.js';
import { readFacts } from '../facts/read-facts.js';
import type { Batch } from '../schedule/scheduler.js';
import type { FileChange } from '../watch/types.js';
import { intake, netEffect } from './intake.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SOURCE = 'package main\n\n// greeting is served.\nconst greeting = "hi"\n';

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gohot-intake-'));
  dirs.push(dir);
  const file = path.join(dir, 'main.go');
  writeFileSync(file, SOURCE);
  const model: ModelView = {
    main: '.',
    fileRole: (p) => (p === file ? { pkg: 'ex/app', role: 'go' } : undefined),
    packageInDir: (d) => (d === dir ? 'ex/app' : undefined),
    embedRootPackage: () => undefined,
    displayDir: (d) => path.relative(dir, d),
  };
  const ctx: ClassifyContext = {
    configFiles: new Set(),
    moduleDirs: [dir],
    verdict: () => ({ tracked: true, reason: { by: 'glob', pattern: '**/*.go' } }),
    isDefaultPattern: () => true,
    restartOnly: () => undefined,
    model,
    lineShifts: 'rebuild',
  };
  const deps = { read: readFacts, baseline: new BaselineStore() };
  // What the watcher knew before the first change: the hash of the seeded content.
  const seeded = readFacts(file);
  deps.baseline.remember(file, seeded);
  const change = (kind: FileChange['kind'], before = seeded?.hash): FileChange => ({
    path: file,
    kind,
    via: 'event',
    before,
  });
  const batch = (): Batch => ({
    generation: 1,
    triggers: [{ kind: 'change', files: [file] }],
    files: [file],
  });
  return { file, ctx, deps, change, batch };
}

describe('intake and netEffect on real files', () => {
  it('a comment edit is decided against the content the watcher had before it', () => {
    const { file, ctx, deps, change } = setup();
    writeFileSync(file, SOURCE.replace('greeting is served', 'greeting is what we serve'));
    const routed = intake([change('modified')], ctx, deps);
    expect(routed.decisions[0]).toMatchObject({
      action: 'ignore',
      reason: { by: 'comments-only', lines: 'same' },
    });
    expect(routed.rebuild).toEqual([]);
    // A second comment edit compares with the same baseline (the build never saw the first).
    writeFileSync(file, SOURCE.replace('greeting is served', 'served'));
    const again = intake([change('modified', 'hash-of-first-edit')], ctx, deps);
    expect(again.decisions[0]).toMatchObject({ reason: { by: 'comments-only' } });
  });

  it('without the earlier tokens, a changed file is not taken for a comment edit', () => {
    const { file, ctx, deps, change } = setup();
    writeFileSync(file, SOURCE.replace('greeting is served', 'greeting is what we serve'));
    const routed = intake([change('modified', 'a-hash-never-read')], ctx, deps);
    expect(routed.decisions[0]).toMatchObject({ action: 'rebuild' });
  });

  it('a deletion is a rebuild that waits; re-created with the same bytes, the batch is nothing', () => {
    const { file, ctx, deps, change, batch } = setup();
    unlinkSync(file);
    const routed = intake([change('deleted')], ctx, deps);
    expect(routed).toMatchObject({ rebuild: [file], deletes: true, relist: true });
    writeFileSync(file, SOURCE);
    const { plan } = netEffect(batch(), 'rebuild', deps);
    expect(plan).toEqual({ action: 'nothing', unchanged: [file] });
  });

  it('comment lines added: rebuilt by default, not with lineShifts "ignore"; commit moves the baseline', () => {
    const { file, ctx, deps, change, batch } = setup();
    writeFileSync(file, SOURCE.replace('// greeting', '// one more line\n// greeting'));
    expect(intake([change('modified')], ctx, deps).rebuild).toEqual([file]);
    expect(netEffect(batch(), 'ignore', deps).plan.action).toBe('nothing');
    const rebuild = netEffect(batch(), 'rebuild', deps);
    expect(rebuild.plan).toMatchObject({ action: 'build', files: [file] });
    rebuild.commit();
    // The build saw the new content: the same bytes again are nothing.
    expect(netEffect(batch(), 'rebuild', deps).plan.action).toBe('nothing');
  });

  it('a code edit read half-written is marked incomplete; the whole file is not', () => {
    const { file, ctx, deps, change } = setup();
    const edited = SOURCE.replace('"hi"', '"hello"');
    // What a read between an editor's truncate and its write sees, then part of the write.
    for (const cut of ['', edited.slice(0, 30)]) {
      writeFileSync(file, cut);
      expect(intake([change('modified')], ctx, deps)).toMatchObject({ incomplete: true });
    }
    writeFileSync(file, edited);
    expect(intake([change('modified')], ctx, deps)).toMatchObject({
      rebuild: [file],
      incomplete: false,
    });
  });
});
