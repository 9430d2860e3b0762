import type { StepCommand, StepOutcome } from '../definition/process-definition';

/**
 * A send that reached no decision: the transport failed, it timed out, or the upstream was
 * unavailable or throttling (5xx, 429). The step keeps its state and is tried again later
 * with the same idempotency key.
 */
export interface RetryLater {
  readonly kind: 'retry';
  readonly reason: string;
}

export type SendResult = StepOutcome | RetryLater;

/** Where the driver sends a step's command (HttpCommandPort in a service). */
export interface CommandPort {
  /** Never throws for a failed send: failures are a RetryLater. */
  send(command: StepCommand, idempotencyKey: string): Promise<SendResult>;
}
