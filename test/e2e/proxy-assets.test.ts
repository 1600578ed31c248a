import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordNavigations, useBrowser } from '../helpers/browser.js';
import { STARTS, useGohot } from '../helpers/gohot-cli.js';
import { startProxiedApp } from '../helpers/proxy-app.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start, fixture } = useGohot();
const browser = useBrowser();

describe('gohot --proxy with proxy.reloadOnly', () => {
  it('swaps an edited stylesheet in place, and reloads for other static files, without a build', async () => {
    const app = await startProxiedApp(start, fixture, {
      config: { proxy: { reloadOnly: ['static/**'] } },
    });
    const page = await (await browser()).newPage();
    const navigations = recordNavigations(page);
    await page.goto(`${app.proxy}/`);
    const color = () => page.evaluate("getComputedStyle(document.querySelector('#msg')).color");
    expect(await color()).toBe('rgb(0, 0, 255)');
    await page.locator('script[data-gohot-epoch]').waitFor({ state: 'attached' });
    // A marker on the window survives a stylesheet swap, never a navigation.
    await page.evaluate('window.gohotMarker = 1');
    const starts = app.gohot.count(STARTS);
    const builds = app.gohot.count(/-> built/);

    await writeFile(path.join(app.dir, 'static/style.css'), 'h1 { color: rgb(255, 0, 0); }\n');
    await page.waitForFunction(
      "getComputedStyle(document.querySelector('#msg')).color === 'rgb(255, 0, 0)'",
      undefined,
      { timeout: 90_000 },
    );
    expect(await page.evaluate('window.gohotMarker')).toBe(1);
    expect(navigations).toHaveLength(1);
    await app.gohot.waitForOutput(/static\/style\.css changed -> pages reloaded \(no build\)/);

    await writeFile(path.join(app.dir, 'static/app.js'), 'console.log("new asset");\n');
    await waitUntil('the page to reload for a non-CSS asset', () => navigations.length === 2, {
      describe: () => app.gohot.output(),
    });
    // The reload's document, not the old one: evaluating while it still navigates would
    // throw; waitForFunction evaluates again in the new document.
    await page.waitForFunction('window.gohotMarker === undefined', undefined, { timeout: 90_000 });
    expect(navigations.map((n) => n.status)).toEqual([200, 200]);
    // Neither edit built or restarted the app.
    expect(app.gohot.count(STARTS)).toBe(starts);
    expect(app.gohot.count(/-> built/)).toBe(builds);
  });
});
