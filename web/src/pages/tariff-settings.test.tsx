import { cleanup, render, screen, within } from '@testing-library/react';
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
const outsidePrice = (): HTMLInputElement => screen.getByLabelText('Price per kWh outside the bands');
const PRICE_RULE = 'enter a number from 0 to 100 with a point or a comma before the decimals, such as 0.42 or 0,42.';

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
    expect(screen.getByRole('alert').textContent).toContain(`Band 1 price per kWh: ${PRICE_RULE}`);
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

  // A type=number field in Chromium dropped the comma while typing: "0,42" became 42 €/kWh.
  it('when prices are typed with a decimal comma or point, then the price itself is sent, not 100 times it', async () => {
    const bodies = renderTariff();
    await userEvent.clear(outsidePrice());
    await userEvent.type(outsidePrice(), '0,42');
    await userEvent.clear(bandPrice());
    await userEvent.type(bandPrice(), '0.21');
    expect(outsidePrice().value).toBe('0,42');
    await userEvent.click(screen.getByRole('button', { name: 'Save tariff' }));
    expect(await screen.findByText('Tariff saved. Costs are recalculated with it.')).toBeTruthy();
    expect(bodies).toEqual([{ kind: 'time-of-use', currency: 'EUR', defaultPricePerKwh: 0.42, bands: [{ from: '22:00', to: '06:00', pricePerKwh: 0.21 }] }]);
  });

  it('when the one price is typed as 0,42 or 0.42, then 0.42 is sent', async () => {
    for (const typed of ['0,42', '0.42']) {
      const bodies = renderTariff();
      await userEvent.click(screen.getByRole('button', { name: 'One price' }));
      const price = screen.getByLabelText('Price per kWh');
      await userEvent.clear(price);
      await userEvent.type(price, typed);
      await userEvent.click(screen.getByRole('button', { name: 'Save tariff' }));
      expect(await screen.findByText('Tariff saved. Costs are recalculated with it.')).toBeTruthy();
      expect(bodies).toEqual([{ kind: 'flat', currency: 'EUR', pricePerKwh: 0.42 }]);
      cleanup();
    }
  });

  it('when a price has thousands separators or several commas, then nothing is sent and the message says how to write it', async () => {
    const bodies = renderTariff();
    await userEvent.clear(outsidePrice());
    await userEvent.type(outsidePrice(), '1.000,5');
    await userEvent.click(screen.getByRole('button', { name: 'Save tariff' }));
    expect(screen.getByRole('alert').textContent).toContain(`Price per kWh outside the bands: ${PRICE_RULE}`);
    expect(outsidePrice().getAttribute('aria-invalid')).toBe('true');
    expect(bodies).toEqual([]);
  });
});

describe('tariff form checks', () => {
  it('when fields are empty, out of range or equal, then each message names its field', () => {
    const result = tariffOf({ kind: 'time-of-use', currency: 'eu', price: '', bands: [{ from: '07:00', to: '07:00', price: '101' }] });
    expect(result).toEqual({
      errors: {
        currency: 'Currency: enter a three-letter code such as EUR.',
        price: `Price per kWh outside the bands: ${PRICE_RULE}`,
        'band-0-price': `Band 1 price per kWh: ${PRICE_RULE}`,
        'band-0-time': 'Band 1: from and to must differ.',
      },
    });
  });

  it('when the tariff is flat, then the hidden bands are not checked', () => {
    expect(tariffOf({ kind: 'flat', currency: 'eur', price: '0.3', bands: [{ from: '', to: '', price: '' }] })).toEqual({ tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 } });
  });

  it('when a price is written with a point or a comma, then both read as the same number', () => {
    const flat = (price: string) => tariffOf({ kind: 'flat', currency: 'EUR', price, bands: [] });
    for (const [typed, value] of [['0,42', 0.42], ['0.42', 0.42], [' 0,42 ', 0.42], [',5', 0.5], ['.5', 0.5], ['42', 42], ['0', 0], ['100', 100], ['0,0001', 0.0001]] as const) {
      expect(flat(typed)).toEqual({ tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: value } });
    }
  });

  it('when a price is ambiguous, negative, not a plain number or above 100, then it is refused rather than guessed', () => {
    for (const typed of ['1.000,5', '1,000.5', '1,2,3', '1.2.3', '-0.3', '1e2', '0x1', '1.', '0,', 'abc', '€0.30', '0 42', '100.01', 'Infinity']) {
      expect(tariffOf({ kind: 'flat', currency: 'EUR', price: typed, bands: [] })).toEqual({ errors: { price: `Price per kWh: ${PRICE_RULE}` } });
    }
  });
});
