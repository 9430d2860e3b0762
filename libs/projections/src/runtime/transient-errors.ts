/**
 * Errors worth retrying as they are: the same batch will very likely succeed later. Anything
 * else is treated as deterministic and, after bounded retries, isolates the poison event.
 */
const TRANSIENT_PG_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

const TRANSIENT_NODE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

export function isTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, retriable, name, message } = error as {
    code?: unknown;
    retriable?: unknown;
    name?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string') {
    if (TRANSIENT_PG_CODES.has(code) || code.startsWith('08')) return true;
    if (TRANSIENT_NODE_CODES.has(code)) return true;
  }
  // Any kafkajs error (even one it marks non-retriable) is an outage of the broker path, never
  // a property of the event: dead-lettering on it would lose good events.
  if (typeof name === 'string' && name.startsWith('KafkaJS')) return true;
  if (retriable === true) return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
      message,
    )
  );
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
