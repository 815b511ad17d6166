import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import type { TimeChartProps } from '../components/time-chart';
import { HistoryPage } from './history-page';

// uPlot draws on a canvas, which jsdom lacks. The stand-in shows what the chart would draw as a
// table named like the chart: a column per series (lines or bars), a row per time.
vi.mock('../components/time-chart', () => ({
  TimeChart: ({ label, options, data }: TimeChartProps) => (
    <table aria-label={label}>
      <thead>
        <tr>
          {options.series.map((s, i) => (
            <th key={i}>{typeof s.label === 'string' ? s.label : 'time'}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from(data[0], (x, row) => (
          <tr key={x}>
            {data.map((column, i) => (
              <td key={i}>{String(column[row] ?? '')}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  ),
}));

const BERLIN = 'Europe/Berlin';
const household: Household = { id: 'h1', name: 'Home', timeZone: BERLIN, tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'owner' };
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** kWh per device the fake read service reports for a range, by the range's start: Saturday 29 March is a quieter day. */
const ENERGY_FROM: Record<string, Record<string, number>> = { '2025-03-29T00:00:00+01:00': { fridge: 0.5, 'heat pump': 1 } };
const USUAL_ENERGY = { fridge: 1, 'heat pump': 2 };

/** Power and cost (0.25 EUR per kWh) as the read service answers them: one bucket at the start of the asked range. */
function readService(url: string): Response {
  const { pathname, searchParams } = new URL(url, 'http://localhost');
  const from = searchParams.get('from') ?? '';
  const kwh = ENERGY_FROM[from] ?? USUAL_ENERGY;
  const startMs = Date.parse(from);
  const total = Object.values(kwh).reduce((a, b) => a + b, 0);
  if (pathname.endsWith('/power')) {
    const series = Object.entries(kwh).map(([device, e]) => ({ device, points: [{ t: startMs, mean: e * 1000, max: e * 1000 }] }));
    return json(200, { resolutionS: 3600, fromMs: startMs, toMs: startMs + 3_600_000, series, total: [{ t: startMs, mean: total * 1000 }] });
  }
  if (pathname.endsWith('/cost')) {
    const deviceCosts = Object.fromEntries(Object.entries(kwh).map(([device, e]) => [device, e * 0.25]));
    const bucket = { start: from, startMs, endMs: startMs + 3_600_000, totalKwh: total, devices: kwh, cost: total * 0.25, deviceCosts };
    return json(200, { period: searchParams.get('period'), timeZone: BERLIN, currency: 'EUR', buckets: [bucket] });
  }
  return json(404, { error: 'not-found', message: 'Not found.' });
}

/** Renders History for the household; returns the log of URLs it fetched. */
function renderHistory(answer: (url: string) => Response = readService): string[] {
  const log: string[] = [];
  const fetchFn = (input: RequestInfo | URL): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    log.push(url);
    return Promise.resolve(answer(url));
  };
  const client = new ApiClient(new Session(fetchFn), fetchFn);
  render(
    <AppContext.Provider value={{ client, household, reloadHousehold: () => undefined }}>
      <HistoryPage />
    </AppContext.Provider>,
  );
  return log;
}

/**
 * The requests logged since the last call, in any order, each as the read service parses it: path
 * and decoded query (so a `+` of an offset sent unencoded would read as a space and not match).
 */
function takeRequests(log: string[]): string[] {
  return log
    .splice(0)
    .map((url) => {
      const { pathname, searchParams } = new URL(url, 'http://localhost');
      return `${pathname}?${[...searchParams].map(([k, v]) => `${k}=${v}`).join('&')}`;
    })
    .sort();
}

const power = (from: string, to: string): string => `/api/read/v1/households/h1/power?from=${from}&to=${to}`;
const cost = (from: string, to: string, period: string): string => `/api/read/v1/households/h1/cost?from=${from}&to=${to}&period=${period}`;
/** The requests for power and energy/cost of each range, sorted as takeRequests sorts. */
const ranges = (...list: [from: string, to: string, period: string][]): string[] => list.flatMap(([from, to, period]) => [power(from, to), cost(from, to, period)]).sort();

/** A date as the browser names it in Berlin (en-US: "Sunday, March 30, 2025"), in the runner's locale so any LANG passes. */
const named = (day: string, options: Intl.DateTimeFormatOptions): string => new Intl.DateTimeFormat(undefined, { timeZone: BERLIN, ...options }).format(new Date(`${day}T12:00:00Z`));
const dayLabel = (day: string): string => named(day, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const weekLabel = (monday: string, sunday: string): string => `${named(monday, { day: 'numeric', month: 'short' })} – ${named(sunday, { day: 'numeric', month: 'short', year: 'numeric' })}`;
/** The series a chart draws: its column headings after the time. */
const seriesOf = (chart: string): string[] =>
  within(screen.getByRole('table', { name: chart }))
    .getAllByRole('columnheader')
    .slice(1)
    .map((th) => th.textContent ?? '');
/** What a chart draws for one series: its column, a value per time ('' where there is none). */
function drawn(chart: string, series: string): string[] {
  const table = within(screen.getByRole('table', { name: chart }));
  const column = seriesOf(chart).indexOf(series) + 1;
  return table
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[column]?.textContent ?? '');
}
/** What a chart draws for one series at the instant `iso` ('' where there is none). */
function drawnAt(chart: string, series: string, iso: string): string {
  const table = within(screen.getByRole('table', { name: chart }));
  const column = seriesOf(chart).indexOf(series) + 1;
  const row = table.getAllByRole('row').find((r) => within(r).queryAllByRole('cell')[0]?.textContent === String(Date.parse(iso) / 1000));
  return row === undefined ? '' : (within(row).getAllByRole('cell')[column]?.textContent ?? '');
}
const POWER_CHART = 'Power of the shown devices over the day';
const ENERGY_CHART = 'Energy per bucket over the day; totals are shown above';
const rangeLabel = (): string | null => screen.getByTestId('history-range').textContent;

const click = (name: string): Promise<void> => userEvent.click(screen.getByRole('button', { name }));
const energyShown = (): string | null => screen.getByTestId('period-energy').textContent;

describe('history', () => {
  // Sunday 30 March 2025, 12:00 in Berlin: clocks went forward at 02:00, so today has 23 hours,
  // starting at +01:00 and ending at +02:00.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-30T10:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('when History opens, then it asks for power and hourly energy from local midnight to local midnight of today, across the clock change', async () => {
    const log = renderHistory();
    expect(screen.getByRole('status').textContent).toBe('Loading history…');
    expect(await screen.findByRole('table', { name: POWER_CHART })).toBeTruthy();
    expect(takeRequests(log)).toEqual(ranges(['2025-03-30T00:00:00+01:00', '2025-03-31T00:00:00+02:00', 'hour']));
    expect(rangeLabel()).toBe(dayLabel('2025-03-30'));
    expect(screen.getByRole('button', { name: 'Day', pressed: true })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Energy per hour' })).toBeTruthy();
    expect(energyShown()).toBe('3.00 kWh');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next day' }).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Current' })).toBeNull();
  });

  it.each([
    { span: 'Week', from: '2025-03-24T00:00:00+01:00', to: '2025-03-31T00:00:00+02:00', period: 'day', label: weekLabel('2025-03-24', '2025-03-30'), bars: 'Energy per day' },
    { span: 'Month', from: '2025-03-01T00:00:00+01:00', to: '2025-04-01T00:00:00+02:00', period: 'day', label: named('2025-03-15', { month: 'long', year: 'numeric' }), bars: 'Energy per day' },
    { span: 'Year', from: '2025-01-01T00:00:00+01:00', to: '2026-01-01T00:00:00+01:00', period: 'month', label: named('2025-06-15', { year: 'numeric' }), bars: 'Energy per month' },
  ])('when $span is chosen, then it asks for that calendar $span in Berlin time, bucketed per $period', async ({ span, from, to, period, label, bars }) => {
    const log = renderHistory();
    await screen.findByRole('table', { name: POWER_CHART });
    takeRequests(log);
    await click(span);
    expect(screen.getByRole('button', { name: span, pressed: true })).toBeTruthy();
    expect(await screen.findByRole('table', { name: `Power of the shown devices over the ${span.toLowerCase()}` })).toBeTruthy();
    expect(takeRequests(log)).toEqual(ranges([from, to, period]));
    expect(rangeLabel()).toBe(label);
    expect(screen.getByRole('heading', { name: bars })).toBeTruthy();
  });

  it('when stepping back and forth, then each day is asked for and named, and Current returns to today from days back', async () => {
    const log = renderHistory();
    await screen.findByRole('table', { name: POWER_CHART });
    takeRequests(log);

    await click('Previous day');
    await screen.findByText('1.50 kWh');
    expect(takeRequests(log)).toEqual(ranges(['2025-03-29T00:00:00+01:00', '2025-03-30T00:00:00+01:00', 'hour']));
    expect(rangeLabel()).toBe(dayLabel('2025-03-29'));
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next day' }).disabled).toBe(false);

    await click('Previous day');
    await screen.findByText('3.00 kWh');
    expect(takeRequests(log)).toEqual(ranges(['2025-03-28T00:00:00+01:00', '2025-03-29T00:00:00+01:00', 'hour']));
    expect(rangeLabel()).toBe(dayLabel('2025-03-28'));

    await click('Next day');
    await screen.findByText('1.50 kWh');
    expect(takeRequests(log)).toEqual(ranges(['2025-03-29T00:00:00+01:00', '2025-03-30T00:00:00+01:00', 'hour']));
    expect(rangeLabel()).toBe(dayLabel('2025-03-29'));

    await click('Previous day');
    await screen.findByText('3.00 kWh');
    await click('Current');
    expect(takeRequests(log)).toEqual(ranges(['2025-03-28T00:00:00+01:00', '2025-03-29T00:00:00+01:00', 'hour'], ['2025-03-30T00:00:00+01:00', '2025-03-31T00:00:00+02:00', 'hour']));
    expect(rangeLabel()).toBe(dayLabel('2025-03-30'));
    expect(screen.queryByRole('button', { name: 'Current' })).toBeNull();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next day' }).disabled).toBe(true);
  });

  it('when a past day is shown and Week is chosen, then the current week is shown and Previous week steps back a whole week', async () => {
    const log = renderHistory();
    await click('Previous day');
    await click('Week');
    expect(rangeLabel()).toBe(weekLabel('2025-03-24', '2025-03-30'));
    expect(screen.queryByRole('button', { name: 'Current' })).toBeNull();
    takeRequests(log);

    await click('Previous week');
    expect(takeRequests(log)).toEqual(ranges(['2025-03-17T00:00:00+01:00', '2025-03-24T00:00:00+01:00', 'day']));
    expect(rangeLabel()).toBe(weekLabel('2025-03-17', '2025-03-23'));
  });

  it('when comparing with the previous day, then that day is asked for too and drawn and totalled beside today; unticked, it goes', async () => {
    const log = renderHistory();
    await screen.findByRole('table', { name: POWER_CHART });
    takeRequests(log);
    expect(screen.queryByText('Previous day')).toBeNull();

    await userEvent.click(screen.getByRole('checkbox', { name: 'Compare with previous day' }));
    const previous = await screen.findByText('Previous day');
    expect(takeRequests(log)).toEqual(
      ranges(['2025-03-30T00:00:00+01:00', '2025-03-31T00:00:00+02:00', 'hour'], ['2025-03-29T00:00:00+01:00', '2025-03-30T00:00:00+01:00', 'hour']),
    );
    expect(previous.parentElement?.textContent).toContain('1.50 kWh');
    expect(energyShown()).toBe('3.00 kWh');
    expect(seriesOf(POWER_CHART)).toEqual(['fridge', 'heat pump', 'Total', 'Previous period']);
    expect(drawn(POWER_CHART, 'Previous period')).toEqual(['1500']);
    expect(seriesOf(ENERGY_CHART)).toEqual(['Energy', 'Previous period']);
    expect(drawn(ENERGY_CHART, 'Previous period')).toEqual(['1.5']);

    await userEvent.click(screen.getByRole('checkbox', { name: 'Compare with previous day' }));
    expect(takeRequests(log)).toEqual(ranges(['2025-03-30T00:00:00+01:00', '2025-03-31T00:00:00+02:00', 'hour']));
    await waitFor(() => expect(screen.queryByText('Previous day')).toBeNull());
    expect(seriesOf(POWER_CHART)).toEqual(['fridge', 'heat pump', 'Total']);
  });

  it('when comparing on the day clocks go forward, then each hour is set beside the same hour of the day before', async () => {
    // Hourly power and energy; on Saturday each hour's value is its local hour (18:00 → 1800 W, 18 kWh).
    const saturdayMs = Date.parse('2025-03-29T00:00:00+01:00');
    renderHistory((url) => {
      const { pathname, searchParams } = new URL(url, 'http://localhost');
      const fromMs = Date.parse(searchParams.get('from') ?? '');
      const hours = (Date.parse(searchParams.get('to') ?? '') - fromMs) / 3_600_000;
      const value = (i: number): number => (fromMs === saturdayMs ? i : 1);
      const starts = Array.from({ length: hours }, (_, i) => fromMs + i * 3_600_000);
      if (pathname.endsWith('/power')) {
        const points = starts.map((t, i) => ({ t, mean: value(i) * 100, max: value(i) * 100 }));
        return json(200, { resolutionS: 3600, fromMs, toMs: fromMs + hours * 3_600_000, series: [{ device: 'fridge', points }], total: [] });
      }
      const buckets = starts.map((startMs, i) => ({ start: '', startMs, endMs: startMs + 3_600_000, totalKwh: value(i), devices: { fridge: value(i) } }));
      return json(200, { period: 'hour', timeZone: BERLIN, currency: 'EUR', buckets });
    });
    await screen.findByRole('table', { name: POWER_CHART });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Compare with previous day' }));
    await screen.findByText('Previous day');

    const sunday = ['2025-03-30T01:00:00+01:00', '2025-03-30T03:00:00+02:00', '2025-03-30T18:00:00+02:00', '2025-03-30T23:00:00+02:00'];
    expect(sunday.map((t) => drawnAt(POWER_CHART, 'Previous period', t))).toEqual(['100', '300', '1800', '2300']);
    expect(sunday.map((t) => drawnAt(ENERGY_CHART, 'Previous period', t))).toEqual(['1', '3', '18', '23']);
  });

  it('when comparing a past week, then the week before that one is the comparison', async () => {
    const log = renderHistory();
    await click('Week');
    await click('Previous week');
    takeRequests(log);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Compare with previous week' }));
    expect(await screen.findByText('Previous week')).toBeTruthy();
    expect(takeRequests(log)).toEqual(
      ranges(['2025-03-17T00:00:00+01:00', '2025-03-24T00:00:00+01:00', 'day'], ['2025-03-10T00:00:00+01:00', '2025-03-17T00:00:00+01:00', 'day']),
    );
  });

  it('when a device is unticked, then it leaves the power chart and the energy total, and ticked again it returns', async () => {
    renderHistory();
    const devices = within(await screen.findByRole('group', { name: 'Devices shown' }));
    expect(seriesOf(POWER_CHART)).toEqual(['fridge', 'heat pump', 'Total']);
    expect(drawn(POWER_CHART, 'Total')).toEqual(['3000']);
    expect(energyShown()).toBe('3.00 kWh');

    await userEvent.click(devices.getByRole('checkbox', { name: 'heat pump' }));
    expect(devices.getByRole<HTMLInputElement>('checkbox', { name: 'heat pump' }).checked).toBe(false);
    expect(devices.getByRole<HTMLInputElement>('checkbox', { name: 'fridge' }).checked).toBe(true);
    expect(seriesOf(POWER_CHART)).toEqual(['fridge', 'Total']);
    expect(drawn(POWER_CHART, 'Total')).toEqual(['1000']);
    expect(energyShown()).toBe('1.00 kWh');

    await userEvent.click(devices.getByRole('checkbox', { name: 'heat pump' }));
    expect(devices.getByRole<HTMLInputElement>('checkbox', { name: 'heat pump' }).checked).toBe(true);
    expect(seriesOf(POWER_CHART)).toEqual(['fridge', 'heat pump', 'Total']);
    expect(energyShown()).toBe('3.00 kWh');
  });

  it('when the bars are switched to cost and back, then the heading, the pressed button and the chart follow', async () => {
    renderHistory();
    const bars = within(await screen.findByRole('group', { name: 'Bars show' }));
    expect(bars.getByRole('button', { name: 'Energy (kWh)', pressed: true })).toBeTruthy();
    expect(seriesOf(ENERGY_CHART)).toEqual(['Energy']);
    expect(drawn(ENERGY_CHART, 'Energy')).toEqual(['3']);

    await userEvent.click(bars.getByRole('button', { name: 'Cost (EUR)' }));
    expect(bars.getByRole('button', { name: 'Cost (EUR)', pressed: true })).toBeTruthy();
    expect(bars.getByRole('button', { name: 'Energy (kWh)', pressed: false })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Cost per hour' })).toBeTruthy();
    expect(seriesOf('Cost per bucket over the day; totals are shown above')).toEqual(['Cost']);
    expect(drawn('Cost per bucket over the day; totals are shown above', 'Cost')).toEqual(['0.75']);
    expect(screen.queryByRole('heading', { name: 'Energy per hour' })).toBeNull();

    await userEvent.click(bars.getByRole('button', { name: 'Energy (kWh)' }));
    expect(bars.getByRole('button', { name: 'Energy (kWh)', pressed: true })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Energy per hour' })).toBeTruthy();
  });

  it('when the read service is down, then the page says why and offers a retry, which asks for the same day again', async () => {
    let down = true;
    const log = renderHistory((url) => (down ? json(503, { error: 'influx-unavailable', message: 'InfluxDB cannot be reached; retry later' }) : readService(url)));
    expect((await screen.findByRole('alert')).textContent).toContain('InfluxDB cannot be reached; retry later');
    expect(screen.queryByRole('heading', { name: 'Power' })).toBeNull();
    expect(takeRequests(log)).toEqual(ranges(['2025-03-30T00:00:00+01:00', '2025-03-31T00:00:00+02:00', 'hour']));

    down = false;
    await click('Retry');
    expect(await screen.findByRole('heading', { name: 'Power' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(energyShown()).toBe('3.00 kWh');
    expect(takeRequests(log)).toEqual(ranges(['2025-03-30T00:00:00+01:00', '2025-03-31T00:00:00+02:00', 'hour']));
  });

  describe('left open', () => {
    // The clock and the page's timers run on the fake clock; promises and testing-library's own
    // waits (setTimeout) stay real.
    const openAt = (iso: string): void => {
      vi.useRealTimers(); // the outer beforeEach faked the Date alone
      vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
      vi.setSystemTime(new Date(iso));
    };
    const pass = (ms: number): void => act(() => void vi.advanceTimersByTime(ms));
    /** The ranges asked for since the last call, each once (the clock's turn and a re-read may coincide). */
    const asked = (log: string[]): string[] => [...new Set(takeRequests(log))];
    const SUNDAY = ['2025-03-30T00:00:00+01:00', '2025-03-31T00:00:00+02:00', 'hour'] as const;
    const MONDAY = ['2025-03-31T00:00:00+02:00', '2025-04-01T00:00:00+02:00', 'hour'] as const;

    it('when today is shown past midnight, then the new day is shown and asked for, with no next day', async () => {
      openAt('2025-03-30T21:59:30Z'); // 23:59:30 in Berlin
      const log = renderHistory();
      await screen.findByRole('table', { name: POWER_CHART });
      expect(asked(log)).toEqual(ranges([...SUNDAY]));

      pass(60_000);
      await waitFor(() => expect(rangeLabel()).toBe(dayLabel('2025-03-31')));
      expect(asked(log)).toEqual(ranges([...MONDAY]));
      expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next day' }).disabled).toBe(true);
      expect(screen.queryByRole('button', { name: 'Current' })).toBeNull();
    });

    it('when a past day is shown past midnight, then it stays, and Next steps day by day to the new today', async () => {
      openAt('2025-03-30T21:59:30Z');
      const log = renderHistory();
      await click('Previous day');
      await screen.findByText('1.50 kWh');
      takeRequests(log);

      pass(120_000);
      expect(rangeLabel()).toBe(dayLabel('2025-03-29'));
      expect(takeRequests(log)).toEqual([]);

      await click('Next day');
      expect(rangeLabel()).toBe(dayLabel('2025-03-30'));
      expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next day' }).disabled).toBe(false);
      expect(screen.getByRole('button', { name: 'Current' })).toBeTruthy();
      await click('Next day');
      expect(rangeLabel()).toBe(dayLabel('2025-03-31'));
      expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next day' }).disabled).toBe(true);
      expect(screen.queryByRole('button', { name: 'Current' })).toBeNull();
      expect(asked(log)).toEqual(ranges([...SUNDAY], [...MONDAY]));
    });

    it('when a minute\'s read fails, then the charts stay with a note saying so, gone after the next read succeeds', async () => {
      openAt('2025-03-30T10:00:00Z');
      let down = false;
      renderHistory((url) => (down ? json(503, { error: 'influx-unavailable', message: 'InfluxDB cannot be reached; retry later' }) : readService(url)));
      await screen.findByRole('table', { name: POWER_CHART });

      down = true;
      pass(60_000);
      expect(await screen.findByText('Not up to date: InfluxDB cannot be reached; retry later')).toBeTruthy();
      expect(screen.getByRole('table', { name: POWER_CHART })).toBeTruthy();
      expect(energyShown()).toBe('3.00 kWh');
      expect(screen.queryByRole('alert')).toBeNull();

      down = false;
      pass(60_000);
      await waitFor(() => expect(screen.queryByText(/Not up to date/)).toBeNull());
      expect(screen.getByRole('table', { name: POWER_CHART })).toBeTruthy();
    });

    it('when the current day is shown, then it is read again every minute, the current week every five, and a past day not at all', async () => {
      openAt('2025-03-30T10:00:00Z');
      const log = renderHistory();
      await screen.findByRole('table', { name: POWER_CHART });
      takeRequests(log);

      pass(60_000);
      await waitFor(() => expect(takeRequests(log)).toEqual(ranges([...SUNDAY])));
      pass(60_000);
      await waitFor(() => expect(takeRequests(log)).toEqual(ranges([...SUNDAY])));

      await click('Previous day');
      await screen.findByText('1.50 kWh');
      takeRequests(log);
      pass(180_000);
      expect(takeRequests(log)).toEqual([]);

      await click('Week');
      await screen.findByRole('table', { name: 'Power of the shown devices over the week' });
      takeRequests(log);
      pass(4 * 60_000);
      expect(takeRequests(log)).toEqual([]);
      pass(60_000);
      await waitFor(() => expect(takeRequests(log)).toEqual(ranges(['2025-03-24T00:00:00+01:00', '2025-03-31T00:00:00+02:00', 'day'])));
    });
  });

  it('when Year is chosen, then the CSV download explains its 31-day limit instead of offering the year', async () => {
    renderHistory();
    expect(screen.getByRole('button', { name: 'Download readings of this day (CSV)' })).toBeTruthy();
    await click('Year');
    expect(screen.queryByRole('button', { name: /Download readings/ })).toBeNull();
    expect(screen.getByText('The CSV export covers at most 31 days: choose a day, week or month.')).toBeTruthy();
  });
});
