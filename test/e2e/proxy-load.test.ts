import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { useGohot } from '../helpers/gohot-cli.js';
import { getText } from '../helpers/http-text.js';
import { messageSource, startProxiedApp } from '../helpers/proxy-app.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start, fixture } = useGohot();

const RELOADS = 30;
const WORKERS = 4;

describe('gohot --proxy under load', () => {
  it(`answers every request of a load loop during ${RELOADS} reloads: no connection error, no 5xx`, async () => {
    const app = await startProxiedApp(start, fixture);
    const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
    const failures: string[] = [];
    let sent = 0;
    let slowestMs = 0;
    let lastBody = '';
    let running = true;
    // Loopback only, a fixed number of workers, until the last reload was seen.
    const worker = async () => {
      while (running) {
        const t = performance.now();
        sent++;
        try {
          const { status, body } = await getText(`${app.proxy}/text`, agent);
          if (status >= 500) failures.push(`${status}: ${body.slice(0, 200)}`);
          else lastBody = body;
        } catch (err) {
          failures.push(String((err as NodeJS.ErrnoException).code ?? err));
        }
        slowestMs = Math.max(slowestMs, performance.now() - t);
      }
    };
    const workers = Array.from({ length: WORKERS }, worker);
    try {
      for (let i = 1; i <= RELOADS; i++) {
        await writeFile(app.messageFile, messageSource(`reload ${i}`));
        await waitUntil(`the load loop to see reload ${i}`, () => lastBody === `reload ${i}`, {
          describe: () => `failures: ${failures.join('\n')}\n${app.gohot.output()}`,
        });
      }
    } finally {
      running = false;
      await Promise.all(workers);
      agent.destroy();
    }
    console.log(
      `load loop: ${sent} requests during ${RELOADS} reloads, ${failures.length} failed, slowest ${slowestMs.toFixed(0)} ms`,
    );
    expect(app.gohot.count(/-> restarted pid \d+/)).toBeGreaterThanOrEqual(RELOADS);
    expect(failures).toEqual([]);
  });
});
