import pino, { type DestinationStream, type Logger } from 'pino';
import { currentCorrelationId } from './request-context';

export type { Logger } from 'pino';

/** The one structured logger of a service, created at its composition root. */
export function createLogger(options: {
  service: string;
  level: string;
  /** Where lines go: stdout unless a test captures them. */
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      name: options.service,
      level: options.level,
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin() {
        const correlationId = currentCorrelationId();
        return correlationId === undefined ? {} : { correlationId };
      },
    },
    // Undefined keeps pino's default: stdout.
    options.destination,
  );
}
