// Runs every benchmark in bench/ one after the other (they must not share the CPU).
//   npm run bench              all of them (bench/compare.mjs in its full form)
//   npm run bench -- poll      only those whose file name contains "poll"
//   npm run bench -- test-select   gohot test's save -> result against go test ./... (medium project)
//   npm run bench -- listen-handoff   run.listen: failed requests during restarts, with and without
//   npm run bench -- --quick   only bench/compare.mjs, quick (under 5 minutes); other flags
//                              (--smoke, --out <dir>) also go to bench/compare.mjs
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flags = [];
let filter = '';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') flags.push(args[i], args[++i]);
  else if (args[i].startsWith('--')) flags.push(args[i]);
  else filter = args[i];
}
// --quick and --smoke are modes of the comparison bench; the others have no such mode.
if (flags.includes('--quick') || flags.includes('--smoke')) filter ||= 'compare';
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && f.includes(filter))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file}`);
  const extra = file === 'compare.mjs' ? flags : [];
  const r = spawnSync(process.execPath, [path.join(here, file), ...extra], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
