import { describe, expect, it } from 'vitest';
import { createRootsMatcher } from '../config/roots-matcher.js';
import { DEFAULT_PATTERNS } from '../config/types.js';
import { type DecisionInputs, patternsFor, watchFilterOf } from './contexts.js';

const inputs = (purpose: 'run' | 'test'): DecisionInputs => {
  const matcher = createRootsMatcher(['/m'], patternsFor(purpose, DEFAULT_PATTERNS));
  return {
    roots: ['/m'],
    workFile: undefined,
    configFiles: new Set(),
    matcher,
    restartMatcher: createRootsMatcher(['/m'], []),
    model: () => undefined,
    lineShifts: 'rebuild',
    purpose,
  };
};

describe('the test context', () => {
  it('drops only the default exclusion of test files', () => {
    expect(patternsFor('test', DEFAULT_PATTERNS)).toEqual(
      DEFAULT_PATTERNS.filter((p) => p !== '!**/*_test.go'),
    );
    expect(patternsFor('run', DEFAULT_PATTERNS)).toEqual(DEFAULT_PATTERNS);
  });

  it('tracks _test.go files and walks testdata directories', () => {
    const test = watchFilterOf(inputs('test'), undefined);
    const run = watchFilterOf(inputs('run'), undefined);
    expect(test.file('/m/a/a_test.go').tracked).toBe(true);
    expect(run.file('/m/a/a_test.go').tracked).toBe(false);
    expect(test.dir('/m/a/testdata').watched).toBe(true);
    expect(run.dir('/m/a/testdata').watched).toBe(false);
    expect(test.dir('/m/node_modules').watched).toBe(false);
  });
});

describe('restartOnly and reloadOnly in the watch filter', () => {
  it('a list without includes matches nothing; the filter still finds the other list', () => {
    expect(createRootsMatcher(['/m'], []).includesNothing).toBe(true);
    expect(createRootsMatcher(['/m'], ['!x/**']).includesNothing).toBe(true);
    expect(createRootsMatcher(['/m'], ['templates/**']).includesNothing).toBe(false);
    const filter = watchFilterOf(
      {
        ...inputs('run'),
        restartMatcher: createRootsMatcher(['/m'], []),
        reloadMatcher: createRootsMatcher(['/m'], ['static/**']),
      },
      undefined,
    );
    expect(filter.file('/m/static/app.css')).toEqual({
      tracked: true,
      reason: { by: 'glob', pattern: 'static/**' },
    });
    expect(filter.file('/m/notes.txt').tracked).toBe(false);
    expect(filter.file('/m/main.go').tracked).toBe(true);
  });
});
