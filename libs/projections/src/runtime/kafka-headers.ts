import type { KafkaMessage } from 'kafkajs';

/** Kafka headers as plain strings (for the dead-letter table and the DLQ message). */
export function headersOf(message: KafkaMessage | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(message?.headers ?? {})) {
    if (value === undefined) continue;
    headers[key] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return headers;
}
