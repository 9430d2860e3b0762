import type { ConsumerConfig, RetryOptions } from 'kafkajs';

/** Kafka's default floor for a group member's session (group.min.session.timeout.ms). */
export const MIN_SESSION_TIMEOUT_MS = 6_000;

/**
 * Retries bounded to about a second apart: kafkajs's defaults grow to 30 s between tries, and
 * when they ran out it restarted the consumer after the last (~15 s) delay, so a broker that
 * came back sat unused for half a minute. Short, capped tries cost a few idle connection
 * attempts during an outage and resume within a second of the broker answering. Every client
 * gets these (createKafkaClient): producers and admins give up after ~8 s.
 */
export const KAFKA_RETRY: RetryOptions = {
  initialRetryTime: 100,
  maxRetryTime: 1_000,
  retries: 10,
};

/**
 * How every long-lived consumer group member recovers from failures, in one place:
 * - `sessionTimeout` is how long a SIGKILLed member keeps its partitions; 6 s (Kafka's minimum)
 *   instead of 30 s is what bounds the read model's freeze after a projector crash;
 * - heartbeats every third of the session at most, and at least once a second: a live member
 *   learns of a rebalance (a restarted member joining) on its next heartbeat, so this bounds
 *   how long the others keep everyone waiting, and a session survives several lost beats;
 * - `rebalanceTimeout` of twice the session: a member busy in a chunk gets that long to rejoin;
 * - retries capped near 1 s apart (KAFKA_RETRY), then an immediate restart
 *   (`restartOnFailure`), so a broker that answers again is used again within about a second.
 *   Measured: a restarted consumer joins with a new member id, and a restarted broker restores
 *   the old member from its log and holds the rebalance until that member's session expires,
 *   so the session timeout also bounds recovery after a broker restart (~6-8 s in the drill).
 * Leaving the group on exit (consumer.disconnect) is the caller's part: see ProjectorRuntime.
 */
export function consumerSettings(
  sessionTimeoutMs: number = MIN_SESSION_TIMEOUT_MS,
): Pick<ConsumerConfig, 'sessionTimeout' | 'heartbeatInterval' | 'rebalanceTimeout' | 'retry'> {
  const sessionTimeout = Math.max(MIN_SESSION_TIMEOUT_MS, sessionTimeoutMs);
  return {
    sessionTimeout,
    heartbeatInterval: Math.min(1_000, Math.floor(sessionTimeout / 3)),
    rebalanceTimeout: sessionTimeout * 2,
    retry: { ...KAFKA_RETRY, restartOnFailure: async () => true },
  };
}
