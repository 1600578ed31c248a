import { describe, expect, it } from 'vitest';
import { hookArgv, readGodotenv } from './air-command.js';

describe('hookArgv', () => {
  it.each([
    ['templ generate', ['templ', 'generate']],
    ["sqlc generate -f 'sqlc dev.yaml'", ['sqlc', 'generate', '-f', 'sqlc dev.yaml']],
    ['echo hi > x.txt', ['sh', '-c', 'echo hi > x.txt']],
    ['go generate ./... && echo done', ['sh', '-c', 'go generate ./... && echo done']],
    ['GOFLAGS=-mod=mod go generate ./...', ['sh', '-c', 'GOFLAGS=-mod=mod go generate ./...']],
  ])('%s', (text, expected) => {
    expect(hookArgv(text)).toEqual(expected);
  });
});

describe('readGodotenv', () => {
  it('reads -f files and reverses them: in godotenv the first file wins, in gohot the last', () => {
    expect(readGodotenv(['-f', '.env,.env.local', './tmp/main', 'serve'])).toEqual({
      files: ['.env.local', '.env'],
      override: false,
      command: ['./tmp/main', 'serve'],
    });
  });

  it('defaults to .env, reads -f=value and -o', () => {
    expect(readGodotenv(['./tmp/main'])).toEqual({
      files: ['.env'],
      override: false,
      command: ['./tmp/main'],
    });
    expect(readGodotenv(['-o', '-f=a.env', '--', './tmp/main'])).toMatchObject({
      files: ['a.env'],
      override: true,
      command: ['./tmp/main'],
    });
  });

  it('refuses words it cannot read', () => {
    expect(readGodotenv(['-f'])).toBeUndefined();
    expect(readGodotenv(['-f', '.env'])).toBeUndefined();
    expect(readGodotenv(['-x', './tmp/main'])).toBeUndefined();
  });
});
