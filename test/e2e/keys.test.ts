import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/fixture.js';
import { CLI } from '../helpers/gohot-cli.js';
import { waitFor } from '../helpers/wait-for.js';

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

describe('keys on a terminal (end to end)', () => {
  it('r + Enter on a TTY forces a rebuild and restart', async () => {
    const dir = await copyFixture('hello-http');
    // util-linux `script` gives gohot a real pseudo-terminal as stdin.
    const proc = spawn(
      'script',
      ['-qfec', `${quote(process.execPath)} ${quote(CLI)}`, '/dev/null'],
      {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', ADDR: '127.0.0.1:0', GOTOOLCHAIN: 'local' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      await waitFor(() => /-> started pid \d+/.test(out), {
        timeoutMs: 30_000,
        what: 'the first start',
        describe: () => out,
      });
      proc.stdin.write('r\r');
      await waitFor(() => /rebuild requested -> built \d+ ms -> restarted pid \d+/.test(out), {
        timeoutMs: 30_000,
        what: 'the forced rebuild',
        describe: () => out,
      });
      expect(out.match(/-> (re)?started pid/g)).toHaveLength(2);
    } finally {
      proc.stdin.write('\x03');
      const exited = new Promise((r) => proc.once('exit', r));
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  });
});
