// Which outbox entries one connection has published and not yet seen acknowledged. Entries leave
// the outbox only on PUBACK; until their removal is committed they are "settling" and must not be
// sent again even if the connection drops meanwhile.

export class InFlightWindow {
  readonly #sentAtMs = new Map<number, number>();
  readonly #settling = new Set<number>();
  #cursor = 0;

  /** In flight on the current connection. */
  get size(): number {
    return this.#sentAtMs.size;
  }

  /** Highest seq sent on the current connection: the next peek starts after it. */
  get cursor(): number {
    return this.#cursor;
  }

  /** Acknowledged, removal from the outbox not yet committed. */
  isSettling(seq: number): boolean {
    return this.#settling.has(seq);
  }

  sent(seq: number, atMs: number): void {
    this.#sentAtMs.set(seq, atMs);
    if (seq > this.#cursor) this.#cursor = seq;
  }

  /** Passes over an entry without sending it (it is settling). */
  skip(seq: number): void {
    if (seq > this.#cursor) this.#cursor = seq;
  }

  /** A PUBACK arrived: returns when the entry was sent, or undefined if it was not in flight. */
  acked(seq: number): number | undefined {
    const sentAtMs = this.#sentAtMs.get(seq);
    if (sentAtMs === undefined) return undefined;
    this.#sentAtMs.delete(seq);
    this.#settling.add(seq);
    return sentAtMs;
  }

  removed(seq: number): void {
    this.#settling.delete(seq);
  }

  /** The connection is gone: everything in flight is pending again, to be resent oldest first. */
  reset(): void {
    this.#sentAtMs.clear();
    this.#cursor = 0;
  }
}
