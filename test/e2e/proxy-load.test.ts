import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { useGohot } from '../helpers/gohot-cli.js';
import { getText } from '../helpers/http-text.js';
import { startLoadLoop } from '../helpers/load-loop.js';
import { messageSource, startProxiedApp } from '../helpers/proxy-app.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start, fixture } = useGohot();

const RELOADS = 30;
const WORKERS = 4;

describe('gohot --proxy under load', () => {
  it(`answers every request of a load loop during ${RELOADS} reloads: no connection error, no 5xx`, async () => {
    const app = await startProxiedApp(start, fixture);
    const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
    // Loopback only, a fixed number of workers, until the last reload was seen.
    const loop = startLoadLoop(
      WORKERS,
      () => getText(`${app.proxy}/text`, agent),
      ({ status, body }) => (status >= 500 ? `${status}: ${body.slice(0, 200)}` : undefined),
    );
    const { failures } = loop;
    try {
      for (let i = 1; i <= RELOADS; i++) {
        await writeFile(app.messageFile, messageSource(`reload ${i}`));
        await waitUntil(
          `the load loop to see reload ${i}`,
          () => loop.lastBody() === `reload ${i}`,
          {
            describe: () => `failures: ${failures.join('\n')}\n${app.gohot.output()}`,
          },
        );
      }
    } finally {
      await loop.stop();
      agent.destroy();
    }
    console.log(
      `load loop: ${loop.sent()} requests during ${RELOADS} reloads, ${failures.length} failed, slowest ${loop.slowestMs().toFixed(0)} ms`,
    );
    expect(app.gohot.count(/-> restarted pid \d+/)).toBeGreaterThanOrEqual(RELOADS);
    expect(failures).toEqual([]);
  });
});
