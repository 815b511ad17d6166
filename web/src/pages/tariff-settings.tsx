// The tariff: one price, or time-of-use bands (local wall-clock times, first match wins) with a
// price for the rest of the day.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { jsonBody } from '../api/client';
import type { Tariff } from '../api/types';
import { useApp } from '../app-context';
import { SaveStatus } from '../components/save-status';
import { useCanChange } from '../hooks/use-can-change';
import { useSave } from '../hooks/use-save';
import { NEW_BAND, tariffFormOf, tariffOf, type BandForm, type TariffErrors } from './tariff-form-model';

const DAY_SETS: { label: string; days: number[] | undefined }[] = [
  { label: 'Every day', days: undefined },
  { label: 'Mon–Fri', days: [1, 2, 3, 4, 5] },
  { label: 'Sat–Sun', days: [6, 7] },
];

interface FieldProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

// Text, not type=number: Chromium's number field drops a decimal comma while it is typed, so
// "0,42" arrived as 42. The form model reads a point or a comma; inputMode still brings up the
// phone's number pad.
const PRICE_INPUT = { type: 'text', inputMode: 'decimal', autoComplete: 'off', required: true } as const;

const daysKey = (days: number[] | undefined): string => (days === undefined ? 'all' : days.join(','));

export function TariffSettings(): ReactNode {
  const { client, household, reloadHousehold } = useApp();
  const id = useId();
  const [initial] = useState(() => tariffFormOf(household.tariff));
  const [kind, setKind] = useState<Tariff['kind']>(initial.kind);
  const [currency, setCurrency] = useState(initial.currency);
  const [price, setPrice] = useState(initial.price);
  const [bands, setBands] = useState<BandForm[]>(initial.bands);
  const [errors, setErrors] = useState<TariffErrors>({});
  const save = useSave();
  const owner = useCanChange();

  const setBand = (index: number, change: Partial<BandForm>): void => setBands((all) => all.map((b, i) => (i === index ? { ...b, ...change } : b)));
  /** A labelled input with, after a failed save, the message of `errorKey` below it. */
  const field = (name: string, label: string, input: (props: FieldProps) => ReactNode, errorKey = name, showError = true): ReactNode => {
    const error = errors[errorKey];
    const errorId = `${id}-${errorKey}-error`;
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{label}</label>
        {input({ id: `${id}-${name}`, 'aria-invalid': error !== undefined, 'aria-describedby': error === undefined ? undefined : errorId })}
        {showError && error !== undefined && (
          <span id={errorId} className="form-error">
            {error}
          </span>
        )}
      </div>
    );
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const checked = tariffOf({ kind, currency, price, bands });
    if ('errors' in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const { tariff } = checked;
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
      <form onSubmit={submit} noValidate>
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
            {field('currency', 'Currency', (p) => <input {...p} required pattern="[A-Za-z]{3}" maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} />)}
            {field('price', kind === 'flat' ? 'Price per kWh' : 'Price per kWh outside the bands', (p) => (
              <input {...p} {...PRICE_INPUT} value={price} onChange={(e) => setPrice(e.target.value)} />
            ))}
          </div>
          {kind === 'time-of-use' && (
            <>
              {bands.map((band, i) => (
                <fieldset key={i} className="band">
                  <legend>Band {i + 1}</legend>
                  {field(`band-${i}-from`, 'From', (p) => <input {...p} type="time" required value={band.from} onChange={(e) => setBand(i, { from: e.target.value })} />, `band-${i}-time`, false)}
                  {field(`band-${i}-to`, 'To', (p) => <input {...p} type="time" required value={band.to === '24:00' ? '00:00' : band.to} onChange={(e) => setBand(i, { to: e.target.value })} />, `band-${i}-time`)}
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
                  {field(`band-${i}-price`, 'Price per kWh', (p) => (
                    <input {...p} {...PRICE_INPUT} value={band.price} onChange={(e) => setBand(i, { price: e.target.value })} />
                  ))}
                  <button type="button" className="button danger small" onClick={() => {
                      setBands((all) => all.filter((_, j) => j !== i));
                      setErrors({});
                    }} disabled={bands.length === 1}>
                    Remove band
                  </button>
                </fieldset>
              ))}
              <button type="button" className="button secondary small" onClick={() => setBands((all) => [...all, NEW_BAND])}>
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
      {Object.keys(errors).length > 0 ? (
        <p className="form-error" role="alert">
          Not saved. Please correct: {Object.values(errors).join(' ')}
        </p>
      ) : (
        <SaveStatus save={save} savedText="Tariff saved. Costs are recalculated with it." />
      )}
    </section>
  );
}
