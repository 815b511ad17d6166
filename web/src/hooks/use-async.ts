// Loading / error / data state of one asynchronous load, reloadable, ignoring stale answers.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export type AsyncState<T> = { status: 'loading' } | { status: 'error'; error: Error } | { status: 'ok'; data: T };

export interface AsyncResult<T> {
  state: AsyncState<T>;
  reload: () => void;
}

export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): AsyncResult<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    const abort = new AbortController();
    // Back to loading when the inputs changed (data already shown stays until the new answer).
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the load starts here, so does its state
    setState((previous) => (previous.status === 'ok' ? previous : { status: 'loading' }));
    loadRef.current(abort.signal).then(
      (data) => {
        if (!abort.signal.aborted) setState({ status: 'ok', data });
      },
      (error: unknown) => {
        if (!abort.signal.aborted) setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the load depends on
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, reload };
}
