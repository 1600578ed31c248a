// Regenerates the captured `go build` output used by diagnostics.test.ts.
// Run: node src/go/testdata/capture.mjs   (needs the real go; writes into this directory)
// Each case is a tiny module written to CAPTURE_ROOT/<case>; go build runs in that
// directory, in text mode and in -json mode, and the outputs are saved verbatim together
// with the cwd so relative paths in them can be resolved.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const CAPTURE_ROOT = '/tmp/gohot-capture';
const GO = process.env.GOHOT_GO ?? 'go';
const GOMOD = 'module example.com/t\n\ngo 1.21\n';

const tooMany = Array.from({ length: 14 }, (_, i) => `\tvar v${i} int = "s${i}"`).join('\n');

/** @type {Record<string, {files: Record<string,string>, pkg?: string}>} */
const CASES = {
  'syntax-error': {
    files: {
      'main.go': 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi"\n}\n',
    },
  },
  'dep-type-error': {
    files: {
      'main.go':
        'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/t/lib"\n)\n\nfunc main() {\n\tfmt.Println(lib.X())\n}\n',
      'lib/lib.go': 'package lib\n\nfunc X() string {\n\treturn 1\n}\n',
    },
  },
  'missing-import': {
    files: {
      'main.go':
        'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/t/nope"\n\t"github.com/foo/bar"\n)\n\nfunc main() {\n\tfmt.Println(nope.X, bar.Y)\n}\n',
    },
  },
  'undefined-pkg': {
    files: {
      'main.go': 'package main\n\nfunc main() {\n\tfmt.Println(strings.ToUpper("x"))\n}\n',
    },
  },
  'too-many': {
    files: {
      'main.go': `package main\n\nfunc main() {\n${tooMany}\n}\n`,
    },
  },
  'have-want': {
    files: {
      'main.go':
        'package main\n\nimport "io"\n\ntype T struct{}\n\nfunc f(a, b int) int { return a + b }\n\nfunc main() {\n\t_ = f(1)\n\tvar _ io.Reader = T{}\n}\n',
    },
  },
  'two-failing-deps': {
    files: {
      'main.go':
        'package main\n\nimport (\n\t"example.com/t/a"\n\t"example.com/t/b"\n)\n\nfunc main() {\n\ta.A()\n\tb.B()\n}\n',
      'a/a.go': 'package a\n\nfunc A() { undefinedA() }\n',
      'b/b.go': 'package b\n\nfunc B() { var x int = "b"; _ = x }\n',
    },
  },
  'import-cycle': {
    files: {
      'main.go': 'package main\n\nimport "example.com/t/a"\n\nfunc main() { a.A() }\n',
      'a/a.go': 'package a\n\nimport "example.com/t/b"\n\nfunc A() { b.B() }\n',
      'b/b.go': 'package b\n\nimport "example.com/t/a"\n\nfunc B() { a.A() }\n',
    },
  },
  'bad-go-mod': {
    files: {
      'go.mod': 'module example.com/t\n\ngo 1.21\n\nbogus directive\n',
      'main.go': 'package main\n\nfunc main() {}\n',
    },
  },
  'no-such-package': {
    files: { 'main.go': 'package main\n\nfunc main() {}\n' },
    pkg: './cmd/missing',
  },
  'vet-unused': {
    files: {
      'main.go': 'package main\n\nimport "os"\n\nfunc main() {\n\tx := 1\n}\n',
    },
  },
};

rmSync(CAPTURE_ROOT, { recursive: true, force: true });
const goVersion = spawnSync(GO, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false', LANG: 'C' };
const index = {};
for (const [name, c] of Object.entries(CASES)) {
  const cwd = join(CAPTURE_ROOT, name);
  const files = { 'go.mod': GOMOD, ...c.files };
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, rel)), { recursive: true });
    writeFileSync(join(cwd, rel), content);
  }
  for (const mode of ['text', 'json']) {
    const args = ['build', '-o', join(CAPTURE_ROOT, 'out', name)];
    if (mode === 'json') args.push('-json');
    args.push(c.pkg ?? '.');
    const r = spawnSync(GO, args, { cwd, env, encoding: 'utf8' });
    // Text mode prints diagnostics on stderr; -json mode prints JSON on stdout and early
    // fatal errors on stderr. gohot reads both, so save them as one file: stdout, then stderr.
    writeFileSync(join(HERE, `${name}.${mode}.txt`), r.stdout + r.stderr);
    index[`${name}.${mode}`] = { cwd, args, exitCode: r.status, output: 'stdout + stderr' };
  }
}
writeFileSync(join(HERE, 'captures.json'), `${JSON.stringify({ goVersion, cases: index }, null, 2)}\n`);
console.log(`captured ${Object.keys(index).length} outputs with ${goVersion} into ${HERE}`);
