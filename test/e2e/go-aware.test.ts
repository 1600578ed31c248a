import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, useGohot, waitForBody } from '../helpers/gohot-cli.js';

const { start: startGohot, fixture } = useGohot();

// The response of test/fixtures/go-aware/app as committed: one "part=value" line for each
// part of the build (see app/main.go). Tests that edit a part wait for its new value.
const COMMITTED = [
  'app=app-1',
  'lib=lib-1',
  'sibling=sibling-1',
  'static=static-1',
  'page=<p>go-aware: page-1</p>',
  'platform=linux',
  '',
].join('\n');

describe('the go-aware fixture (end to end)', () => {
  it('serves which parts it was built from, and a reload serves the new lib', async () => {
    const ws = await fixture('go-aware');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(path.join(ws, 'app'), { env: { ADDR: `127.0.0.1:${port}` } });
    expect(await waitForBody(url, /^app=/, g)).toBe(COMMITTED);
    expect(await waitForBody(`${url}static/hello.txt`, /static/, g)).toBe('static-1\n');

    await writeFile(
      path.join(ws, 'lib', 'lib.go'),
      'package lib\n\n// Marker is edited.\nconst Marker = "lib-2"\n',
    );
    expect(await waitForBody(url, /^lib=lib-2$/m, g)).toBe(COMMITTED.replace('lib-1', 'lib-2'));
  });
});
