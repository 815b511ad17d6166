// Numbers and times as a homeowner reads them.

export function formatPower(watts: number): string {
  if (!Number.isFinite(watts)) return '–';
  if (Math.abs(watts) >= 10_000) return `${(watts / 1000).toFixed(1)} kW`;
  if (Math.abs(watts) >= 1000) return `${(watts / 1000).toFixed(2)} kW`;
  return `${Math.round(watts)} W`;
}

export function formatEnergy(kwh: number): string {
  if (!Number.isFinite(kwh)) return '–';
  return kwh >= 100 ? `${Math.round(kwh)} kWh` : `${kwh.toFixed(2)} kWh`;
}

export function formatMoney(amount: number | undefined, currency: string): string {
  if (amount === undefined || !Number.isFinite(amount)) return '–';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

export function formatAgo(iso: string | null, nowMs: number): string {
  if (iso === null) return 'never';
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

export function formatDateTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}
