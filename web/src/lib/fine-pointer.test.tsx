import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readoutHint, useFinePointer, zoomHint } from './fine-pointer';

describe('hints by pointer', () => {
  it('when the pointer is a mouse, then the zoom hint offers dragging; on a touch screen it does not (a drag scrolls there)', () => {
    expect(zoomHint('day', true)).toBe('Drag across the chart or use + and − to zoom; ← → move within the day.');
    expect(zoomHint('week', false)).toBe('Use + and − to zoom and ← → to move within the week.');
    expect(zoomHint('week', false)).not.toMatch(/drag/i);
    expect(readoutHint(true)).toMatch(/^Point at/);
    expect(readoutHint(false)).toMatch(/^Tap/);
  });
});

describe('useFinePointer', () => {
  const original = Object.getOwnPropertyDescriptor(window, 'matchMedia')!;
  afterEach(() => {
    Object.defineProperty(window, 'matchMedia', original);
  });

  it('when the primary pointer changes (a tablet gets a mouse), then the answer follows', () => {
    let fine = false;
    const listeners = new Set<() => void>();
    window.matchMedia = vi.fn((query: string) => ({
      get matches() {
        return query === '(pointer: fine)' && fine;
      },
      media: query,
      addEventListener: (_type: string, l: () => void) => listeners.add(l),
      removeEventListener: (_type: string, l: () => void) => listeners.delete(l),
    })) as unknown as typeof window.matchMedia;
    const Probe = () => <p>{useFinePointer() ? 'fine' : 'coarse'}</p>;
    render(<Probe />);
    expect(screen.getByText('coarse')).toBeTruthy();
    act(() => {
      fine = true;
      listeners.forEach((l) => l());
    });
    expect(screen.getByText('fine')).toBeTruthy();
  });
});
