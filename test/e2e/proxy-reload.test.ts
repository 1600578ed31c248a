import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordNavigations, useBrowser } from '../helpers/browser.js';
import { httpGet, useGohot } from '../helpers/gohot-cli.js';
import { messageSource, startProxiedApp } from '../helpers/proxy-app.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start, fixture } = useGohot();
const browser = useBrowser();
const docsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs');

const headingOf = (page: import('playwright-core').Page) =>
  page.locator('#msg').textContent({ timeout: 90_000 });

describe('gohot --proxy in a real browser', () => {
  it('reloads the page by itself after a Go edit, once the new app is ready', async () => {
    const app = await startProxiedApp(start, fixture);
    const page = await (await browser()).newPage();
    const navigations = recordNavigations(page);
    await page.goto(`${app.proxy}/`);
    expect(await headingOf(page)).toBe('version one');
    // The page follows the status stream before the edit is saved.
    await page.locator('script[data-gohot-epoch]').waitFor({ state: 'attached' });

    const saved = performance.now();
    await writeFile(app.messageFile, messageSource('version two'));
    const appServing = waitUntil(
      'the app itself to serve version two',
      async () =>
        (await httpGet(`${app.app}/text`)) === 'version two' ? performance.now() : undefined,
      { intervalMs: 5, describe: () => app.gohot.output() },
    );
    await page.waitForFunction(
      "document.querySelector('#msg')?.textContent === 'version two'",
      undefined,
      {
        timeout: 90_000,
      },
    );
    const pageShows = performance.now();
    const served = await appServing;
    console.log(
      `save -> app serving the new content: ${(served - saved).toFixed(0)} ms; ` +
        `save -> page showing it: ${(pageShows - saved).toFixed(0)} ms`,
    );
    // Exactly one reload, and it showed the new content.
    expect(navigations).toHaveLength(2);
    // No error page on the way: every navigation, the reload included, was the app's 200.
    expect(navigations.map((n) => n.status)).toEqual(navigations.map(() => 200));
  });

  it('shows a build failure in an overlay, escaped, with editor links; the fix removes it and reloads', async () => {
    const app = await startProxiedApp(start, fixture);
    const page = await (await browser()).newPage({ viewport: { width: 1100, height: 640 } });
    const navigations = recordNavigations(page);
    await page.goto(`${app.proxy}/`);
    expect(await headingOf(page)).toBe('version one');
    await page.locator('script[data-gohot-epoch]').waitFor({ state: 'attached' });

    // The compiler quotes the constant: its message holds markup that must show as text.
    const broken = path.join(app.dir, 'broken.go');
    await writeFile(
      broken,
      'package main\n\nvar broken int = "<b>bold</b><script>window.pwned = 1</script>"\n',
    );
    const overlay = page.locator('#gohot-overlay');
    const message = overlay.locator('.diagnostic .msg').first();
    await message.waitFor({ timeout: 90_000 });
    expect(await message.textContent()).toContain('"<b>bold</b><script>window.pwned = 1</script>"');
    expect(await overlay.locator('.diagnostic b').count()).toBe(0);
    expect(await overlay.locator('.diagnostic script').count()).toBe(0);
    expect(await page.evaluate('window.pwned')).toBeUndefined();

    const link = overlay.locator('.diagnostic a.location').first();
    const where = /^broken\.go:(\d+):(\d+)$/.exec((await link.textContent()) ?? '');
    expect(where).not.toBeNull();
    expect(await link.getAttribute('href')).toBe(
      `vscode://file/${broken}:${where![1]}:${where![2]}`,
    );
    expect(await overlay.locator('.diagnostic .pkg').first().textContent()).toMatch(/proxyweb/);
    expect(await overlay.locator('details.output pre').textContent()).toContain('broken.go');
    // The old app keeps serving while the build is broken.
    expect(await headingOf(page)).toBe('version one');
    await page.screenshot({ path: path.join(docsDir, 'proxy-overlay.png') });

    const before = navigations.length;
    await rm(broken);
    await overlay.waitFor({ state: 'detached', timeout: 90_000 });
    await waitUntil('the page to reload after the fix', () => navigations.length > before, {
      describe: () => app.gohot.output(),
    });
    expect(await headingOf(page)).toBe('version one');
    expect(navigations.every((n) => n.status === 200)).toBe(true);
  });

  it('shows a crash with the last lines the app printed; the next build brings the page back', async () => {
    const app = await startProxiedApp(start, fixture);
    const page = await (await browser()).newPage();
    const navigations = recordNavigations(page);
    await page.goto(`${app.proxy}/`);
    await page.locator('script[data-gohot-epoch]').waitFor({ state: 'attached' });

    await page.evaluate("fetch('/crash').catch(() => undefined)");
    const overlay = page.locator('#gohot-overlay');
    await overlay.locator('pre.lines').waitFor({ timeout: 90_000 });
    expect(await overlay.locator('pre.end').textContent()).toMatch(/exited with code 3/);
    await waitUntil(
      'the crash line in the overlay',
      async () =>
        (await overlay.locator('pre.lines').textContent())?.includes(
          'crashing on purpose: <b>not bold</b>',
        ),
      { describe: () => app.gohot.output() },
    );
    expect(await overlay.locator('b').count()).toBe(0);

    const before = navigations.length;
    await writeFile(app.messageFile, messageSource('version two'));
    await page.waitForFunction(
      "document.querySelector('#msg')?.textContent === 'version two'",
      undefined,
      {
        timeout: 90_000,
      },
    );
    expect(navigations.length).toBeGreaterThan(before);
    expect(await overlay.count()).toBe(0);
    expect(navigations.every((n) => n.status === 200)).toBe(true);
  });
});
