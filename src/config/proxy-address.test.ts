import { describe, expect, it } from 'vitest';
import { listenUrl, parseListenAddress, parseTargetUrl } from './proxy-address.js';

describe('parseListenAddress', () => {
  it.each([
    ['3000', { host: '127.0.0.1', port: 3000 }],
    [':3000', { host: '127.0.0.1', port: 3000 }],
    ['localhost:8081', { host: 'localhost', port: 8081 }],
    // Another address than loopback only when the user names it.
    ['0.0.0.0:3000', { host: '0.0.0.0', port: 3000 }],
    ['[::1]:3000', { host: '::1', port: 3000 }],
  ])('%j', (raw, expected) => {
    expect(parseListenAddress(raw)).toEqual(expected);
  });

  it.each(['0', '70000', 'abc', '127.0.0.1:', 'bad host!:80'])('rejects %j', (raw) => {
    expect(() => parseListenAddress(raw)).toThrow(/--proxy/);
  });

  it('names the config key and code for gohot.json', () => {
    expect(() => parseListenAddress('x', 'proxy.listen', 'CONFIG_INVALID')).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/proxy\.listen/),
      }),
    );
  });
});

describe('parseTargetUrl', () => {
  it.each([
    ['8080', 'http://127.0.0.1:8080'],
    ['http://localhost:8080', 'http://localhost:8080'],
    ['http://127.0.0.1:9000/some/path', 'http://127.0.0.1:9000'],
    ['http://example.test', 'http://example.test:80'],
    ['[::1]:8080', 'http://[::1]:8080'],
  ])('%j -> %j', (raw, expected) => {
    expect(parseTargetUrl(raw)).toBe(expected);
  });

  it('accepts only http', () => {
    expect(() => parseTargetUrl('https://127.0.0.1:8443')).toThrow(/http:\/\//);
  });
});

describe('listenUrl', () => {
  it('opens a wildcard address on loopback', () => {
    expect(listenUrl({ host: '0.0.0.0', port: 3000 })).toBe('http://127.0.0.1:3000');
    expect(listenUrl({ host: '::1', port: 3000 })).toBe('http://[::1]:3000');
  });
});
