import { Counter, Histogram, type Registry } from 'prom-client';

/** The command side's own metrics; the registry comes from the composition root. */
export function createCommandMetrics(registry: Registry) {
  return {
    commands: new Counter({
      name: 'commands_total',
      help: 'Commands handled, by command and outcome',
      labelNames: ['command', 'outcome'] as const,
      registers: [registry],
    }),
    commandDuration: new Histogram({
      name: 'command_duration_seconds',
      help: 'Time to handle a command, from parsed request to answer',
      labelNames: ['command'] as const,
      buckets: [
        0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1,
      ],
      registers: [registry],
    }),
    appendDuration: new Histogram({
      name: 'event_store_append_batch_seconds',
      help: 'Duration of one group-commit transaction',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
    appendRetries: new Counter({
      name: 'event_store_append_transient_retries_total',
      help: 'Group commits rerun after a deadlock or serialization failure',
      registers: [registry],
    }),
    appendBatchSize: new Histogram({
      name: 'event_store_append_batch_size',
      help: 'Appends committed by one group-commit transaction',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    outboxLag: new Histogram({
      name: 'outbox_publish_lag_seconds',
      help: 'From the event being written in the append transaction to Kafka acknowledging it',
      buckets: [
        0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1,
        5, 30,
      ],
      registers: [registry],
    }),
  };
}

export type CommandMetrics = ReturnType<typeof createCommandMetrics>;
