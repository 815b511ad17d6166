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

export class EventRing {
  private readonly events: LiveEvent[] = [];
  private next = 1;

  constructor(
    readonly generation: string,
    private readonly capacity: number,
  ) {}

  push(data: string): LiveEvent {
    const event = { id: `${this.generation}-${this.next}`, data };
    this.next += 1;
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.shift();
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
