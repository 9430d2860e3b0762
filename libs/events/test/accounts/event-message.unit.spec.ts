import {
  accountEventRegistry,
  EVENT_HEADERS,
  messageHeaders,
  messageStreamPosition,
  toKafkaMessage,
  type EventRecord,
} from '@cqrs/events';
import { accountId } from './account-event.fixtures';

const record: EventRecord = {
  eventId: '3f1c5e2a-8b7d-4c6e-9a0b-1c2d3e4f5a6b',
  type: 'MoneyDeposited',
  schemaVersion: 1,
  streamId: accountId,
  streamVersion: 7,
  occurredAt: '2025-01-02T03:04:05.678Z',
  recordedAt: '2025-01-02T03:04:05.700Z',
  data: { accountId, amount: 10, balanceAfter: 10 },
  metadata: { correlationId: 'corr-1', causationId: 'cause-1', actorId: 'user-1' },
};

/** What a consumer receives: key and header values as bytes. */
const received = (message: ReturnType<typeof toKafkaMessage>) => ({
  key: Buffer.from(message.key),
  headers: Object.fromEntries(
    Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(v)] as const),
  ),
});

describe('event message', () => {
  it('given a record, when made a message, then the key is the stream and the value parses back', () => {
    const message = toKafkaMessage(record);
    expect(message.key).toBe(accountId);
    const parsed = accountEventRegistry.parseEventJson(message.value);
    expect(parsed.ok && parsed.event.streamVersion).toBe(7);
    expect(JSON.parse(message.value)).not.toHaveProperty('recordedAt');
  });

  it('given a record, when made a message, then its metadata is repeated in headers', () => {
    expect(toKafkaMessage(record).headers).toEqual({
      [EVENT_HEADERS.eventId]: record.eventId,
      [EVENT_HEADERS.type]: 'MoneyDeposited',
      [EVENT_HEADERS.schemaVersion]: '1',
      [EVENT_HEADERS.streamVersion]: '7',
      [EVENT_HEADERS.correlationId]: 'corr-1',
      [EVENT_HEADERS.causationId]: 'cause-1',
      [EVENT_HEADERS.actorId]: 'user-1',
      [EVENT_HEADERS.occurredAt]: record.occurredAt,
      [EVENT_HEADERS.recordedAt]: record.recordedAt,
    });
  });

  it('given a received message, when reading its headers, then they come back as strings', () => {
    const message = toKafkaMessage(record);
    expect(messageHeaders(received(message))).toEqual(message.headers);
    expect(messageHeaders({ headers: { many: [Buffer.from('a'), 'b'], none: undefined } })).toEqual(
      { many: 'a,b' },
    );
  });

  it('given a received message, when asking its position, then key and version header tell it', () => {
    expect(messageStreamPosition(received(toKafkaMessage(record)))).toEqual({
      streamId: accountId,
      streamVersion: 7,
    });
  });

  it('given a message without key or a readable version, when asking its position, then both are unknown', () => {
    expect(messageStreamPosition({ key: null, headers: { 'stream-version': 'x' } })).toEqual({
      streamId: undefined,
      streamVersion: undefined,
    });
  });
});
