// The tariff: one price, or time-of-use bands (local wall-clock times, first match wins) with a
// price for the rest of the day.
import { useState, type FormEvent, type ReactNode } from 'react';
import { jsonBody } from '../api/client';
import type { Tariff, TimeOfUseBand } from '../api/types';
import { useApp } from '../app-context';
import { SaveStatus } from '../components/save-status';
import { useSave } from '../hooks/use-save';

const DAY_SETS: { label: string; days: number[] | undefined }[] = [
  { label: 'Every day', days: undefined },
  { label: 'Mon–Fri', days: [1, 2, 3, 4, 5] },
  { label: 'Sat–Sun', days: [6, 7] },
];

const daysKey = (days: number[] | undefined): string => (days === undefined ? 'all' : days.join(','));

export function TariffSettings(): ReactNode {
  const { client, household, reloadHousehold } = useApp();
  const initial = household.tariff;
  const [kind, setKind] = useState<Tariff['kind']>(initial.kind);
  const [currency, setCurrency] = useState(initial.currency);
  const [price, setPrice] = useState(String(initial.kind === 'flat' ? initial.pricePerKwh : initial.defaultPricePerKwh));
  const [bands, setBands] = useState<TimeOfUseBand[]>(initial.kind === 'time-of-use' ? initial.bands : [{ from: '22:00', to: '06:00', pricePerKwh: 0.2 }]);
  const save = useSave();
  const owner = household.role === 'owner';

  const setBand = (index: number, change: Partial<TimeOfUseBand>): void => setBands((all) => all.map((b, i) => (i === index ? { ...b, ...change } : b)));

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const tariff: Tariff =
      kind === 'flat'
        ? { kind, currency: currency.toUpperCase(), pricePerKwh: Number(price) }
        : { kind, currency: currency.toUpperCase(), defaultPricePerKwh: Number(price), bands: bands.map((b) => ({ ...b, pricePerKwh: Number(b.pricePerKwh) })) };
    void save.run(async () => {
      await client.json('/api/auth', `/v1/households/${encodeURIComponent(household.id)}/tariff`, { method: 'PUT', body: jsonBody(tariff) });
      reloadHousehold();
    });
  };

  return (
    <section className="card" aria-labelledby="tariff-title">
      <h2 id="tariff-title" className="card-title">
        Tariff
      </h2>
      <form onSubmit={submit}>
        <fieldset disabled={!owner || save.busy} className="plain">
          <div className="segmented" role="group" aria-label="Tariff kind">
            <button type="button" aria-pressed={kind === 'flat'} onClick={() => setKind('flat')}>
              One price
            </button>
            <button type="button" aria-pressed={kind === 'time-of-use'} onClick={() => setKind('time-of-use')}>
              Time of use
            </button>
          </div>
          <div className="band">
            <label className="field">
              <span>Currency</span>
              <input required pattern="[A-Za-z]{3}" maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} />
            </label>
            <label className="field">
              <span>{kind === 'flat' ? 'Price per kWh' : 'Price per kWh outside the bands'}</span>
              <input required type="number" inputMode="decimal" min={0} max={100} step="0.0001" value={price} onChange={(e) => setPrice(e.target.value)} />
            </label>
          </div>
          {kind === 'time-of-use' && (
            <>
              {bands.map((band, i) => (
                <fieldset key={i} className="band">
                  <legend>Band {i + 1}</legend>
                  <label className="field">
                    <span>From</span>
                    <input type="time" required value={band.from} onChange={(e) => setBand(i, { from: e.target.value })} />
                  </label>
                  <label className="field">
                    <span>To</span>
                    <input type="time" required value={band.to === '24:00' ? '00:00' : band.to} onChange={(e) => setBand(i, { to: e.target.value })} />
                  </label>
                  <label className="field">
                    <span>Days</span>
                    <select value={daysKey(band.days)} onChange={(e) => setBand(i, { days: DAY_SETS.find((d) => daysKey(d.days) === e.target.value)?.days })}>
                      {DAY_SETS.map((d) => (
                        <option key={d.label} value={daysKey(d.days)}>
                          {d.label}
                        </option>
                      ))}
                      {!DAY_SETS.some((d) => daysKey(d.days) === daysKey(band.days)) && <option value={daysKey(band.days)}>Days {daysKey(band.days)}</option>}
                    </select>
                  </label>
                  <label className="field">
                    <span>Price per kWh</span>
                    <input type="number" required inputMode="decimal" min={0} max={100} step="0.0001" value={band.pricePerKwh} onChange={(e) => setBand(i, { pricePerKwh: Number(e.target.value) })} />
                  </label>
                  <button type="button" className="button danger small" onClick={() => setBands((all) => all.filter((_, j) => j !== i))} disabled={bands.length === 1}>
                    Remove band
                  </button>
                </fieldset>
              ))}
              <button type="button" className="button secondary small" onClick={() => setBands((all) => [...all, { from: '07:00', to: '09:00', pricePerKwh: 0.35 }])}>
                Add band
              </button>
            </>
          )}
          <p>
            <button type="submit" className="button primary">
              Save tariff
            </button>
          </p>
        </fieldset>
      </form>
      <SaveStatus save={save} savedText="Tariff saved. Costs are recalculated with it." />
    </section>
  );
}
