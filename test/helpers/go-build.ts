import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { FIXTURES_DIR, goTestEnv, requireGo } from './fixture.js';

/**
 * Binaries built for this test file, by fixture name. A test helper may keep this one cache:
 * it lives exactly as long as the test file (each file gets its own module state) and its
 * directory is removed after the file's last test. (A `process.on('exit')` hook is not enough:
 * vitest ends its forked workers without running it; a whole run left 17 such directories.)
 */
const built = new Map<string, Promise<string>>();
let outDir: string | undefined;
afterAll(async () => {
  const dir = outDir;
  if (dir === undefined) return;
  // A build still running would write into the directory after it is gone.
  await Promise.allSettled(built.values());
  built.clear();
  outDir = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Builds test/fixtures/<name> with the real go into a temp directory (once per test process)
 * and returns the binary's absolute path. Fails loudly when go is missing or the build fails.
 */
export function buildFixture(name: string): Promise<string> {
  let binary = built.get(name);
  if (binary === undefined) {
    binary = build(name);
    built.set(name, binary);
  }
  return binary;
}

function build(name: string): Promise<string> {
  const go = requireGo();
  if (outDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'gohot-fixture-bin-'));
    outDir = dir;
  }
  const output = join(outDir, name);
  return new Promise((resolve, reject) => {
    execFile(
      go,
      ['build', '-buildvcs=false', '-o', output, '.'],
      {
        cwd: join(FIXTURES_DIR, name),
        // Stdlib-only fixtures: no cgo, no workspace from a parent directory, no user GOFLAGS.
        env: goTestEnv({ CGO_ENABLED: '0', GOWORK: 'off', GOFLAGS: '' }),
      },
      (err, _stdout, stderr) => {
        if (err) {
          reject(new Error(`go build of fixture ${name} failed: ${err.message}\n${stderr}`));
        } else {
          resolve(output);
        }
      },
    );
  });
}
