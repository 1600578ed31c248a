import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The published schema of the event stream, schema/events.schema.json. */
export const EVENTS_SCHEMA = JSON.parse(
  readFileSync(path.join(root, 'schema/events.schema.json'), 'utf8'),
) as { readonly $defs: Record<string, { readonly properties?: Record<string, unknown> }> };

/** Validates one line of the stream; returns ajv's errors as text, or undefined when valid. */
export function eventSchemaErrors(): (line: unknown) => string | undefined {
  const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
  // gohot's own annotation: the version the schema describes.
  ajv.addKeyword({ keyword: 'schemaVersion', schemaType: 'number' });
  const validate = ajv.compile(EVENTS_SCHEMA);
  return (line) =>
    validate(line) ? undefined : `${JSON.stringify(line)}: ${ajv.errorsText(validate.errors)}`;
}

/** The $defs entries that describe one event type (the ones with a `type` constant). */
export function schemaEventTypes(): string[] {
  return Object.entries(EVENTS_SCHEMA.$defs)
    .filter(([, def]) => def.properties?.type !== undefined)
    .map(([name]) => name);
}
