import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import type { OperatorAlertsAnswer, OperatorSeriesAnswer } from '../api/operator-types';
import { Session } from '../api/session';
import { OperatorPage } from './operator-page';

// uPlot draws on a canvas jsdom does not have; the chart's numbers are what this test reads.
vi.mock('../components/time-chart', () => ({ TimeChart: ({ label }: { label: string }) => <div role="img" aria-label={label} /> }));

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const series = (range: string): OperatorSeriesAnswer => ({
  range: range as OperatorSeriesAnswer['range'],
  stepS: 15,
  times: [0, 15, 30],
  charts: [
    { id: 'connected-agents', title: 'Connected MQTT clients', unit: 'connections', series: [{ label: '', values: [1, 2, null] }] },
    { id: 'dead-letters', title: 'Dead letters per second', unit: 'readings/s', series: [] },
  ],
});

const alerts: OperatorAlertsAnswer = {
  alerts: [
    { name: 'ProcessDown', state: 'firing', severity: 'critical', summary: 'write is down', description: '', labels: { job: 'write', instance: 'x:1' }, activeAt: '2026-01-01T00:00:00Z', value: '0' },
    { name: 'JournalLagGrowing', state: 'pending', severity: 'warning', summary: 'journal grows', description: '', labels: {}, activeAt: null, value: null },
  ],
  targets: [],
  jobs: [
    { job: 'broker', up: 1, down: 0 },
    { job: 'write', up: 0, down: 1 },
  ],
};

function renderPage(answer: (url: string) => Response): string[] {
  const calls: string[] = [];
  const fetchFn = (input: RequestInfo | URL): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    calls.push(url);
    return Promise.resolve(answer(url));
  };
  render(<OperatorPage client={new ApiClient(new Session(fetchFn), fetchFn)} />);
  return calls;
}

describe('operator page', () => {
  it('when Prometheus answers, then latest values, empty charts and alerts with their summary are shown', async () => {
    renderPage((url) => (url.startsWith('/api/operator/alerts') ? json(200, alerts) : json(200, series('1h'))));
    const agents = await screen.findByRole('region', { name: 'Connected MQTT clients' });
    expect(within(agents).getByText('2').textContent).toBe('2');
    expect(within(screen.getByRole('region', { name: 'Dead letters per second' })).getByText('None in this range')).toBeTruthy();
    const list = screen.getByRole('region', { name: /Alerts/ });
    expect(within(list).getByText('write is down')).toBeTruthy();
    expect(within(list).getByText('pending')).toBeTruthy();
    expect(within(list).getByText('1 firing')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Processes' })).getByText('1 down')).toBeTruthy();
  });

  it('when another range is picked, then the series are asked for that range', async () => {
    const calls = renderPage((url) => (url.startsWith('/api/operator/alerts') ? json(200, alerts) : json(200, series(url.slice(-2)))));
    await screen.findByRole('region', { name: 'Connected MQTT clients' });
    await userEvent.click(screen.getByRole('button', { name: '24 hours' }));
    await vi.waitFor(() => expect(calls).toContain('/api/operator/series?range=24h'));
    expect(screen.getByRole('button', { name: '24 hours' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('when monitoring is unavailable, then the page says why and offers a retry', async () => {
    renderPage(() => json(503, { error: 'monitoring-unavailable', message: 'Prometheus cannot be reached (connect ECONNREFUSED); retry shortly' }));
    const errors = await screen.findAllByRole('alert');
    expect(errors[0]?.textContent).toContain('Prometheus cannot be reached');
    expect(screen.getAllByRole('button', { name: 'Retry' }).length).toBeGreaterThan(0);
  });

  it('when the web server has no Prometheus, then one note says monitoring is off and which variable turns it on, with nothing to retry', async () => {
    renderPage(() => json(503, { error: 'monitoring-not-configured', message: 'monitoring not configured: set EM_WEB_PROMETHEUS_URL' }));
    expect(await screen.findByText('Monitoring is off on this installation: the web server has no Prometheus to ask.')).toBeTruthy();
    expect(screen.getByText(/Set EM_WEB_PROMETHEUS_URL for the web server/)).toBeTruthy();
    expect(screen.queryAllByRole('button', { name: 'Retry' })).toEqual([]);
    expect(screen.queryAllByRole('alert')).toEqual([]);
  });
});
