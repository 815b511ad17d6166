import { useState, type FormEvent, type ReactNode } from 'react';
import { jsonBody } from '../api/client';
import { useApp } from '../app-context';
import { SaveStatus } from '../components/save-status';
import { useCanChange } from '../hooks/use-can-change';
import { useSave } from '../hooks/use-save';
import { TimeZoneList } from './household-gate';

export function HouseholdSettings(): ReactNode {
  const { client, household, reloadHousehold } = useApp();
  const [name, setName] = useState(household.name);
  const [timeZone, setTimeZone] = useState(household.timeZone);
  const save = useSave();
  const owner = useCanChange();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void save.run(async () => {
      await client.json('/api/auth', `/v1/households/${encodeURIComponent(household.id)}`, { method: 'PATCH', body: jsonBody({ name, timeZone }) });
      reloadHousehold();
    });
  };

  return (
    <section className="card" aria-labelledby="household-title">
      <h2 id="household-title" className="card-title">
        Household
      </h2>
      <form onSubmit={submit}>
        <fieldset disabled={!owner || save.busy} className="plain">
          <label className="field">
            <span>Name</span>
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>Time zone</span>
            <input required value={timeZone} onChange={(e) => setTimeZone(e.target.value)} list="time-zones" aria-describedby="tz-hint" />
            <small id="tz-hint" className="hint">
              Days, weeks and time-of-use prices follow this zone.
            </small>
          </label>
          <TimeZoneList />
          <button type="submit" className="button primary">
            Save household
          </button>
        </fieldset>
      </form>
      <SaveStatus save={save} />
    </section>
  );
}
