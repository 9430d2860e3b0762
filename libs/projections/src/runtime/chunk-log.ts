import { EVENT_HEADERS, type ReceivedMessage } from '@cqrs/events';
import type { PlannedDeadLetter, PlannedParking } from './batch-planner';

/**
 * What the runtime's log lines say about the messages they concern: the correlation id each
 * message carries in its headers, so a line about a failed, dead-lettered or parked event leads
 * back to the request (and the gateway's and command service's lines) that caused it. Read
 * from the headers, not the value, so poison that does not parse still names its request.
 */

/** Distinct ids a chunk-level line names at most: bounded, so one line stays one line. */
const MAX_IDS = 10;

const utf8 = new TextDecoder('utf-8');

export function correlationIdOf(message: ReceivedMessage | undefined): string | undefined {
  const header = message?.headers?.[EVENT_HEADERS.correlationId];
  const value = Array.isArray(header) ? (header as readonly unknown[])[0] : header;
  if (typeof value === 'string') return value;
  return value instanceof Uint8Array ? utf8.decode(value) : undefined;
}

/** The distinct correlation ids of a chunk, in offset order, at most MAX_IDS of them. */
export function correlationIdsOf(messages: readonly ReceivedMessage[]): string[] {
  const ids = new Set<string>();
  for (const message of messages) {
    const id = correlationIdOf(message);
    if (id !== undefined) ids.add(id);
    if (ids.size === MAX_IDS) break;
  }
  return [...ids];
}

export interface SetAside {
  readonly deadLetters: readonly PlannedDeadLetter[];
  readonly parked: readonly PlannedParking[];
}

/**
 * A committed chunk that dead-lettered or parked events: one line per dead letter (rare, and
 * each one an operator acts on) and one for the parked events (a parked stream parks every
 * later event of it, so a line each would flood).
 */
export function logSetAside(
  log: { warn: (obj: object, msg: string) => void },
  partition: number,
  messages: readonly (ReceivedMessage & { offset: string })[],
  setAside: SetAside,
): void {
  if (setAside.deadLetters.length === 0 && setAside.parked.length === 0) return;
  const byOffset = new Map(messages.map((m) => [m.offset, m]));
  for (const letter of setAside.deadLetters) {
    log.warn(
      {
        partition,
        offset: letter.offset,
        streamId: letter.streamId,
        streamVersion: letter.streamVersion,
        code: letter.code,
        err: letter.reason,
        correlationId: correlationIdOf(byOffset.get(letter.offset)),
      },
      'event dead-lettered; its stream is parked until replayed',
    );
  }
  if (setAside.parked.length === 0) return;
  const parkedMessages = setAside.parked.flatMap((p) => byOffset.get(p.offset) ?? []);
  log.warn(
    {
      partition,
      parked: setAside.parked.length,
      streamIds: [...new Set(setAside.parked.map((p) => p.streamId))].slice(0, MAX_IDS),
      correlationIds: correlationIdsOf(parkedMessages),
    },
    'events parked behind a missing version or a dead letter',
  );
}
