import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import { PasswordSettings } from './password-settings';

const household: Household = { id: 'h1', name: 'Home', timeZone: 'Europe/Berlin', tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'member' };
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Renders the card with `answer` as the web server; returns the calls made (path and body) and the session. */
function renderPassword(answer: (path: string) => Response): { calls: { path: string; body: unknown }[]; session: Session } {
  const calls: { path: string; body: unknown }[] = [];
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const path = input instanceof Request ? input.url : input.toString();
    calls.push({ path, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    return Promise.resolve(answer(path));
  };
  const session = new Session(fetchFn);
  session.status = 'authenticated';
  render(
    <AppContext.Provider value={{ client: new ApiClient(session, fetchFn), household, reloadHousehold: () => undefined }}>
      <PasswordSettings />
    </AppContext.Provider>,
  );
  return { calls, session };
}

async function fill(current: string, next: string, repeated: string): Promise<void> {
  await userEvent.type(screen.getByLabelText('Current password'), current);
  await userEvent.type(screen.getByLabelText('New password'), next);
  await userEvent.type(screen.getByLabelText('New password again'), repeated);
}
const input = (label: string): HTMLInputElement => screen.getByLabelText<HTMLInputElement>(label);

describe('password settings', () => {
  it('when the new password is typed twice alike, then it is sent with the current one, the fields empty and it says other devices are logged out', async () => {
    const { calls } = renderPassword(() => new Response(null, { status: 204 }));
    await fill('old password 1', 'a much longer one', 'a much longer one');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Password changed. Other devices logged in to this account are logged out.')).toBeTruthy();
    expect(calls).toEqual([{ path: '/api/auth/v1/me/password', body: { currentPassword: 'old password 1', newPassword: 'a much longer one' } }]);
    expect([input('Current password').value, input('New password').value, input('New password again').value]).toEqual(['', '', '']);
  });

  it('when the two new passwords differ or the new one is short, then it says so and sends nothing', async () => {
    const { calls } = renderPassword(() => new Response(null, { status: 204 }));
    await fill('old password 1', 'a much longer one', 'a much longer on');
    expect(screen.getByRole('alert').textContent).toBe('The two new passwords differ.');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await userEvent.clear(input('New password'));
    await userEvent.type(input('New password'), 'short');
    expect(screen.getByRole('alert').textContent).toBe('At least 12 characters.');
    expect(calls).toEqual([]);
  });

  it('when the current password is wrong (401 invalid-credentials), then it says so and the session is neither renewed nor ended', async () => {
    const { calls, session } = renderPassword(() => json(401, { error: 'invalid-credentials', message: 'the current password is wrong' }));
    await fill('not my password', 'a much longer one', 'a much longer one');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The current password is wrong.');
    expect(calls.map((c) => c.path)).toEqual(['/api/auth/v1/me/password']);
    expect(session.status).toBe('authenticated');
    expect(input('Current password').value).toBe('not my password');
  });

  it('when the token has expired (401 unauthenticated), then the session is renewed and the change sent again', async () => {
    let first = true;
    const { calls } = renderPassword((path) => {
      if (path === '/api/session/refresh') return json(200, { accessToken: 'renewed', expiresInS: 900 });
      if (first) {
        first = false;
        return json(401, { error: 'unauthenticated', message: 'token expired' });
      }
      return new Response(null, { status: 204 });
    });
    await fill('old password 1', 'a much longer one', 'a much longer one');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/Password changed/)).toBeTruthy();
    expect(calls.map((c) => c.path)).toEqual(['/api/auth/v1/me/password', '/api/session/refresh', '/api/auth/v1/me/password']);
  });
});
