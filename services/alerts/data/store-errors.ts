// PostgreSQL failures the API answers with 503: connection problems carry no SQLSTATE, or class
// 08 (connection), 57 (operator intervention, e.g. shutdown), 53 (insufficient resources).
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export function isUnavailable(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  return code === '' || code.startsWith('08') || code.startsWith('57') || code.startsWith('53') || code.startsWith('E');
}

export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw err;
    if (isUnavailable(err)) throw new StoreUnavailableError(`PostgreSQL is unavailable: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}
