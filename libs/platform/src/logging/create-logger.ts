import pino, { type Logger } from 'pino';
import { currentCorrelationId } from './request-context';

export type { Logger } from 'pino';

/** The one structured logger of a service, created at its composition root. */
export function createLogger(options: { service: string; level: string }): Logger {
  return pino({
    name: options.service,
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const correlationId = currentCorrelationId();
      return correlationId === undefined ? {} : { correlationId };
    },
  });
}
