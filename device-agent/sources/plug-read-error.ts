// Why one poll of one plug produced nothing. Stable reasons, used as a metric label.

export type PlugFailure = 'timeout' | 'network' | 'http-status' | 'too-large' | 'malformed-json' | 'unexpected-shape';

export class PlugReadError extends Error {
  override readonly name = 'PlugReadError';
  constructor(
    readonly reason: PlugFailure,
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

/** JSON.parse that fails with a PlugReadError instead of a bare SyntaxError. */
export function parsePlugJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw new PlugReadError('malformed-json', (err as Error).message);
  }
}
