import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TimeChartProps } from '../components/time-chart';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import { DashboardPage } from './dashboard-page';

// uPlot draws on a canvas, which jsdom lacks; these tests read the numbers and the device list,
// and what the live chart is given.
const { charts } = vi.hoisted(() => ({ charts: [] as TimeChartProps[] }));
vi.mock('../components/time-chart', () => ({
  TimeChart: (props: TimeChartProps) => {
    charts.push(props);
    return null;
  },
}));

const household: Household = { id: 'h1', name: 'Home', timeZone: 'Europe/Berlin', tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'owner' };
const json = (body: unknown): Response => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

function sse(events: string[]): Response {
  const encoder = new TextEncoder();
  // The stream stays open after its events, like the real live feed.
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode('retry: 2000\n: watching h1\n\n'));
      for (const e of events) controller.enqueue(encoder.encode(e));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const readDown = (): Response => new Response(JSON.stringify({ error: 'upstream-unavailable', message: 'The read service cannot be reached.' }), { status: 503, headers: { 'content-type': 'application/json' } });

/** `power` answers the seed request (default: no readings); the live stream answers `liveEvents`. */
function renderDashboard(liveEvents: string[] | 'down', power: (url: string) => Response = () => json({ resolutionS: 10, fromMs: 0, toMs: 0, series: [], total: [] }), home: Household = household): void {
  const fetchFn = (input: RequestInfo | URL): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    if (url.includes('/live')) return Promise.resolve(liveEvents === 'down' ? readDown() : sse(liveEvents));
    if (url.includes('/power')) return Promise.resolve(power(url));
    if (url.includes('/cost')) return Promise.resolve(json({ period: 'day', timeZone: 'Europe/Berlin', currency: 'EUR', buckets: [{ start: 'x', startMs: 0, endMs: 1, totalKwh: 3.25, devices: {}, cost: 0.98 }] }));
    return Promise.resolve(new Response('{}', { status: 404 }));
  };
  const client = new ApiClient(new Session(fetchFn), fetchFn);
  render(
    <AppContext.Provider value={{ client, household: home, reloadHousehold: () => undefined }}>
      <DashboardPage />
    </AppContext.Provider>,
  );
}

describe('dashboard', () => {
  it('when a container arrives on the live stream, then the current power is the sum of the devices and each is listed', async () => {
    const ts = Date.now();
    const data = JSON.stringify({ agent: 'a1', seq: 1, readings: [{ device: 'fridge', quantity: 'power_w', value: 120, ts }, { device: 'tv', quantity: 'power_w', value: 1380, ts }] });
    renderDashboard([`id: g-1\nevent: container\ndata: ${data}\n\n`]);
    expect((await screen.findByTestId('current-power')).textContent).toBe('1.50 kW');
    expect(screen.getByText('fridge')).toBeTruthy();
    expect(screen.getByText('tv')).toBeTruthy();
    expect((await screen.findByTestId('today-energy')).textContent).toBe('3.25 kWh');
  });

  it('when two agents report the same device id, then the device is listed once with their sum and the current power counts both', async () => {
    const ts = Date.now();
    const a1 = JSON.stringify({ agent: 'a1', seq: 1, readings: [{ device: 'fridge', quantity: 'power_w', value: 100, ts }, { device: 'router', quantity: 'power_w', value: 10, ts }] });
    const a2 = JSON.stringify({ agent: 'a2', seq: 1, readings: [{ device: 'fridge', quantity: 'power_w', value: 300, ts: ts + 500 }] });
    renderDashboard([`id: g-1\nevent: container\ndata: ${a1}\n\n`, `id: g-2\nevent: container\ndata: ${a2}\n\n`]);
    await waitFor(() => expect(screen.getByTestId('current-power').textContent).toBe('410 W'));
    expect(screen.getAllByText('fridge')).toHaveLength(1);
    expect(screen.getByText('fridge').parentElement?.textContent).toContain('400 W');
  });

  it('when a device on two agents is seeded per agent and one agent publishes, then it reads its live value plus the other agent\'s seed at once', async () => {
    const ts = Date.now();
    const seeded = { resolutionS: 10, fromMs: ts - 600_000, toMs: ts, total: [{ t: ts - 20_000, mean: 500 }] };
    const perAgent = [
      { device: 'fridge', agent: 'a1', points: [{ t: ts - 20_000, mean: 150, max: 150 }] },
      { device: 'fridge', agent: 'a2', points: [{ t: ts - 20_000, mean: 250, max: 250 }] },
      { device: 'tv', agent: 'a1', points: [{ t: ts - 20_000, mean: 100, max: 100 }] },
    ];
    const asked: string[] = [];
    const a1 = JSON.stringify({ agent: 'a1', seq: 1, readings: [{ device: 'fridge', quantity: 'power_w', value: 160, ts }] });
    renderDashboard([`id: g-1\nevent: container\ndata: ${a1}\n\n`], (url) => {
      asked.push(url);
      return json({ ...seeded, series: perAgent });
    });
    await waitFor(() => expect(screen.getByTestId('current-power').textContent).toBe('510 W'));
    expect(screen.getByText('fridge').parentElement?.textContent).toContain('410 W');
    expect(asked.some((url) => new URL(url, 'http://x').searchParams.get('split') === 'agent')).toBe(true);
  });

  it('when no readings arrive, then the empty state says how to add a device', async () => {
    renderDashboard([]);
    expect(await screen.findByText('No readings in the last minutes.')).toBeTruthy();
    expect(screen.getByText('No device has reported power yet.')).toBeTruthy();
  });

  it('when the read service is down, then the page shows the error with a retry, never the advice to add a device', async () => {
    let down = true;
    renderDashboard('down', () => (down ? readDown() : json({ resolutionS: 10, fromMs: 0, toMs: 0, series: [], total: [] })));
    expect((await screen.findByText(/Current power could not be loaded: The read service cannot be reached/)).closest('[role="alert"]')).toBeTruthy();
    expect(screen.queryByText('No readings in the last minutes.')).toBeNull();
    expect(screen.queryByText('No device has reported power yet.')).toBeNull();
    down = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No readings in the last minutes.')).toBeTruthy();
  });

  it("when the live chart is drawn, then its times are in the household's zone, not the browser's", async () => {
    const ts = Date.now();
    const seeded = { resolutionS: 10, fromMs: ts - 600_000, toMs: ts, total: [{ t: ts - 20_000, mean: 500 }, { t: ts - 10_000, mean: 520 }], series: [] };
    renderDashboard([], () => json(seeded), { ...household, timeZone: 'Asia/Tokyo' });
    await waitFor(() => expect(charts.length).toBeGreaterThan(0));
    const { options, optionsKey } = charts[charts.length - 1]!;
    // 12:00 UTC is 21:00 in Tokyo (no daylight saving time), whatever zone the test runs in.
    const noonUtc = Date.UTC(2025, 0, 15, 12, 0, 0) / 1000;
    expect(options.tzDate?.(noonUtc).getHours()).toBe(21);
    expect(optionsKey).toContain('Asia/Tokyo');
  });
});
