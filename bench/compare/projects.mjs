// Generated Go projects for bench/compare.mjs. Every project serves
//   greeting() | leaf.Value() | the embedded asset.txt
// on "/", so an edit in the main package, deep in a dependency, and in an embedded asset each
// shows in the response. Every app appends its pid to $BENCH_STARTS when it starts, so restarts
// are counted by the app itself, not from any tool's log.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const MODULE = 'example.com/benchapp';
/** Pinned framework of the medium project (never upgraded with -u). */
export const GIN = 'github.com/gin-gonic/gin@v1.10.0';

const write = (file, text) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};

export const greetingSource = (text, comment = 'greeting is what the handler says.') =>
  `package main\n\n// ${comment}\nfunc greeting() string {\n\treturn ${JSON.stringify(text)}\n}\n`;

export const leafSource = (text) =>
  `package leaf\n\n// Value is deep in the dependency chain.\nfunc Value() string {\n\treturn ${JSON.stringify(text)}\n}\n`;

/** One of the 500 files of internal/gen; `comment` varies for the checkout scenario. */
export const genSource = (i, comment = 'generated', value = i) =>
  `package gen\n\n// ${comment} ${i}\nconst C${i} = ${value}\n`;

export const GEN_FILES = 500;

const startsHook = `func init() {
	if f := os.Getenv("BENCH_STARTS"); f != "" {
		if fh, err := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintln(fh, os.Getpid())
			fh.Close()
		}
	}
}
`;

function mainSource(framework, chainRoot) {
  const imports = [
    '_ "embed"',
    '"fmt"',
    '"os"',
    `"${MODULE}/internal/gen"`,
    `"${MODULE}/internal/leaf"`,
  ];
  if (chainRoot) imports.push(`"${MODULE}/${chainRoot}"`);
  if (framework === 'gin') imports.push('"github.com/gin-gonic/gin"');
  else imports.push('"net/http"');
  const body = () =>
    `greeting() + "|" + leaf.Value() + "|" + asset${chainRoot ? ' + chain.Touch()' : ''}`;
  const serve =
    framework === 'gin'
      ? `	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/", func(c *gin.Context) { c.String(200, ${body()}) })
	_ = r.Run(os.Getenv("ADDR"))`
      : `	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, ${body()}) })
	_ = http.ListenAndServe(os.Getenv("ADDR"), nil)`;
  return `package main

import (
${imports.map((i) => `\t${i}`).join('\n')}
)

//go:embed asset.txt
var asset string

var _ = gen.C0

${startsHook}
func main() {
${serve}
}
`;
}

/**
 * Writes a project. size: 'small' (net/http, main + leaf + gen), 'medium' (gin + ~200
 * packages / ~1,000 files of its own in a chain), 'large' (small's app plus `largeFiles`
 * files in ~largeFiles/20 directories that are outside the closure).
 */
export function generate(dir, size, { largeFiles = 100_000, go = 'go' } = {}) {
  const framework = size === 'medium' ? 'gin' : 'http';
  const chainRoot = size === 'medium' ? 'internal/chain/p000' : undefined;
  write(path.join(dir, 'go.mod'), `module ${MODULE}\n\ngo 1.26\n`);
  write(path.join(dir, 'main.go'), mainSource(framework, chainRoot ? 'internal/chain/p000' : ''));
  if (chainRoot) {
    // fix the import alias: the package is named chain
    write(
      path.join(dir, 'main.go'),
      mainSource(framework, chainRoot).replace(
        `"${MODULE}/${chainRoot}"`,
        `chain "${MODULE}/${chainRoot}"`,
      ),
    );
  }
  write(path.join(dir, 'greeting.go'), greetingSource('hello'));
  write(
    path.join(dir, 'greeting_test.go'),
    'package main\n\nimport "testing"\n\nfunc TestGreeting(t *testing.T) {\n\tif greeting() == "" {\n\t\tt.Fatal("empty")\n\t}\n}\n',
  );
  write(path.join(dir, 'asset.txt'), 'asset-0');
  write(path.join(dir, 'internal/leaf/leaf.go'), leafSource('leaf-0'));
  for (let i = 0; i < GEN_FILES; i++) write(path.join(dir, `internal/gen/g${i}.go`), genSource(i));
  // A package of the module that the binary does not import.
  write(
    path.join(dir, 'tools/unused/unused.go'),
    'package unused\n\n// Unused is outside the binary.\nfunc Unused() string { return "u0" }\n',
  );
  if (size === 'medium') {
    // ~200 packages in a chain p000 -> p001 -> ... (the deepest imports leaf), 5 files each.
    const n = 200;
    for (let p = 0; p < n; p++) {
      const name = `p${String(p).padStart(3, '0')}`;
      const next = p + 1 < n ? `p${String(p + 1).padStart(3, '0')}` : undefined;
      const pkgDir = path.join(dir, 'internal/chain', name);
      const imp = next
        ? `chain${next} "${MODULE}/internal/chain/${next}"`
        : `"${MODULE}/internal/leaf"`;
      const call = next ? `chain${next}.Touch()` : '""';
      write(
        path.join(pkgDir, 'a.go'),
        `package chain\n\nimport ${imp}\n\n// Touch links the chain.\nfunc Touch() string { return ${call} }\n${next ? '' : 'var _ = leaf.Value\n'}`,
      );
      for (let f = 1; f < 5; f++)
        write(
          path.join(pkgDir, `f${f}.go`),
          `package chain\n\n// T${f} is filler code of a real package.\ntype T${f} struct{ A, B int }\n\nfunc (t T${f}) Sum() int { return t.A + t.B + ${f} }\n`,
        );
    }
    const r = spawnSync(go, ['get', GIN], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
    });
    if (r.status !== 0) throw new Error(`go get ${GIN} failed:\n${r.stderr}`);
    const t = spawnSync(go, ['mod', 'tidy'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GOTOOLCHAIN: 'local' },
    });
    if (t.status !== 0) throw new Error(`go mod tidy failed:\n${t.stderr}`);
  }
  if (size === 'large') {
    // Outside the closure: vendored-looking Go trees, docs, generated code, a
    // node_modules-like folder under another name (not excluded by any tool's defaults).
    const kinds = ['third_party', 'docs', 'generated', 'web/js_deps'];
    const perDir = 20;
    const dirs = Math.ceil(largeFiles / perDir);
    for (let d = 0; d < dirs; d++) {
      const kind = kinds[d % kinds.length];
      const sub = path.join(dir, kind, `g${Math.floor(d / 50)}`, `d${d}`);
      mkdirSync(sub, { recursive: true });
      for (let f = 0; f < perDir; f++) {
        if (kind === 'docs') writeFileSync(path.join(sub, `p${f}.md`), `# page ${d}.${f}\n`);
        else if (kind === 'web/js_deps')
          writeFileSync(path.join(sub, `m${f}.js`), `module.exports = ${f};\n`);
        else writeFileSync(path.join(sub, `x${f}.go`), `package d${d}\n\nconst X${f} = ${f}\n`);
      }
    }
  }
}

/** Makes the project a git repository with a branch `other` that rewrites 500 files. */
export function gitCheckoutSetup(dir, realText) {
  const git = (...args) => {
    const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=b@b', '-c', 'user.name=b', 'add', '-A');
  git('-c', 'user.email=b@b', '-c', 'user.name=b', 'commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'other');
  // 499 comment-only rewrites of generated code plus one real change.
  for (let i = 1; i < GEN_FILES; i++)
    writeFileSync(path.join(dir, `internal/gen/g${i}.go`), genSource(i, 'regenerated'));
  writeFileSync(path.join(dir, 'greeting.go'), greetingSource(realText));
  git('-c', 'user.email=b@b', '-c', 'user.name=b', 'commit', '-q', '-am', 'other');
  git('checkout', '-q', 'main');
}
