import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import { AlertWebhook } from './alerts-webhook';

const household: Household = { id: 'h1', name: 'Home', timeZone: 'Europe/Berlin', tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'owner' };
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const URL_ = '/api/alerts/v1/households/h1/alert-webhook';

function renderWith(answer: (method: string, url: string, body: unknown) => Response): void {
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    Promise.resolve(answer(init?.method ?? 'GET', input instanceof Request ? input.url : String(input), typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined));
  const client = new ApiClient(new Session(fetchFn), fetchFn);
  render(
    <AppContext.Provider value={{ client, household, reloadHousehold: () => undefined }}>
      <AlertWebhook />
    </AppContext.Provider>,
  );
}

describe('alert webhook', () => {
  it('when a first webhook is saved, then the generated secret is shown once, and a test reports its delivery', async () => {
    let saved: unknown;
    renderWith((method, url, body) => {
      if (method === 'GET') return json(404, { error: 'webhook-not-configured', message: 'no webhook' });
      if (method === 'PUT') {
        saved = body;
        return json(200, { householdId: 'h1', url: 'https://example.org/hook', enabled: true, secretHint: 'wxyz', secret: 'generated-secret-wxyz', updatedAt: '2026-03-28T10:00:00.000Z' });
      }
      expect(url).toBe(`${URL_}/test`);
      return json(200, { eventId: '00000000-0000-4000-8000-000000000009', delivered: true, status: 204 });
    });
    await userEvent.type(await screen.findByLabelText('URL'), 'https://example.org/hook');
    expect(screen.queryByRole('button', { name: 'Send test' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Save webhook' }));
    expect((await screen.findByTestId('webhook-secret')).textContent).toBe('generated-secret-wxyz');
    expect(saved).toEqual({ url: 'https://example.org/hook', enabled: true });
    await userEvent.click(screen.getByRole('button', { name: 'Send test' }));
    expect(await screen.findByText('Delivered (HTTP 204).')).toBeTruthy();
  });

  it('when the receiver fails the test, then the result says so; the URL is refused with the service message', async () => {
    renderWith((method) => {
      if (method === 'GET') return json(200, { householdId: 'h1', url: 'https://example.org/hook', enabled: false, secretHint: 'abcd', updatedAt: '2026-03-28T10:00:00.000Z' });
      if (method === 'PUT') return json(400, { error: 'invalid-request', message: 'body.url: an http:// or https:// URL' });
      return json(200, { eventId: '00000000-0000-4000-8000-000000000009', delivered: false, status: 500, error: 'receiver answered 500' });
    });
    expect((await screen.findByLabelText<HTMLInputElement>('URL')).value).toBe('https://example.org/hook');
    expect(screen.getByLabelText<HTMLInputElement>('Send alerts to this URL').checked).toBe(false);
    expect(screen.getByText('Signing secret ends in “abcd”.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Send test' }));
    expect(await screen.findByText('Not delivered (HTTP 500): receiver answered 500.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Save webhook' }));
    expect((await screen.findByRole('alert')).textContent).toBe('URL: an http:// or https:// URL');
  });
});
