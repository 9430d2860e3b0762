import { EVENT_HEADERS } from '@cqrs/events';
import { correlationIdOf, correlationIdsOf, logSetAside } from '../../src/runtime/chunk-log';

const message = (offset: number, correlationId?: string | Buffer) => ({
  offset: String(offset),
  headers: correlationId === undefined ? {} : { [EVENT_HEADERS.correlationId]: correlationId },
});

function capturedLog() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg: string): void =>
      void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { log: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('correlation ids of messages', () => {
  it('given headers as bytes or text, when read, then the id is the header text', () => {
    expect(correlationIdOf(message(0, Buffer.from('corr-a')))).toBe('corr-a');
    expect(correlationIdOf(message(0, 'corr-b'))).toBe('corr-b');
    expect(correlationIdOf(message(0))).toBeUndefined();
    expect(correlationIdOf(undefined)).toBeUndefined();
  });

  it('given a chunk, when its ids are listed, then they are distinct, in order and bounded', () => {
    const chunk = [message(0, 'a'), message(1, 'a'), message(2), message(3, Buffer.from('b'))];
    expect(correlationIdsOf(chunk)).toEqual(['a', 'b']);
    const many = Array.from({ length: 50 }, (_, i) => message(i, `id-${i}`));
    expect(correlationIdsOf(many)).toHaveLength(10);
  });
});

describe('logSetAside', () => {
  const messages = [message(10, 'req-1'), message(11, 'req-2'), message(12, 'req-3')];

  it('given nothing set aside, when logged, then no line is written', () => {
    const { log, lines } = capturedLog();
    logSetAside(log, 0, messages, { deadLetters: [], parked: [] });
    expect(lines).toEqual([]);
  });

  it('given a dead letter and parked events, when logged, then each line names the correlation ids of its events', () => {
    const { log, lines } = capturedLog();
    logSetAside(log, 2, messages, {
      deadLetters: [
        {
          offset: '10',
          code: 'HANDLER_FAILED',
          reason: 'bug',
          streamId: 's1',
          streamVersion: 3,
        },
      ],
      parked: [
        { offset: '11', streamId: 's1', streamVersion: 4 },
        { offset: '12', streamId: 's1', streamVersion: 5 },
      ],
    });
    expect(lines).toEqual([
      {
        level: 'warn',
        msg: 'event dead-lettered; its stream is parked until replayed',
        obj: expect.objectContaining({
          partition: 2,
          offset: '10',
          streamId: 's1',
          code: 'HANDLER_FAILED',
          correlationId: 'req-1',
        }),
      },
      {
        level: 'warn',
        msg: 'events parked behind a missing version or a dead letter',
        obj: { partition: 2, parked: 2, streamIds: ['s1'], correlationIds: ['req-2', 'req-3'] },
      },
    ]);
  });
});
