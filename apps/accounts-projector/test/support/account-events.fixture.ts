import { randomUUID } from 'node:crypto';
import { evolve, initialState, type AccountState } from '@cqrs/accounts-domain';
import { accountEventRegistry, type EventRecord } from '@cqrs/events';

/**
 * Valid account streams, interleaved round-robin (as concurrent commands would produce them):
 * opened, then deposits/withdrawals keeping the balance >= 0, optionally closed at zero.
 */
export function generateAccountEvents(options: {
  accounts: number;
  eventsPerAccount: number;
  owner?: (index: number) => string;
  closeSome?: boolean;
  seed?: number;
}): EventRecord[] {
  let seed = options.seed ?? 42;
  const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const base = Date.parse('2025-01-01T00:00:00.000Z');
  const streams = Array.from({ length: options.accounts }, (_, i) => {
    const accountId = randomUUID();
    const ownerId = options.owner?.(i) ?? `owner-${i % 50}`;
    const events: EventRecord[] = [];
    let balance = 0;
    const at = (version: number): string => new Date(base + i * 1_000 + version).toISOString();
    const push = (type: string, data: Record<string, unknown>): void => {
      const version = events.length + 1;
      events.push(storedEvent(accountId, version, type, data, at(version)));
    };
    push('AccountOpened', { accountId, ownerId, currency: 'EUR' });
    const close = options.closeSome === true && i % 7 === 0;
    const moves = options.eventsPerAccount - 1 - (close ? 2 : 0);
    for (let m = 0; m < moves; m++) {
      if (balance > 0 && random() < 0.3) {
        const amount = 1 + Math.floor(random() * balance);
        balance -= amount;
        push('MoneyWithdrawn', { accountId, amount, balanceAfter: balance });
      } else {
        const amount = 1 + Math.floor(random() * 10_000);
        balance += amount;
        push('MoneyDeposited', { accountId, amount, balanceAfter: balance });
      }
    }
    if (close) {
      if (balance > 0) push('MoneyWithdrawn', { accountId, amount: balance, balanceAfter: 0 });
      else {
        push('MoneyDeposited', { accountId, amount: 1, balanceAfter: 1 });
        push('MoneyWithdrawn', { accountId, amount: 1, balanceAfter: 0 });
      }
      balance = 0;
      push('AccountClosed', { accountId });
    }
    return events;
  });
  const all: EventRecord[] = [];
  for (let round = 0; streams.some((s) => s.length > round); round++) {
    for (const stream of streams) {
      const event = stream[round];
      if (event) all.push(event);
    }
  }
  return all;
}

export function storedEvent(
  streamId: string,
  streamVersion: number,
  type: string,
  data: Record<string, unknown>,
  occurredAt = new Date().toISOString(),
  schemaVersion = type === 'AccountOpened' ? 2 : 1,
): EventRecord {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion,
    streamId,
    streamVersion,
    occurredAt,
    data,
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actorId: 'tester' },
  };
}

export interface ExpectedAccount {
  accountId: string;
  ownerId: string;
  currency: string;
  balance: number;
  status: 'open' | 'closed';
  version: number;
}

/** The source of truth: the domain's own `evolve` over the events, sorted by account. */
export function foldExpected(events: readonly EventRecord[]): ExpectedAccount[] {
  const states = new Map<string, AccountState>();
  for (const stored of events) {
    const parsed = accountEventRegistry.parseEvent(stored);
    if (!parsed.ok) continue;
    const before = states.get(stored.streamId) ?? initialState();
    if (stored.streamVersion !== (before.status === 'none' ? 0 : before.version) + 1) continue;
    states.set(stored.streamId, evolve(before, parsed.event));
  }
  return [...states.values()]
    .flatMap((s) => (s.status === 'none' ? [] : [s]))
    .map(({ accountId, ownerId, currency, balance, status, version }) => ({
      accountId,
      ownerId,
      currency,
      balance,
      status,
      version,
    }))
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
}
