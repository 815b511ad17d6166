import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import { Shell } from './shell';

// The Now page's chart draws on a canvas, which jsdom lacks.
vi.mock('../components/time-chart', () => ({ TimeChart: () => null }));

const household: Household = { id: 'h1', name: 'Home', timeZone: 'Europe/Berlin', tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'owner' };

function renderShellAt(path: string): void {
  window.history.replaceState(null, '', path);
  const fetchFn = (): Promise<Response> => Promise.resolve(new Response(JSON.stringify({ error: 'not-found', message: 'no' }), { status: 404, headers: { 'content-type': 'application/json' } }));
  const client = new ApiClient(new Session(fetchFn), fetchFn);
  render(
    <AppContext.Provider value={{ client, household, reloadHousehold: () => undefined }}>
      <Shell households={[household]} onChoose={() => undefined} />
    </AppContext.Provider>,
  );
}

afterEach(() => window.history.replaceState(null, '', '/'));

describe('unknown addresses', () => {
  it('when the address names no page, then "page not found" shows, the address stays, and a link leads home', async () => {
    renderShellAt('/nonexistent/path');
    expect(screen.getByRole('heading', { name: 'Page not found' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Now' })).toBeNull();
    expect(window.location.pathname).toBe('/nonexistent/path');
    await userEvent.click(screen.getByRole('link', { name: 'Go to Now' }));
    expect(window.location.pathname).toBe('/');
    expect(await screen.findByRole('heading', { name: 'Now' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Page not found' })).toBeNull();
  });

  it('when the address is a page with a trailing slash, then that page shows', () => {
    renderShellAt('/settings/');
    expect(screen.getByRole('heading', { name: 'Settings' })).toBeTruthy();
  });
});
