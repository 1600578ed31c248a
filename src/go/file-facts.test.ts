import { describe, expect, it } from 'vitest';
import { compareGoFacts, type GoFactsChange, goFileFacts } from './file-facts.js';

const BASE = `//go:build linux && !race
// +build linux,!race

// Package server serves.
package server

import (
	"embed"
	"fmt"
	str "strings"
	. "math"
	_ "net/http/pprof"
)

import "os"

//go:embed static/*.html
//go:embed robots.txt
var static embed.FS

// Greet says hello.
func Greet(name string) string {
	msg := fmt.Sprintf("hello, %s", str.ToUpper(name)) // inline comment
	/* a general comment */
	return msg + fmt.Sprint(Pi, os.Args)
}
`;

/** `compareGoFacts` of BASE and BASE with `from` replaced by `to` (which must occur). */
function edit(from: string, to: string, base = BASE): GoFactsChange {
  expect(base).toContain(from);
  return compareGoFacts(goFileFacts(base), goFileFacts(base.replace(from, to)));
}

const SAME = { kind: 'same-tokens-same-lines' };
const SHIFTED = { kind: 'same-tokens-lines-shifted' };
const changed = (...structural: string[]) => ({ kind: 'tokens-changed', structural });

describe('goFileFacts', () => {
  it('reads the package, imports, constraints and embeds', () => {
    const facts = goFileFacts(BASE);
    expect(facts).toMatchObject({
      packageName: 'server',
      imports: ['embed', 'fmt', 'str strings', '. math', '_ net/http/pprof', 'os'],
      constraints: ['//go:build linux && !race', '// +build linux,!race'],
      embeds: ['//go:embed static/*.html', '//go:embed robots.txt'],
      cgo: false,
      scanError: undefined,
    });
    expect(facts.tokens).toMatch(/^[0-9a-f]{16}$/);
    expect(facts.lines.startsWith(facts.tokens)).toBe(true);
  });

  it('takes constraints only before the package clause', () => {
    const facts = goFileFacts('package p\n\n//go:build linux\n');
    expect(facts.constraints).toEqual([]);
  });

  it('unquotes import paths with escapes and raw quotes', () => {
    expect(goFileFacts('package p\nimport ("\\x66mt"; `os`; "\\u0069o")\n').imports).toEqual([
      'fmt',
      'os',
      'io',
    ]);
  });

  it('knows a cgo file, however "C" is written', () => {
    expect(goFileFacts('package p\n// #include <stdio.h>\nimport "C"\n').cgo).toBe(true);
    expect(goFileFacts('package p\nimport (\n\t"fmt"\n\t"\\x43"\n)\n').cgo).toBe(true);
    expect(goFileFacts('package p\nimport "fmt"\nvar C = "C"\n').cgo).toBe(false);
  });

  it('gives the same facts for the same text and for CRLF line endings', () => {
    expect(goFileFacts(BASE)).toEqual(goFileFacts(BASE));
    const crlf = BASE.replaceAll('\n', '\r\n');
    expect(compareGoFacts(goFileFacts(BASE), goFileFacts(crlf))).toEqual(SAME);
    const raw = 'package p\nvar s = `a\nb`\n';
    expect(compareGoFacts(goFileFacts(raw), goFileFacts(raw.replaceAll('\n', '\r\n')))).toEqual(
      SAME,
    );
  });

  it('does not throw on a file that does not scan, and counts every edit of it', () => {
    const broken = 'package p\n// note\nvar s = "unterminated\n';
    const facts = goFileFacts(broken);
    expect(facts.scanError).toEqual({
      offset: 26,
      line: 3,
      message: 'string literal not terminated',
    });
    expect(facts.packageName).toBe('p');
    expect(edit('// note', '// other', broken)).toEqual(changed());
    expect(compareGoFacts(facts, goFileFacts(broken))).toEqual(SAME);
  });
});

describe('goFileFacts: complete', () => {
  const whole =
    'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("a{b", \'(\', []int{1})\n}\n';

  it('a gofmt-ed file is complete', () => {
    expect(goFileFacts(whole).complete).toBe(true);
  });

  it('a cut inside a declaration never is; only cuts between top-level declarations look whole', () => {
    // An editor writing in place: every prefix is what a read in the middle can see.
    const cutsThatLookWhole: string[] = [];
    for (let n = 0; n < whole.length; n++) {
      if (goFileFacts(whole.slice(0, n)).complete) cutsThatLookWhole.push(whole.slice(0, n));
    }
    expect(cutsThatLookWhole).toEqual([
      'package main\n',
      'package main\n\n',
      'package main\n\nimport "fmt"\n',
      'package main\n\nimport "fmt"\n\n',
    ]);
  });

  it('brackets in strings, runes and comments do not count; a stray close does not cancel an open', () => {
    expect(goFileFacts('package p\n\n// {\nvar s = "(" + `[`\nvar r = \'{\'\n').complete).toBe(
      true,
    );
    expect(goFileFacts('package p\n\nfunc f() {}}\nfunc g() {\n').complete).toBe(false);
    expect(goFileFacts('package p\n\nvar s = "unterminated\n').complete).toBe(false);
    expect(goFileFacts('').complete).toBe(false);
    expect(goFileFacts('package p').complete).toBe(false);
  });
});

describe('compareGoFacts', () => {
  it.each([
    ['a comment reworded', '// inline comment', '// another comment'],
    ['a doc comment reworded', '// Greet says hello.', '// Greet greets.'],
    ['a general comment emptied', '/* a general comment */', '/**/'],
    ['a comment removed at the end of a line', ' // inline comment', ''],
    ['white space inside a line', 'msg := fmt', 'msg   :=   fmt'],
    ['indentation', '\treturn msg', '        return msg'],
    ['trailing white space', 'static embed.FS\n', 'static embed.FS \t\n'],
  ])('%s: same tokens, same lines', (_name, from, to) => {
    expect(edit(from, to)).toEqual(SAME);
  });

  it.each([
    ['a comment line added', '// Greet says hello.\n', '// Greet says hello.\n// More.\n'],
    ['a blank line removed', '\n\n// Greet', '\n// Greet'],
    ['a call split over lines', 'fmt.Sprint(Pi, os.Args)', 'fmt.Sprint(\n\t\tPi,\n\t\tos.Args)'],
    [
      'a one-line comment turned into two lines',
      '/* a general comment */',
      '/* a general\n comment */',
    ],
    [
      'two statements joined with a semicolon',
      ') // inline comment\n\t/* a general comment */\n\treturn',
      '); return',
    ],
  ])('%s: same tokens, lines shifted', (_name, from, to) => {
    expect(edit(from, to)).toEqual(SHIFTED);
  });

  it.each([
    ['the //go:build line', '//go:build linux && !race', '//go:build linux', ['constraints']],
    ['the // +build line', '// +build linux,!race', '// +build linux', ['constraints']],
    [
      'a //go:embed pattern',
      '//go:embed robots.txt',
      '//go:embed robots.txt favicon.ico',
      ['embeds'],
    ],
    ['an import path', '"os"', '"os/exec"', ['imports']],
    ['an import name', 'str "strings"', 'strs "strings"', ['imports']],
    ['an import added', '"fmt"\n', '"fmt"\n\t"io"\n', ['imports']],
    ['the package name', 'package server', 'package main', ['package']],
    ['a string literal', '"hello, %s"', '"hi, %s"', []],
    ['an identifier', 'msg + fmt', 'msg2 + fmt', []],
    [
      'a //go:noinline added',
      '// Greet says hello.\n',
      '// Greet says hello.\n//go:noinline\n',
      [],
    ],
    ['a //line directive added', '// Greet says hello.\n', '//line greet.go:1\n', []],
    ['a comment turned into a directive', '// Greet says hello.', '//go:generate stringer', []],
  ])('%s: tokens changed', (_name, from, to, structural) => {
    expect(edit(from, to)).toEqual(changed(...structural));
  });

  it('names every structural fact that changed, in a fixed order', () => {
    const after = BASE.replace('package server', 'package main')
      .replace('"os"', '"io"')
      .replace('//go:embed robots.txt', '//go:embed robots2.txt');
    expect(compareGoFacts(goFileFacts(BASE), goFileFacts(after))).toEqual(
      changed('imports', 'embeds', 'package'),
    );
  });

  describe('in a cgo file every byte counts', () => {
    const CGO =
      'package p\n\n// #include <stdio.h>\n// #define N 1\nimport "C"\n\n// Print prints.\nfunc Print() { C.puts(nil) }\n';

    it.each([
      ['the preamble', '#define N 1', '#define N 2'],
      ['white space in the preamble', '#define N 1', '#define N  1'],
      ['a comment outside it', '// Print prints.', '// Print writes.'],
      ['white space outside it', 'func Print() {', 'func Print()  {'],
    ])('%s edited: tokens changed', (_name, from, to) => {
      expect(edit(from, to, CGO)).toEqual(changed());
    });

    it('and the same text is the same', () => {
      expect(compareGoFacts(goFileFacts(CGO), goFileFacts(CGO))).toEqual(SAME);
    });
  });
});
