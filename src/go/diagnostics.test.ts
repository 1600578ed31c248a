import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseBuildJson, parseBuildText } from './diagnostics.js';
import type { Diagnostic } from './types.js';

// Real go build output captured by testdata/capture.mjs (go and cwd recorded in
// captures.json): every case exists in text mode and in -json mode.
const TESTDATA = join(import.meta.dirname, 'testdata');
const captures = JSON.parse(readFileSync(join(TESTDATA, 'captures.json'), 'utf8')) as {
  goVersion: string;
  cases: Record<string, { cwd: string; args: string[]; exitCode: number }>;
};

function capture(name: string, mode: 'text' | 'json'): { out: string; cwd: string } {
  const meta = captures.cases[`${name}.${mode}`];
  if (meta === undefined) throw new Error(`no capture ${name}.${mode} in captures.json`);
  return { out: readFileSync(join(TESTDATA, `${name}.${mode}.txt`), 'utf8'), cwd: meta.cwd };
}

type Expected = {
  file?: string;
  line?: number;
  column?: number;
  message: string;
  importPath?: string;
};

/** Expected diagnostics per case; file paths relative to the capture cwd. */
const CASES: Record<string, { text: Expected[]; jsonImportPaths?: (string | undefined)[] }> = {
  'syntax-error': {
    text: [
      {
        file: 'main.go',
        line: 6,
        column: 18,
        message: 'syntax error: unexpected newline in argument list; possibly missing comma or )',
        importPath: 'example.com/t',
      },
    ],
  },
  'dep-type-error': {
    text: [
      {
        file: 'lib/lib.go',
        line: 4,
        column: 9,
        message: 'cannot use 1 (untyped int constant) as string value in return statement',
        importPath: 'example.com/t/lib',
      },
    ],
  },
  'missing-import': {
    text: [
      {
        file: 'main.go',
        line: 6,
        column: 2,
        message:
          'no required module provides package example.com/t/nope; to add it:\n\tgo get example.com/t/nope',
      },
      {
        file: 'main.go',
        line: 7,
        column: 2,
        message:
          'no required module provides package github.com/foo/bar; to add it:\n\tgo get github.com/foo/bar',
      },
    ],
    // -json attributes a missing import to the (missing) package it failed to load.
    jsonImportPaths: ['example.com/t/nope', 'github.com/foo/bar'],
  },
  'undefined-pkg': {
    text: [
      {
        file: 'main.go',
        line: 4,
        column: 2,
        message: 'undefined: fmt',
        importPath: 'example.com/t',
      },
      {
        file: 'main.go',
        line: 4,
        column: 14,
        message: 'undefined: strings',
        importPath: 'example.com/t',
      },
    ],
  },
  'too-many': {
    text: [
      ...Array.from({ length: 10 }, (_, i) => ({
        file: 'main.go',
        line: 4 + i,
        column: 15,
        message: `cannot use "s${i}" (untyped string constant) as int value in variable declaration`,
        importPath: 'example.com/t',
      })),
      // Printed as "./main.go:13:15: too many errors": the position repeats the last error.
      { message: 'too many errors', importPath: 'example.com/t' },
    ],
  },
  'have-want': {
    text: [
      {
        file: 'main.go',
        line: 10,
        column: 8,
        message: 'not enough arguments in call to f\n\thave (number)\n\twant (int, int)',
        importPath: 'example.com/t',
      },
      {
        file: 'main.go',
        line: 11,
        column: 20,
        message:
          'cannot use T{} (value of struct type T) as io.Reader value in variable declaration: T does not implement io.Reader (missing method Read)',
        importPath: 'example.com/t',
      },
    ],
  },
  'two-failing-deps': {
    text: [
      {
        file: 'a/a.go',
        line: 3,
        column: 12,
        message: 'undefined: undefinedA',
        importPath: 'example.com/t/a',
      },
      {
        file: 'b/b.go',
        line: 3,
        column: 24,
        message: 'cannot use "b" (untyped string constant) as int value in variable declaration',
        importPath: 'example.com/t/b',
      },
    ],
  },
  'import-cycle': {
    text: [
      {
        message:
          'package example.com/t\n\timports example.com/t/a from main.go\n\timports example.com/t/b from a.go\n\timports example.com/t/a from b.go: import cycle not allowed',
      },
    ],
    jsonImportPaths: ['example.com/t/a'],
  },
  'bad-go-mod': {
    // Printed before any package is built: plain stderr even in -json mode.
    text: [
      { message: 'go: errors parsing go.mod:' },
      { file: 'go.mod', line: 5, message: 'unknown directive: bogus' },
    ],
  },
  'no-such-package': {
    text: [{ message: 'stat /tmp/gohot-capture/no-such-package/cmd/missing: directory not found' }],
    jsonImportPaths: ['./cmd/missing'],
  },
  'vet-unused': {
    text: [
      {
        file: 'main.go',
        line: 3,
        column: 8,
        message: '"os" imported and not used',
        importPath: 'example.com/t',
      },
      {
        file: 'main.go',
        line: 6,
        column: 2,
        message: 'declared and not used: x',
        importPath: 'example.com/t',
      },
    ],
  },
};

function absolute(expected: Expected[], cwd: string): Diagnostic[] {
  return expected.map((e) => ({
    file: e.file === undefined ? undefined : join(cwd, e.file),
    line: e.line,
    column: e.column,
    message: e.message,
    importPath: e.importPath,
  }));
}

/** Parallel package builds print in any order; compare per-package order-insensitively. */
function byPosition(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) =>
    `${a.file}:${String(a.line).padStart(6)}`.localeCompare(
      `${b.file}:${String(b.line).padStart(6)}`,
    ),
  );
}

describe('captured go build output', () => {
  it('covers every captured case', () => {
    const captured = Object.keys(captures.cases).map((k) => k.replace(/\.(text|json)$/, ''));
    expect([...new Set(captured)].sort()).toEqual(Object.keys(CASES).sort());
    expect(captures.goVersion).toMatch(/^go1\.(2[4-9]|[3-9]\d)/);
  });

  describe.each(Object.entries(CASES))('%s', (name, c) => {
    it('parseBuildText', () => {
      const { out, cwd } = capture(name, 'text');
      const got = parseBuildText(out, cwd);
      const want = absolute(c.text, cwd);
      if (name === 'two-failing-deps') expect(byPosition(got)).toEqual(byPosition(want));
      else expect(got).toEqual(want);
    });

    it('parseBuildJson', () => {
      const { out, cwd } = capture(name, 'json');
      const { diagnostics, text } = parseBuildJson(out, cwd);
      const want = absolute(c.text, cwd).map((d, i) =>
        c.jsonImportPaths === undefined ? d : { ...d, importPath: c.jsonImportPaths[i] },
      );
      if (name === 'two-failing-deps') expect(byPosition(diagnostics)).toEqual(byPosition(want));
      else expect(diagnostics).toEqual(want);
      // The joined Output is exactly what text mode prints (up to package order).
      const textOut = capture(name, 'text').out;
      if (name === 'two-failing-deps') {
        expect(text.split('\n').sort()).toEqual(textOut.split('\n').sort());
      } else {
        expect(text).toBe(textOut);
      }
    });
  });
});

describe('parseBuildText edge cases', () => {
  it.each<[string, string, Partial<Diagnostic>[]]>([
    [
      'absolute paths stay absolute',
      '/usr/local/go/src/x/y.go:1:2: boom\n',
      [{ file: '/usr/local/go/src/x/y.go', line: 1, column: 2, message: 'boom' }],
    ],
    [
      'a continuation without a preceding error stands alone',
      '\tgo get x\n',
      [{ message: 'go get x' }],
    ],
    ['blank lines are skipped', '\n\n', []],
    [
      'CRLF line ends',
      '# example.com/t\r\nmain.go:1:1: bad\r\n',
      [{ file: '/w/main.go', line: 1, column: 1, message: 'bad', importPath: 'example.com/t' }],
    ],
    [
      'a go: line ends the package block',
      '# example.com/t\nmain.go:1:1: bad\ngo: something failed\n',
      [{ importPath: 'example.com/t' }, { message: 'go: something failed', importPath: undefined }],
    ],
    [
      'a message that contains a position is not split at it',
      'package a: x.go:3: nope\n',
      [{ file: undefined, message: 'package a: x.go:3: nope' }],
    ],
    [
      '<autogenerated> positions name no file',
      '<autogenerated>:1: bad\n',
      [{ file: undefined, line: undefined, message: '<autogenerated>:1: bad' }],
    ],
    [
      'linker errors under a header keep the package',
      '# example.com/t\n/usr/local/go/pkg/tool/linux_amd64/link: running gcc failed: exit status 1\n',
      [
        {
          file: undefined,
          message: '/usr/local/go/pkg/tool/linux_amd64/link: running gcc failed: exit status 1',
          importPath: 'example.com/t',
        },
      ],
    ],
  ])('%s', (_, text, expected) => {
    const got = parseBuildText(text, '/w');
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(got[i]).toMatchObject(e);
    });
  });
});

describe('parseBuildJson edge cases', () => {
  it('joins an output line split over two events and keeps packages apart', () => {
    const events = [
      { ImportPath: 'example.com/a', Action: 'build-output', Output: '# example.com/a\n' },
      { ImportPath: 'example.com/a', Action: 'build-output', Output: 'a.go:1:1: not enough ' },
      { ImportPath: 'example.com/b', Action: 'build-output', Output: '# example.com/b\n' },
      { ImportPath: 'example.com/a', Action: 'build-output', Output: 'arguments\n' },
      { ImportPath: 'example.com/b', Action: 'build-output', Output: 'b.go:2:3: bad\n' },
      { ImportPath: 'example.com/a', Action: 'build-output', Output: '\thave ()\n' },
      { ImportPath: 'example.com/a', Action: 'build-fail' },
    ];
    const text = `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
    const r = parseBuildJson(text, '/w');
    expect(r.diagnostics).toEqual([
      {
        file: '/w/a.go',
        line: 1,
        column: 1,
        message: 'not enough arguments\n\thave ()',
        importPath: 'example.com/a',
      },
      {
        file: '/w/b.go',
        line: 2,
        column: 3,
        message: 'bad',
        importPath: 'example.com/b',
      },
    ]);
    expect(r.text).toBe(
      '# example.com/a\na.go:1:1: not enough # example.com/b\narguments\nb.go:2:3: bad\n\thave ()\n',
    );
  });

  it('keeps plain stderr lines mixed into the JSON stream', () => {
    const text =
      'go: downloading example.com/x v1.0.0\n' +
      '{"ImportPath":"example.com/t","Action":"build-output","Output":"# example.com/t\\n"}\n' +
      '{"ImportPath":"example.com/t","Action":"build-output","Output":"./m.go:1:2: x\\n"}\n';
    const r = parseBuildJson(text, '/w');
    expect(r.text).toBe('go: downloading example.com/x v1.0.0\n# example.com/t\n./m.go:1:2: x\n');
    expect(r.diagnostics.map((d) => [d.file, d.message])).toEqual([
      [undefined, 'go: downloading example.com/x v1.0.0'],
      ['/w/m.go', 'x'],
    ]);
  });
});

describe('formatDiagnostic', () => {
  const d = (over: Partial<Diagnostic>): Diagnostic => ({
    file: '/w/app/main.go',
    line: 3,
    column: 7,
    message: 'undefined: x',
    importPath: 'example.com/app',
    ...over,
  });
  it.each<[Partial<Diagnostic>, string, string]>([
    [{}, '/w/app', 'main.go:3:7: undefined: x'],
    [{}, '/w', 'app/main.go:3:7: undefined: x'],
    [{}, '/elsewhere/deep/down', '/w/app/main.go:3:7: undefined: x'],
    [{ column: undefined }, '/w/app', 'main.go:3: undefined: x'],
    [{ file: undefined, line: undefined, column: undefined }, '/w', 'undefined: x'],
    [
      { message: 'not enough arguments\n\thave ()\n\twant (int)' },
      '/w/app',
      'main.go:3:7: not enough arguments\n\thave ()\n\twant (int)',
    ],
  ])('%j from %s', (over, cwd, expected) => {
    expect(formatDiagnostic(d(over), cwd)).toBe(expected);
  });

  it('round-trips through parseBuildText', () => {
    const text = 'lib/lib.go:4:9: cannot use 1 (untyped int constant) as string value\n';
    const [parsed] = parseBuildText(text, '/w');
    expect(parsed).toBeDefined();
    expect(`${formatDiagnostic(parsed!, '/w')}\n`).toBe(text);
  });
});

describe('paths with colons', () => {
  // Regression: a `replace => "../x:y lib"` directory lost the position of its errors.
  it('keeps the position of a file whose directory name contains a colon', () => {
    const [d] = parseBuildText(
      '# example.com/lib\n../x:y lib/lib.go:3:12: undefined: undefined\n',
      '/tmp/pd/app',
    );
    expect(d).toMatchObject({ file: '/tmp/pd/x:y lib/lib.go', line: 3, column: 12 });
  });

  it('still reads "package a: x.go:3: msg" as a message without a position', () => {
    const [d] = parseBuildText('package a: x.go:3: bad thing\n', '/tmp');
    expect(d?.file).toBeUndefined();
  });
});

describe('parseBuildText of a test binary', () => {
  it('reads the `# x [x.test]` header as the package (go test)', () => {
    const d = parseBuildText(
      '# example.com/chain/b [example.com/chain/b.test]\nb/b_test.go:10:17: invalid operation\n',
      '/m',
    );
    expect(d).toEqual([
      {
        file: '/m/b/b_test.go',
        line: 10,
        column: 17,
        message: 'invalid operation',
        importPath: 'example.com/chain/b',
      },
    ]);
  });
});
