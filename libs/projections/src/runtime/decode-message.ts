import { messageStreamPosition, type EventEnvelope } from '@cqrs/events';
import type { KafkaMessage } from 'kafkajs';
import type { DecodeEvent } from '../projection.types';
import type { DecodedMessage } from './batch-planner';

/** A message whose handler keeps failing: dead-lettered with this reason even though it parses. */
export interface PoisonedOffset {
  readonly offset: string;
  readonly reason: string;
}

/**
 * Decodes one Kafka message for the planner. The key and the stream-version header are read
 * only for poison (to park its stream): valid events carry both in their envelope, and reading
 * them for every message cost two buffer decodings per event.
 */
export function decodeMessage<E extends EventEnvelope>(
  decode: DecodeEvent<E>,
  message: KafkaMessage,
  poisoned?: PoisonedOffset,
): DecodedMessage<E> {
  if (message.value === null) return poison(message, 'EVENT_EMPTY', 'message has no value');
  const result = decode(message.value);
  if (!result.ok) return poison(message, result.error.code, result.error.message);
  if (poisoned?.offset === message.offset) {
    return {
      kind: 'poison',
      offset: message.offset,
      error: { code: 'HANDLER_FAILED', message: poisoned.reason },
      streamId: result.event.streamId,
      streamVersion: result.event.streamVersion,
    };
  }
  return { kind: 'event', offset: message.offset, event: result.event };
}

function poison<E extends EventEnvelope>(
  message: KafkaMessage,
  code: string,
  text: string,
): DecodedMessage<E> {
  return {
    kind: 'poison',
    offset: message.offset,
    error: { code, message: text },
    ...messageStreamPosition(message),
  };
}
