import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { useGohot } from '../helpers/gohot-cli.js';
import { messageSource, startProxiedApp } from '../helpers/proxy-app.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start, fixture } = useGohot();
const browser = useBrowser();

/** A GET whose body is counted as it arrives. */
function streamGet(url: string) {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let ended = false;
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        bytes += c.length;
      });
      res.on('end', () => {
        ended = true;
      });
      resolve(res);
    });
    req.on('error', reject);
  });
  return {
    response,
    bytes: () => bytes,
    text: () => Buffer.concat(chunks).toString('utf8'),
    ended: () => ended,
  };
}

async function get(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe('gohot --proxy passes responses through', () => {
  it('streams SSE, chunked and a 50 MB body unbuffered; adds the script to gzip HTML with the CSP nonce', async () => {
    const app = await startProxiedApp(start, fixture);
    const output = () => app.gohot.output();

    // Each handler writes its first part, then waits for /release: the first bytes can only
    // arrive before the last are written if the proxy does not buffer.
    for (const [path, first, last] of [
      ['/sse', 'data: first', 'data: last'],
      ['/chunked', 'first;', 'last'],
    ] as const) {
      const id = path.slice(1);
      const s = streamGet(`${app.proxy}${path}?id=${id}`);
      await waitUntil(`${path}'s first part`, () => s.text().includes(first), { describe: output });
      expect(s.text()).not.toContain(last);
      expect(s.ended()).toBe(false);
      await get(`${app.proxy}/release?id=${id}`);
      await waitUntil(`${path}'s end`, () => s.ended(), { describe: output });
      expect(s.text()).toContain(last);
      if (path === '/sse') {
        expect((await s.response).headers['content-type']).toBe('text/event-stream');
      }
    }

    const big = streamGet(`${app.proxy}/big?id=big`);
    await waitUntil('the first MB of /big', () => big.bytes() > 0, { describe: output });
    expect(big.ended()).toBe(false);
    expect((await big.response).headers['content-length']).toBe(String(50 << 20));
    await get(`${app.proxy}/release?id=big`);
    await waitUntil('all of /big', () => big.ended(), { describe: output });
    expect(big.bytes()).toBe(50 << 20);

    // gzip HTML is decoded, gets the script, and goes out with a matching length.
    const gz = await new Promise<{ headers: http.IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        http
          .get(`${app.proxy}/gzip`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              body += c;
            });
            res.on('end', () => resolve({ headers: res.headers, body }));
          })
          .on('error', reject);
      },
    );
    expect(gz.headers['content-encoding']).toBeUndefined();
    expect(gz.body).toMatch(/<script src="\/__gohot\/client\.js"[^>]*><\/script><\/body>/);
    expect(gz.headers['content-length']).toBe(String(Buffer.byteLength(gz.body)));

    const csp = await get(`${app.proxy}/csp`);
    expect(csp.body).toMatch(/<script src="\/__gohot\/client\.js"[^>]* nonce="abc123"><\/script>/);

    // Redirects reach the browser as they are; Host and X-Forwarded-* as a reverse proxy sets them.
    const redirect = await get(`${app.proxy}/redirect`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/text');
    const seen = JSON.parse((await get(`${app.proxy}/headers`)).body) as Record<string, string>;
    const proxyHost = new URL(app.proxy).host;
    expect(seen.host).toBe(proxyHost);
    expect(seen['X-Forwarded-Host']).toBe(proxyHost);
    expect(seen['X-Forwarded-Proto']).toBe('http');
    expect(seen['X-Forwarded-For']).toBe('127.0.0.1');

    // A request with a body that the app cuts cannot be sent again: a 502 page says why.
    const cut = await get(`${app.proxy}/crash`, { method: 'POST', body: 'x' });
    expect(cut.status).toBe(502);
    expect(cut.body).toMatch(/closed the connection before it answered/);
    expect(cut.body).toContain('/__gohot/client.js');
  });

  it('carries a WebSocket both ways, before and after a reload', async () => {
    const app = await startProxiedApp(start, fixture);
    const page = await (await browser()).newPage();
    await page.goto(`${app.proxy}/`);
    const echo = () =>
      page.evaluate(`new Promise((resolve, reject) => {
        const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws');
        ws.onopen = () => ws.send('ping');
        ws.onmessage = (e) => { resolve(e.data); ws.close(); };
        ws.onerror = () => reject(new Error('WebSocket error'));
      })`);
    expect(await echo()).toBe('version one:ping');

    await writeFile(app.messageFile, messageSource('version two'));
    await page.waitForFunction(
      "document.querySelector('#msg')?.textContent === 'version two'",
      undefined,
      {
        timeout: 90_000,
      },
    );
    expect(await echo()).toBe('version two:ping');
  });
});
