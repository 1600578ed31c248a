// The control protocol (docs/inspect.md#protocol): newline-delimited JSON over a Unix socket,
// one response line per request line, in order. Every message carries the version `v`.

/** The protocol version; a server answers other versions with an error. */
export const CONTROL_PROTOCOL_VERSION = 1;

/** The longest request line a server reads; a longer one closes the connection. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** The methods of version 1. */
export const CONTROL_METHODS = ['hello', 'inspect'] as const;

/** A method of {@link CONTROL_METHODS}. */
export type ControlMethod = (typeof CONTROL_METHODS)[number];

/** One request line. `id` is echoed in the response. */
export interface ControlRequest {
  readonly v: number;
  readonly id: number | string;
  readonly method: ControlMethod;
}

/** Stable codes of protocol errors. */
export type ControlErrorCode =
  | 'bad-request'
  | 'unsupported-version'
  | 'unknown-method'
  | 'too-large'
  | 'internal';

/** One response line. */
export type ControlResponse =
  | {
      readonly v: number;
      readonly id: number | string | null;
      readonly ok: true;
      readonly result: unknown;
    }
  | {
      readonly v: number;
      readonly id: number | string | null;
      readonly ok: false;
      readonly error: { readonly code: ControlErrorCode; readonly message: string };
    };

/** A request line as a value, or the error response to send back. */
export type ParsedRequest =
  | { readonly ok: true; readonly request: ControlRequest }
  | { readonly ok: false; readonly response: ControlResponse };

/** Parses one request line. Pure. */
export function parseRequest(line: string): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return fail(null, 'bad-request', 'The request is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(null, 'bad-request', 'The request must be a JSON object.');
  }
  const r = value as Record<string, unknown>;
  const id = typeof r.id === 'number' || typeof r.id === 'string' ? r.id : null;
  if (r.v !== CONTROL_PROTOCOL_VERSION) {
    return fail(
      id,
      'unsupported-version',
      `This gohot speaks version ${CONTROL_PROTOCOL_VERSION} of the protocol, not ${JSON.stringify(r.v)}.`,
    );
  }
  if (id === null)
    return fail(null, 'bad-request', 'The request needs an "id" (number or string).');
  if (typeof r.method !== 'string' || !(CONTROL_METHODS as readonly string[]).includes(r.method)) {
    return fail(
      id,
      'unknown-method',
      `Unknown method ${JSON.stringify(r.method)}; methods: ${CONTROL_METHODS.join(', ')}.`,
    );
  }
  return { ok: true, request: { v: r.v, id, method: r.method as ControlMethod } };
}

function fail(id: number | string | null, code: ControlErrorCode, message: string): ParsedRequest {
  return { ok: false, response: errorResponse(id, code, message) };
}

/** An error response. */
export function errorResponse(
  id: number | string | null,
  code: ControlErrorCode,
  message: string,
): ControlResponse {
  return { v: CONTROL_PROTOCOL_VERSION, id, ok: false, error: { code, message } };
}
