import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import { HouseholdGate } from './household-gate';

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A new account (no household yet) at the gate; `answer` gives what the other calls get. */
function renderNewAccount(answer: (url: string) => Promise<Response>): Session {
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    if (url === '/api/auth/v1/households' && (init?.method ?? 'GET') === 'GET') return Promise.resolve(json(200, { households: [] }));
    return answer(url);
  };
  const session = new Session(fetchFn);
  session.status = 'authenticated';
  render(<HouseholdGate client={new ApiClient(session, fetchFn)} />);
  return session;
}

describe('household gate, new account', () => {
  it('when Log out is pressed on "Set up your household", then the session ends', async () => {
    const session = renderNewAccount(() => Promise.resolve(new Response(null, { status: 204 })));
    expect(await screen.findByRole('heading', { name: 'Set up your household' })).toBeTruthy();
    expect(document.title).toBe('Set up your household · Energymonitor');
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    await waitFor(() => expect(session.status).toBe('anonymous'));
  });

  it('when the logout cannot reach the server, then the account stays logged in and says so', async () => {
    const session = renderNewAccount(() => Promise.reject(new TypeError('Failed to fetch')));
    await userEvent.click(await screen.findByRole('button', { name: 'Log out' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Couldn't log out: Cannot reach the server\..* Try again\.$/);
    expect(session.status).toBe('authenticated');
    session.end();
  });

  it('when the service refuses the time zone, then the message names the field as the form does', async () => {
    renderNewAccount(() => Promise.resolve(json(400, { error: 'invalid-request', message: 'body.timeZone: timeZone must be an IANA time zone such as Europe/Berlin' })));
    await userEvent.click(await screen.findByRole('button', { name: 'Create household' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Time zone must be an IANA time zone such as Europe/Berlin');
  });
});
