import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, type GohotProcess, STARTS, waitForBody } from './gohot-cli.js';

/** gohot running test/fixtures/proxy-web behind its proxy. */
export interface ProxiedApp {
  readonly dir: string;
  readonly gohot: GohotProcess;
  /** The proxy's URL (what a browser opens), without a trailing slash. */
  readonly proxy: string;
  /** The app's own URL, bypassing the proxy. */
  readonly app: string;
  readonly messageFile: string;
}

/** The Go source of message.go saying `text`. */
export function messageSource(text: string): string {
  return `package main\n\nconst message = ${JSON.stringify(text)}\n`;
}

/** Starts gohot with --proxy on a copy of proxy-web, and waits until the app serves. */
export async function startProxiedApp(
  start: (
    cwd: string,
    options: { args: string[]; env: NodeJS.ProcessEnv },
  ) => Promise<GohotProcess>,
  fixture: (name: string) => Promise<string>,
  options: { readonly config?: unknown } = {},
): Promise<ProxiedApp> {
  const dir = await fixture('proxy-web');
  if (options.config !== undefined) {
    await writeFile(path.join(dir, 'gohot.json'), JSON.stringify(options.config));
  }
  const appPort = await freePort();
  const proxyPort = await freePort();
  const app = `http://127.0.0.1:${appPort}`;
  const gohot = await start(dir, {
    args: ['--proxy', `127.0.0.1:${proxyPort}`, '--proxy-target', app],
    env: { ADDR: `127.0.0.1:${appPort}` },
  });
  await waitForBody(`${app}/text`, /version one/, gohot);
  await gohot.waitForOutput(STARTS);
  return {
    dir,
    gohot,
    proxy: `http://127.0.0.1:${proxyPort}`,
    app,
    messageFile: path.join(dir, 'message.go'),
  };
}
