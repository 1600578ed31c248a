import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createProgressCounter, parseProgressLine } from './build-progress.js';

// Captured from go1.26 `go build -v [-json]` of a module importing fmt, net/http and
// encoding/json: the start and end of a cold build, and a build with a compile error.
const capture = (name: string) =>
  readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean);

describe('parseProgressLine', () => {
  it('-json: counts the build-output events that are exactly a package path', () => {
    const lines = capture('build-v-cold.json.txt');
    const pkgs = lines.map((l) => parseProgressLine(l, true));
    expect(pkgs.slice(0, 3)).toEqual(['internal/unsafeheader', 'internal/goarch', 'internal/cpu']);
    expect(pkgs.at(-1)).toBe('example.com/p');
    expect(pkgs.every((p) => p !== undefined)).toBe(true);
  });

  it('-json: a compile error is output, not progress', () => {
    const pkgs = capture('build-v-error.json.txt').map((l) => parseProgressLine(l, true));
    expect(pkgs).toEqual(['example.com/p', undefined, undefined, undefined]);
  });

  it('text: package paths on stderr, headers and diagnostics are not', () => {
    const pkgs = capture('build-v-error.text.txt').map((l) => parseProgressLine(l, false));
    expect(pkgs).toEqual(['example.com/p', undefined, undefined]);
  });

  it.each([
    ['go: downloading golang.org/x/text v0.3.0', undefined],
    ['# runtime/cgo', undefined],
    ['exit status 2', undefined],
    ['command-line-arguments', 'command-line-arguments'],
    ['golang.org/x/net/http2/hpack', 'golang.org/x/net/http2/hpack'],
    ['', undefined],
  ])('text %j -> %j', (line, pkg) => {
    expect(parseProgressLine(line, false)).toBe(pkg);
  });

  it.each([
    ['not json', undefined],
    ['{"ImportPath":"a","Action":"build-fail"}', undefined],
    ['{"ImportPath":"a","Action":"build-output","Output":"a\\n"}', 'a'],
    ['{"ImportPath":"a","Action":"build-output","Output":"./a.go:1:1: x\\n"}', undefined],
    ['{"ImportPath":"a","Action":"build-output"', undefined],
  ])('json %j -> %j', (line, pkg) => {
    expect(parseProgressLine(line, true)).toBe(pkg);
  });
});

describe('createProgressCounter', () => {
  it('reports the first package at once, then at most once per interval', () => {
    let t = 0;
    const reports: Array<[number, number]> = [];
    const counter = createProgressCounter({
      intervalMs: 100,
      now: () => t,
      onProgress: (done) => reports.push([t, done]),
    });
    for (const [at, pkg] of [
      [0, 'a'],
      [10, 'b'],
      [10, 'b'],
      [99, 'c'],
      [100, 'd'],
      [150, 'e'],
      [250, 'f'],
    ] as const) {
      t = at;
      counter.add(pkg);
    }
    expect(reports).toEqual([
      [0, 1],
      [100, 4],
      [250, 6],
    ]);
    expect(counter.done).toBe(6);
  });
});
