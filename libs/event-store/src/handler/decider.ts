import type { EventPayload, NewEvent } from '@cqrs/events';
import type { StoredEvent } from '../append/append.types';

export type { Decider } from '@cqrs/context';

/** Turns a stored event into the decider's event type (validation and upcasting), or fails. */
export type EventDecoder<Event extends NewEvent> = (stored: StoredEvent) => EventPayload<Event>;
