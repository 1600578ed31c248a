import net from 'node:net';
import { errnoCode, GohotError } from '../errors.js';
import { CONTROL_PROTOCOL_VERSION, type ControlMethod, type ControlResponse } from './protocol.js';

/** How long a client waits for the answer of a running gohot. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** The outcome of one request: the result, or nobody listening (a stale socket). */
export type ControlReply =
  | { readonly kind: 'answered'; readonly result: unknown }
  | { readonly kind: 'not-listening'; readonly code: string };

/**
 * Sends one request to the control socket at `socket` and waits for its response line.
 * ECONNREFUSED and ENOENT (the gohot is gone) are a `not-listening` reply; every other
 * failure, an error response included, throws CONTROL_REQUEST_FAILED.
 */
export function requestControl(
  socket: string,
  method: ControlMethod,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<ControlReply> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(socket);
    let buffered = '';
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      conn.destroy();
      outcome();
    };
    const failed = (why: string, cause?: unknown) =>
      finish(() =>
        reject(
          new GohotError(
            'CONTROL_REQUEST_FAILED',
            `The running gohot at ${socket} did not answer: ${why}.`,
            'Check that the gohot of this project is still running; `gohot inspect` works without one, too.',
            { cause },
          ),
        ),
      );
    conn.setEncoding('utf8');
    conn.setTimeout(timeoutMs, () => failed(`no answer within ${timeoutMs} ms`));
    conn.once('connect', () => {
      conn.write(`${JSON.stringify({ v: CONTROL_PROTOCOL_VERSION, id: 1, method })}\n`);
    });
    conn.on('data', (chunk: string) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl === -1) return;
      let response: ControlResponse;
      try {
        response = JSON.parse(buffered.slice(0, nl)) as ControlResponse;
      } catch (err) {
        failed('its answer is not valid JSON', err);
        return;
      }
      if (!response.ok) {
        failed(`${response.error.code}: ${response.error.message}`);
        return;
      }
      finish(() => resolve({ kind: 'answered', result: response.result }));
    });
    conn.once('error', (err) => {
      const code = errnoCode(err);
      if (code === 'ECONNREFUSED' || code === 'ENOENT') {
        finish(() => resolve({ kind: 'not-listening', code }));
      } else failed(code ?? String(err), err);
    });
    conn.once('close', () => failed('it closed the connection before answering'));
  });
}
