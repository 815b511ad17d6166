import { describe, expect, it } from 'vitest';
import type { Tariff } from '../../../lib/tariff/tariff.js';
import { costOf, priceAt } from '../domain/tariff-pricing.js';

const BERLIN = 'Europe/Berlin';
const at = (iso: string): number => Date.parse(iso);

const flat: Tariff = { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 };

/** Night rate 22:00–06:00 every day, 0.35 otherwise. */
const night: Tariff = {
  kind: 'time-of-use',
  currency: 'EUR',
  defaultPricePerKwh: 0.35,
  bands: [{ from: '22:00', to: '06:00', pricePerKwh: 0.2 }],
};

describe('priceAt with a flat tariff', () => {
  it('when any instant is priced, then the flat price applies', () => {
    expect(priceAt(flat, BERLIN, at('2026-01-15T03:00:00Z'))).toBe(0.3);
    expect(priceAt(flat, BERLIN, at('2026-07-15T15:00:00Z'))).toBe(0.3);
  });
});

describe('priceAt with a band crossing midnight (22:00–06:00)', () => {
  // January: Berlin is UTC+1, so local 22:00 is 21:00 UTC.
  it('when it is 22:00 local, then the band applies (start inclusive)', () => {
    expect(priceAt(night, BERLIN, at('2026-01-15T21:00:00Z'))).toBe(0.2);
  });

  it('when it is just before 22:00 local, then the default price applies', () => {
    expect(priceAt(night, BERLIN, at('2026-01-15T20:59:00Z'))).toBe(0.35);
  });

  it('when it is after midnight but before 06:00 local, then the band applies', () => {
    expect(priceAt(night, BERLIN, at('2026-01-14T23:00:00Z'))).toBe(0.2);
    expect(priceAt(night, BERLIN, at('2026-01-15T04:59:00Z'))).toBe(0.2);
  });

  it('when it is 06:00 local, then the default price applies (end exclusive)', () => {
    expect(priceAt(night, BERLIN, at('2026-01-15T05:00:00Z'))).toBe(0.35);
  });

  it('when summer time is in force, then the band follows local time, not UTC', () => {
    // 20:30 UTC is 22:30 CEST.
    expect(priceAt(night, BERLIN, at('2026-07-15T20:30:00Z'))).toBe(0.2);
    expect(priceAt(night, BERLIN, at('2026-07-15T04:30:00Z'))).toBe(0.35);
  });
});

describe('priceAt with weekday bands', () => {
  // Weeknights only: the night from Friday into Saturday counts (it started on Friday), the night
  // from Sunday into Monday does not.
  const weeknights: Tariff = {
    kind: 'time-of-use',
    currency: 'EUR',
    defaultPricePerKwh: 0.35,
    bands: [{ days: [1, 2, 3, 4, 5], from: '22:00', to: '06:00', pricePerKwh: 0.2 }],
  };

  it('when it is Saturday 03:00 after a Friday night, then the band that started Friday applies', () => {
    // 2026-01-17 is a Saturday.
    expect(priceAt(weeknights, BERLIN, at('2026-01-17T02:00:00Z'))).toBe(0.2);
  });

  it('when it is Saturday 23:00, then the default price applies', () => {
    expect(priceAt(weeknights, BERLIN, at('2026-01-17T22:00:00Z'))).toBe(0.35);
  });

  it('when it is Monday 03:00 after a Sunday night, then the default price applies', () => {
    expect(priceAt(weeknights, BERLIN, at('2026-01-19T02:00:00Z'))).toBe(0.35);
  });

  it('when it is Monday 23:00, then the band applies', () => {
    expect(priceAt(weeknights, BERLIN, at('2026-01-19T22:00:00Z'))).toBe(0.2);
  });

  it('when a non-wrapping band is limited to weekends, then weekdays get the default', () => {
    const weekend: Tariff = {
      kind: 'time-of-use',
      currency: 'EUR',
      defaultPricePerKwh: 0.35,
      bands: [{ days: [6, 7], from: '10:00', to: '16:00', pricePerKwh: 0.1 }],
    };
    expect(priceAt(weekend, BERLIN, at('2026-01-18T11:00:00Z'))).toBe(0.1);
    expect(priceAt(weekend, BERLIN, at('2026-01-19T11:00:00Z'))).toBe(0.35);
  });
});

describe('priceAt with several bands', () => {
  it('when bands overlap, then the first matching band wins', () => {
    const tariff: Tariff = {
      kind: 'time-of-use',
      currency: 'EUR',
      defaultPricePerKwh: 0.35,
      bands: [
        { from: '17:00', to: '19:00', pricePerKwh: 0.5 },
        { from: '12:00', to: '24:00', pricePerKwh: 0.4 },
      ],
    };
    expect(priceAt(tariff, BERLIN, at('2026-01-15T17:00:00Z'))).toBe(0.5);
    expect(priceAt(tariff, BERLIN, at('2026-01-15T22:59:00Z'))).toBe(0.4);
    expect(priceAt(tariff, BERLIN, at('2026-01-15T10:00:00Z'))).toBe(0.35);
  });
});

describe('costOf', () => {
  it('when energies are priced, then each is priced at its bucket start and Wh are turned into kWh', () => {
    const cost = costOf(night, BERLIN, [
      { startMs: at('2026-01-15T20:00:00Z'), energyWh: 1000 }, // 21:00 local, 0.35
      { startMs: at('2026-01-15T21:00:00Z'), energyWh: 2000 }, // 22:00 local, 0.20
    ]);
    expect(cost).toBeCloseTo(0.35 + 0.4, 10);
  });

  it('when there are no energies, then the cost is 0', () => {
    expect(costOf(flat, BERLIN, [])).toBe(0);
  });

  it('when the zone has a half-hour offset, then bands apply to quarter-hour buckets on local time', () => {
    // Asia/Kolkata is UTC+05:30: 16:30 UTC is 22:00 local, 16:15 UTC is 21:45 local.
    const cost = costOf(night, 'Asia/Kolkata', [
      { startMs: at('2026-01-15T16:15:00Z'), energyWh: 100 },
      { startMs: at('2026-01-15T16:30:00Z'), energyWh: 100 },
    ]);
    expect(cost).toBeCloseTo(0.1 * 0.35 + 0.1 * 0.2, 10);
  });
});
