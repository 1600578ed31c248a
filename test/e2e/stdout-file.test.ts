import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, useGohot, waitForBody } from '../helpers/gohot-cli.js';

const { start: startGohot, fixture } = useGohot();

describe('--reporter json redirected into the watched tree (end to end)', () => {
  // Regression: `gohot --reporter json > events.ndjson` inside the module reported every write
  // of events.ndjson as an event about an untracked file, which was written again, forever
  // (about 5,400 lines in 15 s).
  it('does not report its own output file', async () => {
    const dir = await fixture('hello-http');
    const events = path.join(dir, 'events.ndjson');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(dir, {
      prefix: ['sh', '-c', 'exec "$@" > "$0"', events],
      args: ['--reporter', 'json', '-v'],
      env: { ADDR: `127.0.0.1:${port}` },
    });
    await waitForBody(url, /hello from gohot/, g);
    const message = path.join(dir, 'message.go');
    await writeFile(message, 'package main\n\nconst message = "redirected"\n');
    await waitForBody(url, /redirected/, g);
    expect(await g.stop('SIGTERM')).toBe(143);

    const lines = (await readFile(events, 'utf8')).split('\n').filter((l) => l !== '');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.some((e) => e.type === 'reloaded')).toBe(true);
    const aboutItself = parsed.filter(
      (e) =>
        e.path === events ||
        (Array.isArray(e.changes) &&
          (e.changes as { path: string }[]).some((c) => c.path === events)),
    );
    expect(aboutItself).toEqual([]);
  });
});
