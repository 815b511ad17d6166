// Shared by the read service (energy reports) and the alerts service (daily energy).
// Energy from a device's energy_wh counter, per base bucket (an hour, or 15 minutes in zones with
// half-hour offsets). A bucket's energy is the counter at its end minus the counter at the end of the
// previous bucket with data, as a meter is billed: "reading now minus last reading". That survives
// gaps (the counter keeps counting while nothing is sent; the energy of the gap is booked in the
// bucket where readings resume) and needs no assumption about the power between samples.
// A counter that goes down was reset (plug replaced, firmware update): the energy of that bucket
// is what the counter rose before the reset plus what it rose after it (estimated from the
// bucket's max and min), never negative.

export interface CounterBucket {
  readonly startMs: number;
  readonly first: number;
  readonly last: number;
  readonly min: number;
  readonly max: number;
}

export interface BucketEnergy {
  readonly startMs: number;
  readonly energyWh: number;
}

/**
 * Energy per bucket from consecutive counter buckets (ascending startMs). `previousLast` is the
 * last counter value before the first bucket, when known; without it the first bucket counts only
 * from its own first reading.
 */
export function energyFromCounters(buckets: readonly CounterBucket[], previousLast?: number): BucketEnergy[] {
  let before = previousLast;
  return buckets.map((bucket) => {
    const energyWh = bucketEnergy(bucket, before);
    before = bucket.last;
    return { startMs: bucket.startMs, energyWh };
  });
}

function bucketEnergy(bucket: CounterBucket, before: number | undefined): number {
  const start = before ?? bucket.first;
  const reset = bucket.last < start || bucket.min < start;
  if (!reset) return bucket.last - start;
  // Rise before the reset (up to the bucket's max) plus rise after it (from its min to the end).
  // When the counter ends at the bucket's max, that max was reached after the reset and says
  // nothing about before it: count the pre-reset part only up to the first reading.
  const beforeReset = bucket.max > bucket.last ? bucket.max : bucket.first;
  return Math.max(0, beforeReset - start) + Math.max(0, bucket.last - bucket.min);
}

/** Sums base-bucket energies into [startMs, endMs) buckets; both lists ascending. */
export function sumIntoBuckets(
  energies: readonly BucketEnergy[],
  buckets: readonly { readonly startMs: number; readonly endMs: number }[],
): number[] {
  const sums = buckets.map(() => 0);
  let index = 0;
  for (const energy of energies) {
    while (index < buckets.length && energy.startMs >= (buckets[index]?.endMs ?? Infinity)) index += 1;
    const bucket = buckets[index];
    if (bucket !== undefined && energy.startMs >= bucket.startMs) sums[index] = (sums[index] ?? 0) + energy.energyWh;
  }
  return sums;
}
