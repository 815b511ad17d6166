// Incremental text/event-stream parser (WHATWG HTML §9.2.6): feed it decoded chunks as they arrive,
// it calls back once per complete event. We read the stream with fetch instead of EventSource
// because EventSource cannot send the Authorization header the read service requires.

export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  /** Last event id seen (sent back as Last-Event-ID when reconnecting). */
  lastEventId: string | undefined;
  /** Reconnection delay the server asked for, in ms. */
  retryMs: number | undefined;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.lineEnd()) >= 0) {
      const line = this.buffer.slice(0, end);
      const skip = this.buffer[end] === '\r' && this.buffer[end + 1] === '\n' ? 2 : 1;
      this.buffer = this.buffer.slice(end + skip);
      this.line(line);
    }
  }

  private lineEnd(): number {
    const cr = this.buffer.indexOf('\r');
    const lf = this.buffer.indexOf('\n');
    // A lone trailing CR may be the first half of CRLF: wait for the next chunk.
    if (cr >= 0 && cr === this.buffer.length - 1 && lf < 0) return -1;
    if (cr < 0) return lf;
    return lf < 0 ? cr : Math.min(cr, lf);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  private dispatch(): void {
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.event = '';
    if (data.length === 0) return;
    this.onEvent({ event: event === '' ? 'message' : event, data: data.join('\n'), id: this.lastEventId });
  }
}
