// Counts stored readings of the households a benchmark phase used (prefix `<phase>-h`).
export async function countStoredReadings(url: string, database: string, householdPrefix: string): Promise<number> {
  const q = `SELECT count("value") FROM "reading" WHERE "household" =~ /^${householdPrefix}-h/`;
  const res = await fetch(`${url}/query?${new URLSearchParams({ db: database, q }).toString()}`);
  const body = (await res.json()) as { results?: { series?: { values?: [unknown, number][] }[]; error?: string }[] };
  const result = body.results?.[0];
  if (result?.error !== undefined) throw new Error(`InfluxDB: ${result.error}`);
  return Number(result?.series?.[0]?.values?.[0]?.[1] ?? 0);
}
