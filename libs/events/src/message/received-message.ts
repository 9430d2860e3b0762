import { EVENT_HEADERS } from './event-message';

type Bytes = string | Uint8Array;
type HeaderValue = Bytes | readonly Bytes[] | undefined;

/** What a consumer receives, structurally a kafkajs `KafkaMessage` (key and headers as bytes). */
export interface ReceivedMessage {
  readonly key?: Bytes | null;
  readonly headers?: Readonly<Record<string, HeaderValue>>;
}

const utf8 = new TextDecoder('utf-8');
const text = (value: Bytes): string => (typeof value === 'string' ? value : utf8.decode(value));
const isList = (value: HeaderValue): value is readonly Bytes[] => Array.isArray(value);

/** Headers as plain strings (for a dead-letter record or a re-sent message). */
export function messageHeaders(message: ReceivedMessage | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(message?.headers ?? {})) {
    if (value === undefined) continue;
    headers[key] = isList(value) ? value.map(text).join(',') : text(value);
  }
  return headers;
}

/**
 * Which stream and version a message claims, from its key and headers only: what a consumer
 * can still tell about a message whose value does not parse (to park that stream).
 */
export function messageStreamPosition(message: ReceivedMessage): {
  streamId: string | undefined;
  streamVersion: number | undefined;
} {
  const header = message.headers?.[EVENT_HEADERS.streamVersion];
  const raw = header === undefined ? undefined : isList(header) ? header[0] : header;
  const version = raw === undefined ? undefined : Number.parseInt(text(raw), 10);
  return {
    streamId: message.key == null ? undefined : text(message.key),
    streamVersion: version !== undefined && Number.isSafeInteger(version) ? version : undefined,
  };
}
