import { describe, expect, it } from 'vitest';
import { reloadedBy, STARTS, useGohot } from '../helpers/gohot-cli.js';

const { start: startGohot, fixture } = useGohot();

describe('keys on a terminal (end to end)', () => {
  it('r + Enter on a TTY forces a rebuild and restart', async () => {
    const dir = await fixture('hello-http');
    // util-linux `script` gives gohot a real pseudo-terminal as stdin.
    const g = await startGohot(dir, { env: { ADDR: '127.0.0.1:0' }, terminal: true });
    await g.waitForOutput(/-> started pid \d+/);
    g.type('r\r');
    // Whatever the build took (was: built \d+ ms, but a build over a second prints 1.33 s).
    await g.waitForOutput(reloadedBy(/rebuild requested/));
    expect(g.count(STARTS)).toBe(2);
    // Ctrl-C on the terminal stops gohot as it would for a user.
    expect(await g.stop('SIGINT')).toBe(130);
  });
});
