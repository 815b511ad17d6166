// Loading / error / data state of one asynchronous load, reloadable, ignoring stale answers. A
// reload of the same inputs that fails (a page's refresh every minute meeting a read service that
// restarts) keeps the data shown and reports the failure beside it, rather than replacing a page a
// homeowner left open with an error; a load for new inputs that fails is an error.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export type AsyncState<T> = { status: 'loading' } | { status: 'error'; error: Error } | { status: 'ok'; data: T; refreshError?: Error };

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

  // The inputs of the data shown: a failed load of the same inputs is a failed refresh.
  const shownFor = useRef<readonly unknown[] | undefined>(undefined);

  useEffect(() => {
    const abort = new AbortController();
    const inputs = deps;
    // Back to loading when the inputs changed (data already shown stays until the new answer).
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the load starts here, so does its state
    setState((previous) => (previous.status === 'ok' ? previous : { status: 'loading' }));
    loadRef.current(abort.signal).then(
      (data) => {
        if (abort.signal.aborted) return;
        shownFor.current = inputs;
        setState({ status: 'ok', data });
      },
      (failure: unknown) => {
        if (abort.signal.aborted) return;
        const error = failure instanceof Error ? failure : new Error(String(failure));
        const refresh = shownFor.current !== undefined && sameValues(shownFor.current, inputs);
        setState((previous) => (refresh && previous.status === 'ok' ? { ...previous, refreshError: error } : { status: 'error', error }));
      },
    );
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the load depends on
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, reload };
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}
