import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import { tariffOf } from './tariff-form-model';
import { TariffSettings } from './tariff-settings';

const household: Household = {
  id: 'h1',
  name: 'Home',
  timeZone: 'Europe/Berlin',
  tariff: { kind: 'time-of-use', currency: 'EUR', defaultPricePerKwh: 0.32, bands: [{ from: '22:00', to: '06:00', pricePerKwh: 0.22 }] },
  role: 'owner',
};

/** Renders the tariff card; returns the bodies PUT to the auth service. */
function renderTariff(): unknown[] {
  const bodies: unknown[] = [];
  const fetchFn = (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    bodies.push(JSON.parse(init?.body as string));
    return Promise.resolve(new Response(null, { status: 204 }));
  };
  const client = new ApiClient(new Session(fetchFn), fetchFn);
  render(
    <AppContext.Provider value={{ client, household, reloadHousehold: () => undefined }}>
      <TariffSettings />
    </AppContext.Provider>,
  );
  return bodies;
}

const bandPrice = (): HTMLInputElement => within(screen.getByRole('group', { name: 'Band 1' })).getByLabelText('Price per kWh');

describe('tariff settings', () => {
  it('when a band price is cleared and retyped, then the field shows what was typed', async () => {
    renderTariff();
    await userEvent.clear(bandPrice());
    expect(bandPrice().value).toBe('');
    await userEvent.type(bandPrice(), '0.25');
    expect(bandPrice().value).toBe('0.25');
  });

  it('when a cleared band price is saved, then nothing is sent and a message names the field', async () => {
    const bodies = renderTariff();
    await userEvent.clear(bandPrice());
    await userEvent.click(screen.getByRole('button', { name: 'Save tariff' }));
    expect(screen.getByRole('alert').textContent).toContain('Band 1 price per kWh: enter a price from 0 to 100.');
    expect(bandPrice().getAttribute('aria-invalid')).toBe('true');
    expect(bodies).toEqual([]);
  });

  it('when the prices are valid, then the typed values are sent as numbers (0 is a price)', async () => {
    const bodies = renderTariff();
    await userEvent.clear(bandPrice());
    await userEvent.type(bandPrice(), '0');
    await userEvent.click(screen.getByRole('button', { name: 'Save tariff' }));
    expect(await screen.findByText('Tariff saved. Costs are recalculated with it.')).toBeTruthy();
    expect(bodies).toEqual([{ kind: 'time-of-use', currency: 'EUR', defaultPricePerKwh: 0.32, bands: [{ from: '22:00', to: '06:00', pricePerKwh: 0 }] }]);
  });
});

describe('tariff form checks', () => {
  it('when fields are empty, out of range or equal, then each message names its field', () => {
    const result = tariffOf({ kind: 'time-of-use', currency: 'eu', price: '', bands: [{ from: '07:00', to: '07:00', price: '101' }] });
    expect(result).toEqual({
      errors: {
        currency: 'Currency: enter a three-letter code such as EUR.',
        price: 'Price per kWh outside the bands: enter a price from 0 to 100.',
        'band-0-price': 'Band 1 price per kWh: enter a price from 0 to 100.',
        'band-0-time': 'Band 1: from and to must differ.',
      },
    });
  });

  it('when the tariff is flat, then the hidden bands are not checked', () => {
    expect(tariffOf({ kind: 'flat', currency: 'eur', price: '0.3', bands: [{ from: '', to: '', price: '' }] })).toEqual({ tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 } });
  });
});
