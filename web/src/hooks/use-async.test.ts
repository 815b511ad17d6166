import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useAsync } from './use-async';

/** A load whose answers the test gives one at a time: a value, or an Error to fail with. */
function scripted(): { load: (input: string) => Promise<string>; answer: (value: string | Error) => void } {
  const waiting: ((value: string | Error) => void)[] = [];
  return {
    load: (input) => new Promise((resolve, reject) => waiting.push((value) => (value instanceof Error ? reject(value) : resolve(`${input}:${value}`)))),
    answer: (value) => act(() => waiting.shift()?.(value)),
  };
}

describe('useAsync', () => {
  it('when a reload of the same inputs fails, then the data stays with the failure beside it, until a reload succeeds', async () => {
    const { load, answer } = scripted();
    const { result } = renderHook(() => useAsync(() => load('day'), ['day']));
    expect(result.current.state).toEqual({ status: 'loading' });
    answer('1');
    await waitFor(() => expect(result.current.state).toEqual({ status: 'ok', data: 'day:1' }));

    act(() => result.current.reload());
    answer(new Error('read service restarting'));
    await waitFor(() => expect(result.current.state).toEqual({ status: 'ok', data: 'day:1', refreshError: new Error('read service restarting') }));

    act(() => result.current.reload());
    answer('2');
    await waitFor(() => expect(result.current.state).toEqual({ status: 'ok', data: 'day:2' }));
  });

  it('when the load for new inputs fails, then it is an error, not the old inputs\' data', async () => {
    const { load, answer } = scripted();
    const { result, rerender } = renderHook(({ input }) => useAsync(() => load(input), [input]), { initialProps: { input: 'monday' } });
    answer('1');
    await waitFor(() => expect(result.current.state.status).toBe('ok'));

    rerender({ input: 'tuesday' });
    expect(result.current.state).toEqual({ status: 'ok', data: 'monday:1' }); // shown until the new answer
    answer(new Error('down'));
    await waitFor(() => expect(result.current.state).toEqual({ status: 'error', error: new Error('down') }));

    // Retrying tuesday, whose data was never shown, fails as an error again.
    act(() => result.current.reload());
    answer(new Error('still down'));
    await waitFor(() => expect(result.current.state).toEqual({ status: 'error', error: new Error('still down') }));
  });
});
