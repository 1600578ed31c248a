import { describe, expect, it } from 'vitest';
import type { FileChange, FileVerdict } from '../watch/types.js';
import { type ChangeDecision, type ClassifyContext, classifyChanges } from './classify.js';

const ctx: ClassifyContext = {
  configFiles: new Set(['/m/gohot.json']),
  verdict: (p): FileVerdict =>
    p.endsWith('_test.go')
      ? { tracked: false, reason: { by: 'exclude', pattern: '!**/*_test.go' } }
      : p.endsWith('.go') || p.endsWith('go.mod') || p.endsWith('go.work')
        ? { tracked: true, reason: { by: 'glob', pattern: '**/*.go' } }
        : { tracked: false, reason: { by: 'no-match' } },
};

const at = (path: string, kind: FileChange['kind'] = 'modified'): FileChange => ({
  path,
  kind,
  via: 'event',
});

const glob = { by: 'glob', pattern: '**/*.go' } as const;

describe('classifyChanges', () => {
  it.each<[string, Partial<ChangeDecision>]>([
    ['/m/main.go', { action: 'rebuild', reason: glob }],
    ['/m/main_test.go', { action: 'skip', reason: { by: 'exclude', pattern: '!**/*_test.go' } }],
    ['/m/README.md', { action: 'skip', reason: { by: 'no-match' } }],
    ['/m/gohot.json', { action: 'reload-config', reason: { by: 'config-file' } }],
    // go.mod / go.work edits re-resolve the project (replace and use directories), then build.
    ['/m/go.mod', { action: 'refresh-project', reason: glob, file: 'go.mod' }],
    ['/w/go.work', { action: 'refresh-project', reason: glob, file: 'go.work' }],
  ])('%s -> %j', (path, expected) => {
    const [decision] = classifyChanges([at(path)], ctx);
    expect(decision).toEqual({ ...expected, change: at(path) });
  });

  it('keeps the input order and the change itself', () => {
    const out = classifyChanges([at('/m/b.go', 'deleted'), at('/m/a.go', 'created')], ctx);
    expect(out.map((d) => [d.change.path, d.change.kind])).toEqual([
      ['/m/b.go', 'deleted'],
      ['/m/a.go', 'created'],
    ]);
  });
});
