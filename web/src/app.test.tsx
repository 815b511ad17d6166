import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiClient } from './api/client';
import { Session } from './api/session';
import { App } from './app';

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The app at a reload, against a web server whose refresh answer `refresh` decides. */
function reload(refresh: () => Promise<Response>): Session {
  const fetchFn = (input: RequestInfo | URL): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    if (url === '/api/session/refresh') return refresh();
    if (url === '/api/auth/v1/households') return Promise.resolve(json(200, { households: [] }));
    return Promise.resolve(json(404, { error: 'not-found', message: 'no route' }));
  };
  const session = new Session(fetchFn);
  render(<App client={new ApiClient(session, fetchFn)} />);
  return session;
}

describe('app start', () => {
  it.each([
    ['the auth service is down (503)', (): Promise<Response> => Promise.resolve(json(503, { error: 'upstream-unavailable', message: 'the auth service cannot be reached' })), 'the auth service cannot be reached'],
    ['the network fails', (): Promise<Response> => Promise.reject(new TypeError('Failed to fetch')), 'Cannot reach the server'],
  ])('when %s at a reload, then it says it cannot reach Energymonitor, with Retry, not the login form', async (_case, refresh, reason) => {
    const session = reload(refresh);
    expect(await screen.findByRole('heading', { name: "Can't reach Energymonitor right now" })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain(reason);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Log in' })).toBeNull();
    expect(document.title).toBe('Not connected · Energymonitor');
    expect(session.status).toBe('unreachable');
    session.end();
  });

  it('when Retry is pressed once the service is back, then the session is restored', async () => {
    let up = false;
    const session = reload(() => Promise.resolve(up ? json(200, { accessToken: 'tok', expiresInS: 600 }) : json(503, { error: 'upstream-unavailable', message: 'down' })));
    await userEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('down')).toBeTruthy();
    up = true;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { name: 'Set up your household' })).toBeTruthy();
    expect(session.status).toBe('authenticated');
    session.end();
  });

  it('when the server says there is no session, then the login form shows', async () => {
    reload(() => Promise.resolve(json(401, { error: 'no-session', message: 'not logged in' })));
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeTruthy();
    expect(document.title).toBe('Log in · Energymonitor');
  });
});
