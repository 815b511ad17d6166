import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import { Shell } from './shell';

const household: Household = { id: 'h1', name: 'Home', timeZone: 'Europe/Berlin', tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'owner' };
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The shell, logged in, at `path`; every page's data call fails (the pages show their errors). */
function renderShell(path: string, logout: () => Promise<Response> = () => Promise.resolve(new Response(null, { status: 204 }))): Session {
  window.history.replaceState(null, '', path);
  const fetchFn = (input: RequestInfo | URL): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    if (url === '/api/session/logout') return logout();
    return Promise.resolve(json(503, { error: 'upstream-unavailable', message: 'not in this test' }));
  };
  const session = new Session(fetchFn);
  session.status = 'authenticated';
  render(
    <AppContext.Provider value={{ client: new ApiClient(session, fetchFn), household, reloadHousehold: () => undefined }}>
      <Shell households={[household]} onChoose={() => undefined} />
    </AppContext.Provider>,
  );
  return session;
}

afterEach(() => window.history.replaceState(null, '', '/'));

describe('shell', () => {
  it('when a page is opened from the nav, then the title names it and focus moves to its heading', async () => {
    renderShell('/devices');
    expect(document.title).toBe('Devices · Energymonitor');
    // A loaded page keeps the browser's focus.
    expect(document.activeElement).toBe(document.body);
    await userEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'History' }));
    const heading = screen.getByRole('heading', { level: 1, name: 'History' });
    expect(document.title).toBe('History · Energymonitor');
    expect(document.activeElement).toBe(heading);
    expect(heading.tabIndex).toBe(-1);
    // Back in the browser's history: the same.
    await act(async () => {
      window.history.back();
      await new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    });
    expect(document.title).toBe('Devices · Energymonitor');
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Devices' }));
  });

  it('when an address has no page, then the title says so', () => {
    renderShell('/nowhere');
    expect(document.title).toBe('Page not found · Energymonitor');
  });

  it.each([
    ['the network fails', (): Promise<Response> => Promise.reject(new TypeError('Failed to fetch')), "Couldn't log out: Cannot reach the server. Check your connection and retry. You are still logged in. Try again."],
    ['the web server answers 503', (): Promise<Response> => Promise.resolve(json(503, { error: 'upstream-unavailable', message: 'the web server is restarting' })), "Couldn't log out: the web server is restarting. You are still logged in. Try again."],
  ])('when logging out fails (%s), then the session goes on and the reason shows', async (_case, logout, text) => {
    const session = renderShell('/settings', logout);
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect((await screen.findByText(/Couldn't log out/)).textContent).toBe(text);
    expect(session.status).toBe('authenticated');
    expect(screen.getByRole('button', { name: 'Log out' })).toHaveProperty('disabled', false);
    session.end();
  });

  it('when the server confirms the logout, then the session ends', async () => {
    const session = renderShell('/settings');
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    await vi.waitFor(() => expect(session.status).toBe('anonymous'));
  });
});
