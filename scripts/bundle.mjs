// The CLI as one file: `tsc` compiles src/ to dist/ (the modules benches and tools import), then
// this replaces dist/cli/main.js with that file and everything it imports (gohot's modules and
// its runtime dependencies) bundled. Loading ~190 ES modules one by one (resolve, read, compile,
// link each) cost 150-250 ms of every start; one bundled file loads in a fraction of that
// (README: "Start-up in one file"). Paths main.js reads relative to itself (../../package.json)
// stay valid: the bundle is written where main.js was. Run it after tsc only (npm run build):
// its input is tsc's main.js.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
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
  legalComments: 'eof',
  logLevel: 'warning',
});
// tsc's source map described the file the bundle replaced.
rmSync(`${entry}.map`, { force: true });
