// The CLI as one file: `tsc` compiles src/ to dist/ (the modules benches and tools import), then
// this replaces dist/cli/main.js with that file and everything it imports (gohot's modules and
// its runtime dependencies) bundled. Loading ~190 ES modules one by one (resolve, read, compile,
// link each) cost 150-250 ms of every start; one bundled file loads in a fraction of that
// (README: Dependencies, and why). Paths main.js reads relative to itself (../../package.json)
// stay valid: the bundle is written where main.js was.
import { build } from 'esbuild';

const entry = new URL('../dist/cli/main.js', import.meta.url).pathname;
await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // jsonc-parser's "main" is a UMD build whose requires esbuild cannot follow; its "module" is ESM.
  mainFields: ['module', 'main'],
  // picomatch is CommonJS and requires Node's modules: give the ES module bundle a require.
  banner: {
    js: "import { createRequire as gohotRequire } from 'node:module';\nconst require = gohotRequire(import.meta.url);",
  },
  legalComments: 'eof',
  logLevel: 'warning',
});
