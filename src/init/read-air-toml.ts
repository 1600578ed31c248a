import { parse, TomlError } from 'smol-toml';
import { configDisplayPath } from '../config/display-path.js';
import { readConfigFile } from '../config/read-config-file.js';
import { GohotError } from '../errors.js';

/** The name air reads in the directory it runs in (its runner/config.go `dftTOML`). */
export const AIR_CONFIG_NAME = '.air.toml';

/**
 * Reads and parses a `.air.toml` (TOML 1.0, CRLF or LF, with or without a BOM) into the
 * object the TOML parser returns. Read like gohot.json: a regular file of at most 1 MiB.
 *
 * @throws GohotError `AIR_CONFIG_MISSING`, `AIR_TOML_SYNTAX` (with file:line:col), or the
 *   `CONFIG_*` read errors of {@link readConfigFile}.
 */
export async function readAirToml(file: string): Promise<Record<string, unknown>> {
  const text = await readConfigFile(file);
  const label = configDisplayPath(file);
  if (text === undefined) {
    throw new GohotError(
      'AIR_CONFIG_MISSING',
      `There is no ${label} to convert.`,
      'Name the file: `gohot init --from-air path/to/.air.toml`, or run `gohot init` for a starter gohot.json.',
    );
  }
  return parseAirToml(text, label);
}

/**
 * Parses the text of a `.air.toml`; `label` prefixes the position of a syntax error.
 * @throws GohotError `AIR_TOML_SYNTAX`
 */
export function parseAirToml(text: string, label: string): Record<string, unknown> {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return parse(source) as Record<string, unknown>;
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    // smol-toml's message is "Invalid TOML document: <what>" followed by a code excerpt.
    const what = (err.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
    throw new GohotError(
      'AIR_TOML_SYNTAX',
      `${label}:${err.line}:${err.column}: ${what}.`,
      'Fix the TOML at that position (air would refuse the file too), then run the conversion again.',
      { cause: err },
    );
  }
}
