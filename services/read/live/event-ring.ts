// The recent events of one watched household, for Last-Event-ID resume. Ids are
// `{generation}-{n}`: a new generation starts whenever events may have been missed (the household
// was not watched for a while, the MQTT connection dropped), so an id from before that can never
// be mistaken for a resumable one.

export interface LiveEvent {
  readonly id: string;
  /** SSE `data:` payload (JSON). */
  readonly data: string;
}

export type ResumeResult = { readonly kind: 'replay'; readonly events: readonly LiveEvent[] } | { readonly kind: 'resync' };

/**
 * Bounded by count and by age: a browser comes back within seconds or minutes, and a count alone
 * would keep hours of containers per watched household (512 at one a minute) — with thousands of
 * households watched, gigabytes. Older than `maxAgeMs` means resync, which refetches history anyway.
 */
export class EventRing {
  private readonly events: LiveEvent[] = [];
  private readonly times: number[] = [];
  private next = 1;

  constructor(
    readonly generation: string,
    private readonly capacity: number,
    private readonly maxAgeMs = Infinity,
    private readonly now: () => number = Date.now,
  ) {}

  push(data: string): LiveEvent {
    const event = { id: `${this.generation}-${this.next}`, data };
    const at = this.now();
    this.next += 1;
    this.events.push(event);
    this.times.push(at);
    while (this.events.length > this.capacity || (this.times[0] ?? at) < at - this.maxAgeMs) {
      this.events.shift();
      this.times.shift();
    }
    return event;
  }

  /** Events after `lastEventId`, or resync when that id is unknown, from another generation, or rolled out. */
  resumeAfter(lastEventId: string): ResumeResult {
    const match = /^(.+)-(\d+)$/.exec(lastEventId);
    if (match === null || match[1] !== this.generation) return { kind: 'resync' };
    const n = Number(match[2]);
    if (n >= this.next) return { kind: 'resync' };
    const oldest = this.next - this.events.length;
    if (n < oldest - 1) return { kind: 'resync' };
    return { kind: 'replay', events: this.events.slice(n - oldest + 1) };
  }
}
