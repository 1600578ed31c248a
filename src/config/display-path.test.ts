import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDisplayPath } from './display-path.js';

describe('configDisplayPath', () => {
  it.each([
    ['/work/app/gohot.json', '/work/app', 'gohot.json'],
    ['/work/app/gohot.json', '/work', path.join('app', 'gohot.json')],
    ['/work/app/gohot.json', '/elsewhere', '/work/app/gohot.json'],
    ['/work/app/gohot.json', '/work/app/sub', '/work/app/gohot.json'],
    // Regression: a directory whose name starts with ".." was taken for "outside".
    ['/work/..app/gohot.json', '/work', path.join('..app', 'gohot.json')],
    ['/work/a\u001b[2Jb/gohot.json', '/work', '"a\\u001b[2Jb/gohot.json"'],
  ])('%s from %s is %s', (file, cwd, shown) => {
    expect(configDisplayPath(file, cwd)).toBe(shown);
  });

  it('is relative to the process directory by default', () => {
    expect(configDisplayPath(path.join(process.cwd(), 'x', 'gohot.json'))).toBe(
      path.join('x', 'gohot.json'),
    );
  });
});
