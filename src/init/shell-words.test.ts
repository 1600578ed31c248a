import { describe, expect, it } from 'vitest';
import { splitShell } from './shell-words.js';

const words = (text: string) => {
  const s = splitShell(text);
  return s.kind === 'commands' ? s.commands.map((c) => [c.env, c.words, c.followedBy]) : s.what;
};

describe('splitShell', () => {
  it.each([
    ['go build -o ./tmp/main .', [[{}, ['go', 'build', '-o', './tmp/main', '.'], 'end']]],
    ['CGO_ENABLED=0 go build .', [[{ CGO_ENABLED: '0' }, ['go', 'build', '.'], 'end']]],
    ["go build -gcflags='all=-N -l' .", [[{}, ['go', 'build', '-gcflags=all=-N -l', '.'], 'end']]],
    ['go build -ldflags "-s -w" .', [[{}, ['go', 'build', '-ldflags', '-s -w', '.'], 'end']]],
    [
      'go generate ./... && go build .; echo ok',
      [
        [{}, ['go', 'generate', './...'], '&&'],
        [{}, ['go', 'build', '.'], ';'],
        [{}, ['echo', 'ok'], 'end'],
      ],
    ],
    ['go build \\\n  -o x .', [[{}, ['go', 'build', '-o', 'x', '.'], 'end']]],
    [
      'a\r\nb',
      [
        [{}, ['a'], 'newline'],
        [{}, ['b'], 'end'],
      ],
    ],
    [
      'a # comment\nb',
      [
        [{}, ['a'], 'newline'],
        [{}, ['b'], 'end'],
      ],
    ],
  ])('%j', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it.each([
    ['echo $HOME', 'an expansion ($)'],
    ['go build -o "$OUT" .', 'an expansion ($)'],
    ['echo `date`', 'an expansion (`)'],
    ['go build > log', 'the shell syntax ">"'],
    ['go build *.go', 'the shell syntax "*"'],
    ["echo 'open", 'an unclosed single quote'],
    ['run &', 'the shell syntax "&"'],
  ])('%j is opaque: %s', (text, what) => {
    expect(words(text)).toBe(what);
  });

  it('keeps each command text for the sh -c form', () => {
    const s = splitShell('templ generate && go build -o ./tmp/main .');
    expect(s.kind === 'commands' && s.commands.map((c) => c.text)).toEqual([
      'templ generate',
      'go build -o ./tmp/main .',
    ]);
  });
});
