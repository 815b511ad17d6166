import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import { AuthPage } from './auth-page';

type Call = { url: string; body: unknown };

function fakeBackend(answers: Record<string, () => Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    calls.push({ url, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    const answer = answers[url];
    return Promise.resolve(answer === undefined ? new Response('{"error":"not-found","message":"no route"}', { status: 404 }) : answer());
  };
  return { fetch: fetchFn, calls };
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function setup(answers: Record<string, () => Response>): { session: Session; calls: Call[] } {
  const backend = fakeBackend(answers);
  const session = new Session(backend.fetch);
  render(<AuthPage session={session} client={new ApiClient(session, backend.fetch)} />);
  return { session, calls: backend.calls };
}

describe('AuthPage', () => {
  it('when the password is right, then the session holds the access token', async () => {
    const { session, calls } = setup({ '/api/session/login': () => json(200, { accessToken: 'tok-1', expiresInS: 600 }) });
    await userEvent.type(screen.getByLabelText('Email'), 'ann@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(session.status).toBe('authenticated'));
    expect(session.token()).toBe('tok-1');
    expect(calls[0]).toEqual({ url: '/api/session/login', body: { email: 'ann@example.org', password: 'correct horse battery' } });
    session.end();
  });

  it('when the address is internationalised (RFC 6531), then the browser lets it through to the service', async () => {
    const { session, calls } = setup({ '/api/session/login': () => json(200, { accessToken: 'tok-1', expiresInS: 600 }) });
    await userEvent.type(screen.getByLabelText('Email'), 'josé@bücher.example');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(session.status).toBe('authenticated'));
    expect(calls[0]).toEqual({ url: '/api/session/login', body: { email: 'josé@bücher.example', password: 'correct horse battery' } });
    session.end();
  });

  it('when the login is refused, then the service message is shown as an alert', async () => {
    setup({ '/api/session/login': () => json(401, { error: 'invalid-credentials', message: 'email or password is wrong' }) });
    await userEvent.type(screen.getByLabelText('Email'), 'ann@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong password!!');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('email or password is wrong');
  });

  it('when registering with a short password, then nothing is sent and the rule is explained', async () => {
    const { calls } = setup({});
    await userEvent.click(screen.getByRole('button', { name: 'I am new here' }));
    await userEvent.type(screen.getByLabelText('Email'), 'bob@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/at least 12 characters/);
    expect(calls).toEqual([]);
  });

  it('when registering, then the account is created and logged in', async () => {
    const { session, calls } = setup({
      '/api/auth/v1/auth/register': () => json(202, { status: 'accepted' }),
      '/api/session/login': () => json(200, { accessToken: 'tok-2', expiresInS: 600 }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'I am new here' }));
    await userEvent.type(screen.getByLabelText('Email'), 'bob@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'a long enough passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(session.status).toBe('authenticated'));
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/v1/auth/register', '/api/session/login']);
    session.end();
  });

  it('when registering with an address the service refuses, then the message reads as the form, without the API field path', async () => {
    setup({ '/api/auth/v1/auth/register': () => json(400, { error: 'invalid-request', message: 'body.email: Invalid email address', details: [{ where: 'body', path: 'email', message: 'Invalid email address' }] }) });
    await userEvent.click(screen.getByRole('button', { name: 'I am new here' }));
    await userEvent.type(screen.getByLabelText('Email'), 'not-an-address');
    await userEvent.type(screen.getByLabelText('Password'), 'a long enough passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Email: Invalid email address');
    expect(document.title).toBe('Create account · Energymonitor');
  });
});
