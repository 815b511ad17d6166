import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser';

function parse(chunks: string[]): { events: SseEvent[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  return { events, parser };
}

describe('SseParser', () => {
  it('when events arrive split across chunks, then each is emitted once complete', () => {
    const { events, parser } = parse(['retry: 2000\n: watching h1\n\nid: g1-1\nevent: cont', 'ainer\ndata: {"a":', '1}\n', '\n']);
    expect(events).toEqual([{ event: 'container', data: '{"a":1}', id: 'g1-1' }]);
    expect(parser.retryMs).toBe(2000);
    expect(parser.lastEventId).toBe('g1-1');
  });

  it('when lines end in CRLF split between chunks, and data spans lines, then they are joined with \\n', () => {
    const { events } = parse(['data: one\r', '\ndata: two\r\n\r\n', 'event: resync\ndata: {"reason":"x"}\n\n']);
    expect(events).toEqual([
      { event: 'message', data: 'one\ntwo', id: undefined },
      { event: 'resync', data: '{"reason":"x"}', id: undefined },
    ]);
  });

  it('when only comments (heartbeats) arrive, then nothing is emitted', () => {
    expect(parse([': heartbeat\n\n: heartbeat\n\n']).events).toEqual([]);
  });
});
