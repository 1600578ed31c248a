import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const WATCHER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/watch/watcher.js',
);

// The tests run as root, for whom no directory is unreadable: the watcher runs in a child
// process as `nobody` (setpriv, util-linux) against a tree with a mode-000 directory.
const SCRIPT = `
const [watcherUrl, root, backend] = process.argv.slice(2);
const { createWatcher } = await import(watcherUrl);
const { predicateFilter } = await import(new URL('../classify/watch-filter.js', watcherUrl).href);
const { describeObservation } = await import(new URL('../report/describe.js', watcherUrl).href);
const fs = await import('node:fs/promises');
const logs = [], changes = [];
const w = createWatcher({
  roots: [root], backend, pollIntervalMs: 50,
  filter: predicateFilter({ ignoreDir: () => false, trackFile: () => true }),
  onChanges: (c) => changes.push(...c.map((x) => x.kind + ' ' + x.path.slice(root.length + 1))),
  onObservation: (o) => logs.push(describeObservation(o)),
});
await w.ready();
await fs.writeFile(root + '/ok/new.go', 'package ok\\n');
await w.sync();
await w.close();
console.log(JSON.stringify({ warnings: logs.filter((l) => l.level === 'warn').map((l) => l.text), changes }));
`;

const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

describe.each(['native', 'poll'] as const)('unreadable directories (%s backend)', (backend) => {
  it('are skipped with one warning each, and the rest of the tree is still watched', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'gohot-unreadable-'));
    temps.push(root);
    await mkdir(path.join(root, 'ok'));
    await mkdir(path.join(root, 'secret', 'deeper'), { recursive: true });
    await writeFile(path.join(root, 'secret', 'x.go'), 'package secret\n');
    await writeFile(path.join(root, 'script.mjs'), SCRIPT);
    await chmod(root, 0o755);
    await chmod(path.join(root, 'ok'), 0o777);
    await chmod(path.join(root, 'secret'), 0o000);

    const r = spawnSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        path.join(root, 'script.mjs'),
        `file://${WATCHER}`,
        root,
        backend,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (r.error) throw new Error(`setpriv (util-linux) is needed for this test: ${r.error}`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as { warnings: string[]; changes: string[] };
    const aboutSecret = result.warnings.filter((w) => w.includes(path.join(root, 'secret')));
    expect(aboutSecret).toHaveLength(1);
    expect(aboutSecret[0]).toMatch(/unreadable directory .*EACCES/);
    expect(result.changes).toContain('created ok/new.go');
  });
});
