import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import { OperatorFrame } from './operator-frame';

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function renderFrame(logout: () => Promise<Response>): Session {
  const fetchFn = (input: RequestInfo | URL): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    if (url === '/api/session/logout') return logout();
    return Promise.resolve(json(503, { error: 'upstream-unavailable', message: 'not in this test' }));
  };
  const session = new Session(fetchFn);
  session.status = 'authenticated';
  render(<OperatorFrame client={new ApiClient(session, fetchFn)} />);
  return session;
}

describe('operator frame', () => {
  it('when logging out fails, then the operator stays logged in and is told why, and may try again', async () => {
    const session = renderFrame(() => Promise.resolve(json(503, { error: 'upstream-unavailable', message: 'the web server is restarting' })));
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByText("Couldn't log out: the web server is restarting. You are still logged in. Try again.")).toBeTruthy();
    expect(session.status).toBe('authenticated');
    expect(screen.getByRole('button', { name: 'Log out' })).toHaveProperty('disabled', false);
  });

  it('when the server confirms the logout, then the session ends', async () => {
    const session = renderFrame(() => Promise.resolve(new Response(null, { status: 204 })));
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    await waitFor(() => expect(session.status).not.toBe('authenticated'));
  });
});
