// Regenerates the captured `go list` output used by model.test.ts.
// Run: node src/go/testdata/capture-list.mjs   (needs the real go; writes list-*.json here)
// Each case copies a fixture to CAPTURE_ROOT/<case>, optionally changes files, runs the
// same go list command line as listArgs() in src/go/list.ts (model.test.ts checks that the
// saved args still equal it), and saves the packages with the inputs the model needs.
// Standard-library packages are trimmed to the fields the model reads for them, to keep
// the files small; every other package is saved as go printed it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, '..', '..', '..', 'test', 'fixtures');
const CAPTURE_ROOT = '/tmp/gohot-capture-list';
const GO = process.env.GOHOT_GO ?? 'go';
const FIELDS =
  'ImportPath,Dir,Name,Goroot,Standard,DepOnly,Module,GoFiles,CgoFiles,CFiles,CXXFiles,HFiles,' +
  'SFiles,SysoFiles,MFiles,FFiles,SwigFiles,SwigCXXFiles,IgnoredGoFiles,IgnoredOtherFiles,' +
  'InvalidGoFiles,EmbedPatterns,EmbedFiles,Imports,Incomplete,Error,DepsErrors';

/**
 * @type {Record<string, {fixture: string, dir: string, pkg?: string, env?: Record<string,string>,
 *   files?: Record<string,string>}>}
 */
const CASES = {
  // The rich fixture as committed: workspace, local replace, embeds, GOOS files.
  'go-aware': { fixture: 'go-aware', dir: 'app' },
  // The same for GOOS=windows: platform_windows.go and windows_only.go build, _linux does not.
  'go-aware-windows': { fixture: 'go-aware', dir: 'app', env: { GOOS: 'windows' } },
  // The main package imports internal/broken, which imports a package that does not exist.
  'go-aware-broken-dep': {
    fixture: 'go-aware',
    dir: 'app',
    files: { 'app/usebroken.go': 'package main\n\nimport _ "example.com/app/internal/broken"\n' },
  },
  // The main package's own import block does not parse.
  'go-aware-main-error': {
    fixture: 'go-aware',
    dir: 'app',
    files: { 'app/bad.go': 'package main\n\nimport ( "fmt"\n\nfunc f() {}\n' },
  },
  // The requested main package does not exist.
  'go-aware-missing-main': { fixture: 'go-aware', dir: 'app', pkg: './cmd/missing' },
  // A cgo package with C, header and assembly files next to its Go files.
  'go-aware-cgo': {
    fixture: 'go-aware',
    dir: 'app',
    env: { CGO_ENABLED: '1' },
    files: {
      'app/usenative.go': 'package main\n\nimport _ "example.com/app/native"\n',
      'app/native/native.go':
        'package native\n\n// #include "native.h"\nimport "C"\n\n// Answer calls C.\nfunc Answer() int { return int(C.answer()) }\n',
      'app/native/native.c': '#include "native.h"\nint answer(void) { return 42; }\n',
      'app/native/native.h': 'int answer(void);\n',
      'app/native/pure.go': 'package native\n\n// Pure is plain Go.\nfunc Pure() {}\n',
    },
  },
  // Vendor mode: example.com/vlib is read from vendor/, not from third_party/vlib.
  'go-aware-vendor': { fixture: 'go-aware-vendor', dir: '.' },
};

const STANDARD_FIELDS = ['ImportPath', 'Dir', 'Name', 'Goroot', 'Standard', 'DepOnly', 'Imports'];

rmSync(CAPTURE_ROOT, { recursive: true, force: true });
const baseEnv = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '', LANG: 'C' };
const goEnv = JSON.parse(
  spawnSync(GO, ['env', '-json', 'GOVERSION', 'GOROOT', 'GOMODCACHE'], {
    env: baseEnv,
    encoding: 'utf8',
  }).stdout,
);
for (const [name, c] of Object.entries(CASES)) {
  const root = join(CAPTURE_ROOT, name);
  cpSync(join(FIXTURES, c.fixture), root, { recursive: true });
  for (const [rel, content] of Object.entries(c.files ?? {})) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  const cwd = join(root, c.dir);
  const pkg = c.pkg ?? '.';
  const args = ['list', '-e', '-deps', `-json=${FIELDS}`, '-buildvcs=false', '--', pkg];
  const r = spawnSync(GO, args, { cwd, env: { ...baseEnv, ...c.env }, encoding: 'utf8' });
  const packages = JSON.parse(`[${r.stdout.replace(/}\n{/g, '},{')}]`).map((p) =>
    p.Standard ? Object.fromEntries(STANDARD_FIELDS.flatMap((k) => (k in p ? [[k, p[k]]] : []))) : p,
  );
  const capture = {
    goVersion: goEnv.GOVERSION,
    cwd,
    pkg,
    env: c.env ?? {},
    goroot: goEnv.GOROOT,
    gomodcache: goEnv.GOMODCACHE,
    args,
    exitCode: r.status,
    stderr: r.stderr,
    packages,
  };
  // One package per line: diffs of a re-capture stay readable.
  const lines = packages.map((p) => `    ${JSON.stringify(p)}`).join(',\n');
  const head = JSON.stringify({ ...capture, packages: undefined }, null, 2).replace(/\n}$/, '');
  writeFileSync(join(HERE, `list-${name}.json`), `${head},\n  "packages": [\n${lines}\n  ]\n}\n`);
  console.log(`${name}: ${packages.length} packages, exit ${r.status}`);
}
console.log(`captured ${Object.keys(CASES).length} listings with ${goEnv.GOVERSION} into ${HERE}`);
