// Reads values out of a Prometheus text exposition (what every process serves on /metrics).
export async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`scrape ${url}: HTTP ${res.status}`);
  return res.text();
}

/** Sum of all samples of a metric name (any labels). */
export function metricValue(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Cumulative buckets of a histogram, ordered by `le`. */
export function histogramBuckets(text: string, name: string): { le: number; count: number }[] {
  const buckets: { le: number; count: number }[] = [];
  const pattern = new RegExp(`^${name}_bucket\\{(?:.*,)?le="([^"]+)"(?:,.*)?\\} (\\S+)$`);
  for (const line of text.split('\n')) {
    const match = pattern.exec(line);
    if (match === null) continue;
    buckets.push({ le: match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]), count: Number(match[2]) });
  }
  return buckets.sort((a, b) => a.le - b.le);
}

/** A histogram's cumulative count at one `le`, summed over its other labels (e.g. every GC `kind`). */
export function bucketCountAt(text: string, name: string, le: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}_bucket{`) && line.includes(`le="${le}"`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** What a histogram counted between two scrapes of it (`before` and `after` from histogramBuckets). */
export function bucketsSince(before: readonly { le: number; count: number }[], after: readonly { le: number; count: number }[]): { le: number; count: number }[] {
  return after.map((bucket, i) => ({ le: bucket.le, count: bucket.count - (before[i]?.count ?? 0) }));
}
