import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES_DIR, goTestEnv, requireGo } from './fixture.js';

/**
 * Binaries built in this test process, by fixture name. A test helper may keep this one cache:
 * it lives exactly as long as the test file's worker and is removed when the worker exits.
 */
const built = new Map<string, Promise<string>>();
let outDir: string | undefined;

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
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
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
