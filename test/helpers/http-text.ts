import http from 'node:http';

/** A response read whole: its status and body as text. */
export interface TextResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * One GET through `agent` (false: a new connection, closed after the response). Rejects
 * with the socket's error (ECONNREFUSED, ECONNRESET ...), so a load loop can count them.
 */
export function getText(
  url: string,
  agent: http.Agent | false,
  headers: http.OutgoingHttpHeaders = {},
): Promise<TextResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
