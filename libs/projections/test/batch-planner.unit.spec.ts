import type { EventEnvelope } from '@cqrs/events';
import { planBatch, type DecodedMessage, type StreamState } from '@cqrs/projections';

let offset = 0;
const event = (streamId: string, streamVersion: number): DecodedMessage<EventEnvelope> => ({
  kind: 'event',
  offset: String(offset++),
  event: {
    eventId: `${streamId}-${streamVersion}-${offset}`,
    type: 'T',
    schemaVersion: 1,
    streamId,
    streamVersion,
    occurredAt: '2025-01-01T00:00:00.000Z',
    data: {},
    metadata: { correlationId: 'c', causationId: 'c', actorId: 'a' },
  },
});
const poison = (
  streamId: string | undefined,
  streamVersion?: number,
): DecodedMessage<EventEnvelope> => ({
  kind: 'poison',
  offset: String(offset++),
  error: { code: 'EVENT_INVALID_JSON', message: 'bad' },
  streamId,
  streamVersion,
});
const applied = (plan: ReturnType<typeof planBatch>): string[] =>
  plan.apply.map((e) => `${e.streamId}@${e.streamVersion}`);

const eventOf = (message: DecodedMessage<EventEnvelope>): EventEnvelope => {
  if (message.kind !== 'event') throw new Error('not an event');
  return message.event;
};

describe('planBatch', () => {
  it('given fresh streams, when versions follow each other, then all apply in order', () => {
    const plan = planBatch([event('a', 1), event('b', 1), event('a', 2), event('b', 2)], new Map());
    expect(applied(plan)).toEqual(['a@1', 'b@1', 'a@2', 'b@2']);
    expect(plan.streams.get('a')).toEqual({ version: 2, parkedAt: null });
  });

  it('given stored versions, when redelivered events arrive, then they are skipped', () => {
    const stored = new Map<string, StreamState>([['a', { version: 2, parkedAt: null }]]);
    const plan = planBatch([event('a', 1), event('a', 2), event('a', 3), event('a', 3)], stored);
    expect(applied(plan)).toEqual(['a@3']);
    expect(plan.skipped).toBe(3);
  });

  it('given a poison event, when later events of its stream follow, then they are parked and others go on', () => {
    const plan = planBatch(
      [event('a', 1), poison('a', 2), event('a', 3), event('b', 1)],
      new Map(),
    );
    expect(applied(plan)).toEqual(['a@1', 'b@1']);
    expect(plan.deadLetters).toHaveLength(1);
    expect(plan.parked.map((p) => `${p.streamId}@${p.streamVersion}`)).toEqual(['a@3']);
    expect(plan.streams.get('a')).toEqual({ version: 1, parkedAt: 2, gap: false });
  });

  it('given a parked stream, when its next events arrive, then they are parked, not applied', () => {
    const stored = new Map<string, StreamState>([['a', { version: 1, parkedAt: 2 }]]);
    const plan = planBatch([event('a', 4), event('a', 1)], stored);
    expect(plan.apply).toEqual([]);
    expect(plan.parked).toHaveLength(1);
    expect(plan.skipped).toBe(1);
  });

  it('given a version gap without poison, then the stream parks at the missing version', () => {
    const plan = planBatch([event('a', 1), event('a', 3)], new Map());
    expect(applied(plan)).toEqual(['a@1']);
    expect(plan.streams.get('a')).toEqual({ version: 1, parkedAt: 2, gap: true });
    expect(plan.deadLetters).toEqual([]);
  });

  it('given a gap in the batch, when the missing version follows, then both apply in order', () => {
    const plan = planBatch([event('a', 1), event('a', 3), event('a', 2)], new Map());
    expect(applied(plan)).toEqual(['a@1', 'a@2', 'a@3']);
    expect(plan.parked).toEqual([]);
    expect(plan.streams.get('a')).toEqual({ version: 3, parkedAt: null, gap: false });
  });

  it('given a stream parked on a gap, when the missing version arrives, then the stored parked events follow as far as contiguous', () => {
    const stored = new Map<string, StreamState>([['a', { version: 1, parkedAt: 2, gap: true }]]);
    const backlog = new Map([
      [
        'a',
        [
          { offset: '7', event: eventOf(event('a', 3)) },
          { offset: '8', event: eventOf(event('a', 5)) },
        ],
      ],
    ]);
    const plan = planBatch([event('a', 2)], stored, backlog);
    expect(applied(plan)).toEqual(['a@2', 'a@3']);
    expect(plan.unparked).toEqual([{ streamId: 'a', streamVersion: 3 }]);
    expect(plan.streams.get('a')).toEqual({ version: 3, parkedAt: 4, gap: true });
  });

  it('given a stream parked on poison, when an event of the parked version arrives, then it stays parked', () => {
    const stored = new Map<string, StreamState>([['a', { version: 1, parkedAt: 2, gap: false }]]);
    const plan = planBatch([event('a', 2)], stored);
    expect(plan.apply).toEqual([]);
    expect(plan.parked).toHaveLength(1);
  });

  it('given poison without a key, then it is dead-lettered and parks nothing', () => {
    const plan = planBatch([poison(undefined), event('a', 1)], new Map());
    expect(plan.deadLetters).toHaveLength(1);
    expect(applied(plan)).toEqual(['a@1']);
    expect(plan.streams.get('a')?.parkedAt).toBeNull();
  });

  it('given a garbled copy of an applied version, then it is dead-lettered without parking', () => {
    const stored = new Map<string, StreamState>([['a', { version: 3, parkedAt: null }]]);
    const plan = planBatch([poison('a', 2), event('a', 4)], stored);
    expect(applied(plan)).toEqual(['a@4']);
    expect(plan.deadLetters).toHaveLength(1);
  });
});
