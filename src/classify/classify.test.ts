import { describe, expect, it } from 'vitest';
import type { FileChange } from '../watch/types.js';
import { type ClassifyContext, classifyChanges } from './classify.js';

const ctx: ClassifyContext = {
  configFiles: new Set(['/m/gohot.json']),
  match: (p) =>
    p.endsWith('_test.go')
      ? { included: false, reason: 'excluded by "!**/*_test.go"' }
      : p.endsWith('.go')
        ? { included: true, reason: 'included by "**/*.go"' }
        : { included: false, reason: 'matches no pattern' },
};

const at = (path: string, kind: FileChange['kind'] = 'modified'): FileChange => ({
  path,
  kind,
  via: 'event',
});

describe('classifyChanges', () => {
  it.each([
    ['/m/main.go', 'rebuild', 'modified, included by "**/*.go"'],
    ['/m/main_test.go', 'skip', 'excluded by "!**/*_test.go"'],
    ['/m/README.md', 'skip', 'matches no pattern'],
    ['/m/gohot.json', 'reload-config', 'config file modified'],
  ])('%s -> %s (%s)', (path, action, reason) => {
    const [decision] = classifyChanges([at(path)], ctx);
    expect(decision?.action).toBe(action);
    expect(decision?.reason).toBe(reason);
  });

  it('keeps the kind of change in the reason and the input order', () => {
    const out = classifyChanges([at('/m/b.go', 'deleted'), at('/m/a.go', 'created')], ctx);
    expect(out.map((d) => d.reason)).toEqual([
      'deleted, included by "**/*.go"',
      'created, included by "**/*.go"',
    ]);
  });
});
