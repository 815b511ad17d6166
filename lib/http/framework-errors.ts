// Fastify's own client errors (FST_ERR_*) in the terms of our error catalogue: a client meets
// `invalid-request`, `not-found`, `body-too-large` or `unsupported-media-type` with a message that
// says what to change, never a Fastify code. Every service's catalogue lists HTTP_APP_ERRORS.
import type { FastifyError, FastifyInstance } from 'fastify';

/** The codes lib/http answers with by itself, and their status. */
export const HTTP_APP_ERRORS = Object.freeze({
  'invalid-request': 400,
  'not-found': 404,
  'body-too-large': 413,
  'unsupported-media-type': 415,
  internal: 500,
} as const);

export interface ClientError {
  readonly status: (typeof HTTP_APP_ERRORS)[keyof typeof HTTP_APP_ERRORS];
  readonly code: keyof typeof HTTP_APP_ERRORS;
  readonly message: string;
}

const invalid = (message: string): ClientError => ({ status: 400, code: 'invalid-request', message });

/** A Fastify error of status 4xx, as the catalogue names it. */
export function fastifyClientError(error: FastifyError, contentType: string | undefined, bodyLimitBytes: number): ClientError {
  switch (error.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalid('the body is empty but content-type says application/json: send a JSON document, or no content-type and no body');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return invalid('the body size does not match Content-Length');
    case 'FST_ERR_BAD_URL':
      return invalid('the URL is not valid: a part of it is badly percent-encoded');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return invalid('a path segment is too long');
    default:
  }
  if (error.statusCode === 404) return { status: 404, code: 'not-found', message: error.message };
  if (error.statusCode === 413) return { status: 413, code: 'body-too-large', message: `request body exceeds ${bodyLimitBytes} bytes` };
  if (error.statusCode === 415) {
    return { status: 415, code: 'unsupported-media-type', message: `this endpoint does not take content-type ${JSON.stringify(contentType ?? '(none)')}` };
  }
  // FST_ERR_CTP_INVALID_JSON_BODY carries explainJsonErrors' message; any other 4xx is a bad request.
  return invalid(error.message);
}

/** Why a body Fastify's JSON parser refused is refused: a syntax error, or prototype poisoning. */
function jsonBodyProblem(body: string): string {
  try {
    JSON.parse(body);
  } catch (err) {
    return `the body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
  }
  return 'the body holds a "__proto__" key or a "constructor" with "prototype", which are refused (prototype poisoning)';
}

/**
 * Fastify's JSON parser, unchanged, except that a refused body says why: its own error says "not
 * valid JSON" even for valid JSON with a `__proto__` key. The reason is worked out only on refusal.
 */
export function explainJsonErrors(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    void parse(request, text, (err: Error | null, value?: unknown) => {
      if (err !== null && (err as Partial<FastifyError>).code === 'FST_ERR_CTP_INVALID_JSON_BODY') err.message = jsonBodyProblem(text);
      done(err, value);
    });
  });
}
