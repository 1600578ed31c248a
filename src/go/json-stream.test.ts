import { describe, expect, it } from 'vitest';
import { parseJsonStream } from './json-stream.js';

describe('parseJsonStream', () => {
  it.each([
    ['', []],
    ['  \n\t ', []],
    ['{}', [{}]],
    ['{"a":1}{"b":2}', [{ a: 1 }, { b: 2 }]],
    ['{\n\t"a": 1\n}\n{\n\t"b": [1, {"c": 2}]\n}\n', [{ a: 1 }, { b: [1, { c: 2 }] }]],
    ['{"s": "} { ] ["}', [{ s: '} { ] [' }]],
    ['{"s": "quote \\" and brace }"}{"t":1}', [{ s: 'quote " and brace }' }, { t: 1 }]],
    ['{"s": "backslash at end \\\\"}{"t":1}', [{ s: 'backslash at end \\' }, { t: 1 }]],
    ['[1,2]\n{"x":null}', [[1, 2], { x: null }]],
    ['{"u": "\\u00e9 ü"}', [{ u: 'é ü' }]],
  ])('%j', (text, expected) => {
    expect(parseJsonStream(text)).toEqual(expected);
  });

  it('reads go list output captured from go 1.26 (indented, back to back)', () => {
    const text =
      '{\n\t"Dir": "/w/app",\n\t"ImportPath": "example.com/app",\n\t"Name": "main"\n}\n' +
      '{\n\t"ImportPath": "./nonexist",\n\t"Error": {\n\t\t"ImportStack": [],\n\t\t"Pos": "",\n' +
      '\t\t"Err": "stat /w/app/nonexist: directory not found"\n\t}\n}\n';
    expect(parseJsonStream(text)).toEqual([
      { Dir: '/w/app', ImportPath: 'example.com/app', Name: 'main' },
      {
        ImportPath: './nonexist',
        Error: { ImportStack: [], Pos: '', Err: 'stat /w/app/nonexist: directory not found' },
      },
    ]);
  });

  it.each([
    ['go: warning: "./..." matched no packages\n{}'],
    ['{"a":1}}'],
    ['{"a":1'],
    ['{"a":"unterminated}'],
    ['{"a":1,}'],
    ['"top-level string"'],
  ])('rejects %j with GO_OUTPUT_INVALID', (text) => {
    expect(() => parseJsonStream(text)).toThrowError(
      expect.objectContaining({ code: 'GO_OUTPUT_INVALID' }),
    );
  });
});
