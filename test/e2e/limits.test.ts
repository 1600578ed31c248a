import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, reloadedBy, useGohot, waitForBody } from '../helpers/gohot-cli.js';

const { start: startGohot, fixture } = useGohot();

/**
 * Runs the command in a private user namespace whose inotify watch budget is `watches`
 * (user.max_inotify_watches is per user namespace), so the real kernel limit is hit without
 * touching the machine-wide sysctl.
 */
function lowWatchLimit(watches: number): string[] {
  try {
    execFileSync('unshare', ['-Ur', 'true']);
  } catch (err) {
    throw new Error(
      `This test needs unprivileged user namespaces (\`unshare -Ur\`), e.g. sysctl kernel.unprivileged_userns_clone=1: ${String(err)}`,
    );
  }
  return [
    'unshare',
    '-Ur',
    'sh',
    '-c',
    `echo ${watches} > /proc/sys/user/max_inotify_watches && exec "$@"`,
    'sh',
  ];
}

describe('watch limits (end to end, real kernel limit)', () => {
  it('past the inotify watch limit, gohot says which sysctl to raise, polls the rest, and still reloads', async () => {
    const dir = await fixture('hello-http');
    for (const d of ['a/b/c', 'd/e', 'f']) await mkdir(path.join(dir, d), { recursive: true });
    // The app serves a constant of a/b/c, a package under a directory that cannot be watched.
    await writeFile(path.join(dir, 'a/b/c/deep.go'), 'package c\n\nconst X = "deep-1"\n');
    await writeFile(
      path.join(dir, 'message.go'),
      'package main\n\nimport "example.com/hello-http/a/b/c"\n\nconst message = c.X\n',
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(dir, {
      env: { ADDR: `127.0.0.1:${port}` },
      prefix: lowWatchLimit(3),
    });
    await waitForBody(url, /deep-1/, g);
    expect(g.output()).toMatch(/inotify watch limit is reached/);
    expect(g.output()).toMatch(/sysctl fs\.inotify\.max_user_watches=/);
    expect(g.output()).toMatch(/Polling \S+ and below instead/);
    expect(g.output()).toMatch(/tracking \d+ files \(\d+ subtree\(s\) polled/);

    // An edit under a directory that could not be watched is still seen (by the poller).
    await writeFile(path.join(dir, 'a/b/c/deep.go'), 'package c\n\nconst X = "deep-2"\n');
    await waitForBody(url, /deep-2/, g);
    await g.waitForOutput(reloadedBy(/a\/b\/c\/deep\.go changed/));
    // And an edit where inotify still works is seen too.
    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "limited"\n');
    await waitForBody(url, /limited/, g);
  });
});
