import type http from 'node:http';
import type { AppEnd } from '../run/types.js';

/** One diagnostic as the page shows it: a position, the editor link, the message as text. */
export interface PageDiagnostic {
  /** The file relative to the module root, or undefined for errors without a position. */
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly message: string;
  readonly importPath: string | undefined;
  /** The editor URL template filled in, or undefined without a position. */
  readonly href: string | undefined;
}

/** What the overlay shows; the page renders every string as text, never as HTML. */
export type PageProblem =
  | {
      readonly kind: 'build-failed';
      readonly diagnostics: readonly PageDiagnostic[];
      /** The compiler's whole output. */
      readonly text: string;
    }
  | {
      readonly kind: 'app-exited';
      readonly pid: number;
      /** How it ended: an exit code or a signal. */
      readonly app: AppEnd;
      /** The last lines it printed. */
      readonly lines: readonly string[];
    };

/**
 * The state every page follows. A page served while the app was at `epoch` reloads once
 * the status is ready with another epoch and no problem; a problem shows the overlay.
 */
export interface PageStatus {
  /** How many times an app was started (or a build kept it); pages remember theirs. */
  readonly epoch: number;
  /** The app accepts connections. */
  readonly ready: boolean;
  readonly problem: PageProblem | undefined;
}

/** Static files changed that the app serves from disk: stylesheets are swapped, else reload. */
export interface AssetsChanged {
  readonly files: readonly string[];
  /** Every file is a stylesheet: pages swap their stylesheets without a reload. */
  readonly cssOnly: boolean;
}

const HEARTBEAT_MS = 15_000;

/**
 * The `/__gohot/events` stream: Server-Sent Events, because the traffic is one-way
 * (gohot to pages), EventSource reconnects by itself, and it works over plain HTTP/1.1
 * through anything that passes HTTP. New connections get the current status at once.
 */
export class EventHub {
  readonly #clients = new Set<http.ServerResponse>();
  #status: PageStatus = { epoch: 0, ready: false, problem: undefined };
  readonly #heartbeat: NodeJS.Timeout;

  constructor() {
    this.#heartbeat = setInterval(() => this.#send(': keep-alive\n\n'), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  status(): PageStatus {
    return this.#status;
  }

  attach(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.socket?.setNoDelay(true);
    res.write(`retry: 500\n\n${frame('status', this.#status)}`);
    this.#clients.add(res);
    req.on('close', () => this.#clients.delete(res));
  }

  publish(status: PageStatus): void {
    this.#status = status;
    this.#send(frame('status', status));
  }

  publishAssets(assets: AssetsChanged): void {
    this.#send(frame('assets', assets));
  }

  /** Connected pages (for tests and the terminal). */
  clients(): number {
    return this.#clients.size;
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #send(text: string): void {
    for (const res of this.#clients) res.write(text);
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
