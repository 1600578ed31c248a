import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll } from 'vitest';

/** The browser the proxy tests drive: Debian's chromium, or GOHOT_CHROMIUM. */
export const CHROMIUM = process.env.GOHOT_CHROMIUM || '/usr/bin/chromium';

/**
 * Launches headless chromium. A missing browser fails the test loudly with instructions,
 * never a skip. Root (CI) needs --no-sandbox.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The proxy tests drive a real browser, but ${CHROMIUM} does not exist. Install it ` +
        '(Debian/Ubuntu: `apt-get install -y --no-install-recommends chromium`; .ci/run does ' +
        'this) or set GOHOT_CHROMIUM=/path/to/chromium.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** One browser for a test file, closed after its last test. */
export function useBrowser(): () => Promise<Browser> {
  let browser: Promise<Browser> | undefined;
  afterAll(async () => {
    await (await browser)?.close();
  });
  return () => {
    browser ??= launchBrowser();
    return browser;
  };
}

/** Every main-frame navigation of a page with its status, in order. */
export function recordNavigations(page: Page): Array<{ url: string; status: number }> {
  const seen: Array<{ url: string; status: number }> = [];
  page.on('response', (res) => {
    if (res.request().isNavigationRequest() && res.frame() === page.mainFrame()) {
      seen.push({ url: res.url(), status: res.status() });
    }
  });
  return seen;
}
