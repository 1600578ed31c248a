import { describe, expect, it } from 'vitest';
import { editorLink } from './proxy.js';

describe('editorLink', () => {
  it.each([
    ['vscode://file/{abs}:{line}:{col}', 'vscode://file//home/me/app/main.go:3:7'],
    ['idea://open?file={abs}&line={line}', 'idea://open?file=/home/me/app/main.go&line=3'],
    ['{rel}#L{line}', 'main.go#L3'],
  ])('%s', (template, expected) => {
    expect(
      editorLink(template, { abs: '/home/me/app/main.go', rel: 'main.go', line: 3, column: 7 }),
    ).toBe(expected);
  });

  it('percent-encodes spaces in the path', () => {
    expect(editorLink('{abs}', { abs: '/a b/c.go', rel: 'c.go', line: 1, column: 1 })).toBe(
      '/a%20b/c.go',
    );
  });
});
