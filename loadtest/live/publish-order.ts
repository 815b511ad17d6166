// The order the live benchmark publishes its households in. Households 1..watched have viewers,
// the rest none. Published in numeric order, the watched ones all came in the first half of every
// round: the read service got twice the average event rate for a second, then nothing for a
// second (bench:live's p99 per second alternated high, low). Interleaved, every second carries the
// same share of watched households, as a real population would.
/** Household numbers 1..households, watched ones (1..watched) spread evenly among the others. */
export function interleavedHouseholds(households: number, watched: number): number[] {
  const unwatched = households - watched;
  const order: number[] = [];
  let w = 0;
  let u = 0;
  while (w < watched || u < unwatched) {
    // Take from whichever sequence is further behind its even share of the positions so far.
    const takeWatched = u >= unwatched || (w < watched && w * unwatched <= u * watched);
    order.push(takeWatched ? ++w : watched + ++u);
  }
  return order;
}
