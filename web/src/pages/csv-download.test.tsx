import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import { CsvDownload } from './csv-download';

const household: Household = { id: 'h1', name: 'Home', timeZone: 'Europe/Berlin', tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'owner' };

function renderDownload(from: string, to: string, span: 'month' | 'year'): void {
  const fetchFn = (): Promise<Response> => Promise.resolve(new Response('', { status: 404 }));
  render(
    <AppContext.Provider value={{ client: new ApiClient(new Session(fetchFn), fetchFn), household, reloadHousehold: () => undefined }}>
      <CsvDownload fromMs={Date.parse(from)} toMs={Date.parse(to)} span={span} />
    </AppContext.Provider>,
  );
}

describe('CSV download', () => {
  it('when the month is October in Berlin (31 days and the hour the clocks go back), then it can be downloaded', () => {
    renderDownload('2026-10-01T00:00:00+02:00', '2026-11-01T00:00:00+01:00', 'month');
    expect(screen.getByRole('button', { name: 'Download readings of this month (CSV)' })).toBeTruthy();
  });

  it('when the period is longer than the 31 days the read service exports, then it says so instead', () => {
    renderDownload('2026-01-01T00:00:00+01:00', '2027-01-01T00:00:00+01:00', 'year');
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText('The CSV export covers at most 31 days: choose a day, week or month.')).toBeTruthy();
  });
});
