import path from 'node:path';
import { listenUrl } from '../config/proxy-address.js';
import type { ResolvedProxy } from '../config/types.js';
import { GohotError } from '../errors.js';
import type { Diagnostic } from '../go/types.js';
import type { Reporter, SessionEvent } from '../report/events.js';
import type { OutputTail } from '../run/output-tail.js';
import { EventHub, type PageDiagnostic, type PageStatus } from './events.js';
import { AppGate, createAppAgent } from './hold.js';
import { waitForPort } from './readiness.js';
import { createProxyServer } from './server.js';

/** A listening proxy; it follows the app through the session's events. */
export interface BrowserProxy extends Reporter {
  /** The URL to open in a browser. */
  readonly url: string;
  /** Stops listening and ends every connection. */
  close(): Promise<void>;
}

/** Fills in an editor URL template for one position. */
export function editorLink(
  template: string,
  d: { readonly abs: string; readonly rel: string; readonly line: number; readonly column: number },
): string {
  return template
    .replaceAll('{abs}', encodeURI(d.abs))
    .replaceAll('{rel}', encodeURI(d.rel))
    .replaceAll('{line}', String(d.line))
    .replaceAll('{col}', String(d.column));
}

function pageDiagnostic(d: Diagnostic, moduleRoot: string, template: string): PageDiagnostic {
  const rel = d.file === undefined ? undefined : path.relative(moduleRoot, d.file) || d.file;
  const href =
    d.file === undefined || rel === undefined
      ? undefined
      : editorLink(template, { abs: d.file, rel, line: d.line ?? 1, column: d.column ?? 1 });
  return {
    file: rel,
    line: d.line,
    column: d.column,
    message: d.message,
    importPath: d.importPath,
    href,
  };
}

/** A line of terminal output without its colour and cursor escapes. */
function plainText(line: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the sequences removed.
  return line.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '');
}

/**
 * Starts the proxy. It learns the app's state from session events: `app-stopping` starts
 * holding requests, `app-started` starts a readiness check (the port accepting), and once
 * it passes, held requests go through and pages reload.
 */
export async function startProxy(
  options: ResolvedProxy,
  moduleRoot: string,
  tail?: OutputTail,
): Promise<BrowserProxy> {
  const gate = new AppGate();
  const hub = new EventHub();
  const target = new URL(options.target);
  const { server, closeAll } = createProxyServer({
    target,
    holdTimeoutMs: options.holdTimeoutMs,
    targetHeld: options.targetHeld,
    gate,
    hub,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new GohotError(
          'PROXY_LISTEN_FAILED',
          `The proxy cannot listen on ${options.listen.host}:${options.listen.port}: ${err.code ?? err.message}.`,
          err.code === 'EADDRINUSE'
            ? 'Another program uses that port: pick another with --proxy <port>, or stop the other program.'
            : 'Check the address given to --proxy (or proxy.listen in gohot.json).',
        ),
      ),
    );
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  server.on('error', () => undefined);

  let status: PageStatus = hub.status();
  const publish = (next: Partial<PageStatus>) => {
    status = { ...status, ...next };
    hub.publish(status);
  };
  let probe: AbortController | undefined;
  const probeTarget = {
    host: target.hostname.replace(/^\[|\]$/g, ''),
    port: Number(target.port),
  };

  const appStarted = (pid: number) => {
    probe?.abort();
    const abort = new AbortController();
    probe = abort;
    gate.set({ phase: 'probing', pid });
    void waitForPort(probeTarget, abort.signal).then((result) => {
      if (result.by !== 'accepting' || abort.signal.aborted) return;
      gate.set({ phase: 'serving', pid, agent: createAppAgent() });
      publish({ epoch: status.epoch + 1, ready: true, problem: undefined });
    });
  };

  const report = (event: SessionEvent) => {
    switch (event.type) {
      case 'app-stopping': {
        probe?.abort();
        const current = gate.phase();
        gate.set({
          phase: 'stopping',
          pid: event.pid,
          // In-flight requests keep the old app's connections until it answered them.
          agent: current.phase === 'serving' ? current.agent : createAppAgent(),
        });
        return;
      }
      // Not 'reloaded'/'restarted': those come once the app's own readiness check (run.ready)
      // answered, which can be after the app exited or after the next app-stopping.
      case 'app-started':
        appStarted(event.pid);
        return;
      case 'decision':
        // The build made the same program: the app stays, and pages drop the overlay.
        if (event.stage === 'build' && event.action === 'keep' && status.problem !== undefined) {
          publish({ epoch: status.epoch + 1, problem: undefined });
        }
        return;
      case 'build-failed':
        publish({
          problem: {
            kind: 'build-failed',
            diagnostics: event.diagnostics.map((d) =>
              pageDiagnostic(d, moduleRoot, options.editorUrl),
            ),
            text: event.text,
          },
        });
        return;
      case 'assets-changed':
        hub.publishAssets({
          files: event.files,
          cssOnly: event.files.every((f) => f.endsWith('.css')),
        });
        return;
      case 'app-exited':
        probe?.abort();
        gate.set({ phase: 'exited', pid: event.pid });
        publish({
          ready: false,
          problem: {
            kind: 'app-exited',
            pid: event.pid,
            app: event.exit.app,
            lines: (tail?.lines() ?? []).map(plainText),
          },
        });
        return;
      default:
        return;
    }
  };

  // The app's last words can arrive after its exit was seen: the overlay follows them.
  const unfollow = tail?.onChange(() => {
    const problem = status.problem;
    if (problem?.kind === 'app-exited') {
      publish({ problem: { ...problem, lines: tail.lines().map(plainText) } });
    }
  });

  return {
    url: listenUrl(options.listen),
    report,
    async close() {
      unfollow?.();
      probe?.abort();
      hub.close();
      gate.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      closeAll();
      await closed;
    },
  };
}
