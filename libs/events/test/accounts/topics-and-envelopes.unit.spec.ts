import {
  accountEventRegistry,
  deadLetterTopic,
  eventTopic,
  toEnvelope,
  toIssuePointers,
  topics,
  type NewAccountEvent,
} from '@cqrs/events';
import { z } from 'zod';
import { accountId } from './account-event.fixtures';

describe('topics', () => {
  it('given the accounts context, when naming its topic, then it is ledger.accounts.events', () => {
    expect(topics.accountEvents).toBe('ledger.accounts.events');
    expect(eventTopic('cards')).toBe('ledger.cards.events');
  });

  it('given a topic and a group, when naming the dead-letter topic, then both appear', () => {
    expect(deadLetterTopic(topics.accountEvents, 'read-model')).toBe(
      'ledger.accounts.events.dlq.read-model',
    );
  });

  it('given illegal characters, when naming a topic, then it fails fast', () => {
    expect(() => eventTopic('a/b')).toThrow();
    expect(() => deadLetterTopic('t', 'group with spaces')).toThrow();
  });
});

describe('toEnvelope', () => {
  it('given a new event, when wrapped, then the result parses back to the same event', () => {
    const event: NewAccountEvent = {
      type: 'MoneyDeposited',
      schemaVersion: 1,
      data: { accountId, amount: 10, balanceAfter: 10 },
    };
    const envelope = toEnvelope(event, {
      eventId: '3f1c5e2a-8b7d-4c6e-9a0b-1c2d3e4f5a6b',
      streamId: accountId,
      streamVersion: 2,
      occurredAt: new Date('2025-03-04T05:06:07.000Z'),
      metadata: { correlationId: 'c', causationId: 'c', actorId: 'alice' },
    });
    expect(envelope.occurredAt).toBe('2025-03-04T05:06:07.000Z');
    expect(accountEventRegistry.parseEvent(envelope)).toEqual({ ok: true, event: envelope });
  });
});

describe('toIssuePointers', () => {
  it('given nested, escaped and unknown keys, when converted, then JSON pointers address them', () => {
    const schema = z.strictObject({ 'a/b': z.strictObject({ c: z.int() }) });
    const result = schema.safeParse({ 'a/b': { c: 'x', d: 1 }, e: 2 });
    expect(result.success).toBe(false);
    expect(toIssuePointers(result.error?.issues ?? []).map((issue) => issue.pointer)).toEqual([
      '/a~1b/c',
      '/a~1b/d',
      '/e',
    ]);
  });
});
