/**
 * True when `word` is written as a file system path, the way the go command tells a
 * directory from an import path (`.`, `..`, `./x`, `../x`, or absolute), so that any
 * other first word can be a command (docs/facts.md#package-arguments).
 */
export function isPathArgument(word: string): boolean {
  return (
    word === '.' ||
    word === '..' ||
    word.startsWith('./') ||
    word.startsWith('../') ||
    word.startsWith('/')
  );
}
