import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { endToEnd, forwardedRequestHeaders, rawResponseHead } from './headers.js';

describe('endToEnd', () => {
  it('drops hop-by-hop fields and the ones Connection names', () => {
    expect(
      endToEnd({
        connection: 'keep-alive, x-hop',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        te: 'trailers',
        upgrade: 'websocket',
        'proxy-connection': 'keep-alive',
        'x-hop': '1',
        'content-type': 'text/plain',
        'set-cookie': ['a=1', 'b=2'],
      }),
    ).toEqual({ 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
  });

  it('keeps Connection and Upgrade for a WebSocket handshake', () => {
    expect(endToEnd({ connection: 'Upgrade', upgrade: 'websocket', te: 'x' }, true)).toEqual({
      connection: 'Upgrade',
      upgrade: 'websocket',
    });
  });
});

describe('forwardedRequestHeaders', () => {
  const req = (headers: http.IncomingHttpHeaders) =>
    ({ headers, socket: { remoteAddress: '127.0.0.1' } }) as unknown as http.IncomingMessage;

  it('keeps Host and adds X-Forwarded-*', () => {
    expect(forwardedRequestHeaders(req({ host: 'localhost:3000', connection: 'close' }))).toEqual({
      host: 'localhost:3000',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'localhost:3000',
    });
  });

  it('appends to an X-Forwarded-For and keeps what an outer proxy set', () => {
    const h = forwardedRequestHeaders(
      req({ host: 'a', 'x-forwarded-for': '10.0.0.1', 'x-forwarded-proto': 'https' }),
    );
    expect(h['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1');
    expect(h['x-forwarded-proto']).toBe('https');
  });
});

describe('rawResponseHead', () => {
  it('writes a status line and the raw pairs', () => {
    expect(rawResponseHead(101, 'Switching Protocols', ['Upgrade', 'websocket'])).toBe(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n',
    );
  });
});
