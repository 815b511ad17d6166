import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useRefresh } from './use-refresh';

describe('useRefresh', () => {
  let hidden = false;
  const setHidden = (value: boolean): void => {
    hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  const pass = (ms: number): void => act(() => void vi.advanceTimersByTime(ms));

  beforeEach(() => {
    hidden = false;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    Reflect.deleteProperty(document, 'hidden');
  });

  it('when shown, then it reads every interval, with the latest callback', () => {
    const first = vi.fn();
    const second = vi.fn();
    const { rerender } = renderHook(({ refresh }) => useRefresh(refresh, 1000), { initialProps: { refresh: first } });
    pass(999);
    expect(first).not.toHaveBeenCalled();
    pass(1);
    expect(first).toHaveBeenCalledTimes(1);
    rerender({ refresh: second });
    pass(2000);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('when the tab is hidden, then it skips its reads, and makes one as soon as it is shown again', () => {
    const refresh = vi.fn();
    renderHook(() => useRefresh(refresh, 1000));
    setHidden(true);
    pass(5000);
    expect(refresh).not.toHaveBeenCalled();
    setHidden(false);
    expect(refresh).toHaveBeenCalledTimes(1);
    pass(1000);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('when the tab is hidden and shown again between two ticks, then no read is made early', () => {
    const refresh = vi.fn();
    renderHook(() => useRefresh(refresh, 1000));
    pass(300);
    setHidden(true);
    setHidden(false);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('when disabled or unmounted, then it reads no more', () => {
    const refresh = vi.fn();
    const { rerender, unmount } = renderHook(({ enabled }) => useRefresh(refresh, 1000, enabled), { initialProps: { enabled: false } });
    pass(3000);
    expect(refresh).not.toHaveBeenCalled();
    rerender({ enabled: true });
    pass(1000);
    expect(refresh).toHaveBeenCalledTimes(1);
    unmount();
    setHidden(true);
    setHidden(false);
    pass(3000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
