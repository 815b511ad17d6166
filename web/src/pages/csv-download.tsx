// CSV of the raw readings of the shown period. The read service needs the bearer token, so the
// file is fetched and handed to the browser as a download rather than linked directly.
import { useState, type ReactNode } from 'react';
import { messageOf } from '../api/api-error';
import { useApp } from '../app-context';
import { isoInZone, type CalendarSpan } from '../lib/time-zone';

/**
 * The read service exports at most 31 days at once, and an hour more for a day on which the clocks
 * go back: a month of 31 days is then 31 days and an hour (October in most of Europe).
 */
const MAX_EXPORT_MS = 31 * 86_400_000 + 3_600_000;

export function CsvDownload({ fromMs, toMs, span }: { fromMs: number; toMs: number; span: CalendarSpan }): ReactNode {
  const { client, household } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const tooLong = toMs - fromMs > MAX_EXPORT_MS;

  const download = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const tz = household.timeZone;
      const query = new URLSearchParams({ from: isoInZone(fromMs, tz), to: isoInZone(toMs, tz) });
      const blob = await client.blob('/api/read', `/v1/households/${encodeURIComponent(household.id)}/export.csv?${query}`);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `energymonitor-${isoInZone(fromMs, tz).slice(0, 10)}-${span}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="csv-title">
      <h2 id="csv-title" className="card-title">
        Download
      </h2>
      {tooLong ? (
        <p className="meta">The CSV export covers at most 31 days: choose a day, week or month.</p>
      ) : (
        <button type="button" className="button secondary" onClick={() => void download()} disabled={busy}>
          {busy ? 'Preparing…' : `Download readings of this ${span} (CSV)`}
        </button>
      )}
      {error !== undefined && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
