import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

const PINO_LEVEL = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
} as const;

/**
 * Sends kafkajs's own lines (rebalances, broker disconnects, retries) through the service's pino
 * logger instead of kafkajs's console logger: one JSON stream, with the service name, and the
 * kafkajs namespace (Consumer, Connection, ...) as a field to filter on. kafkajs applies its
 * own logLevel first; pino's level applies after.
 */
export const kafkaLogCreator =
  (log: Logger): logCreator =>
  () =>
  ({ namespace, level, log: entry }) => {
    if (level === logLevel.NOTHING) return;
    // pino stamps its own time; `logger` is always 'kafkajs'.
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
    log[PINO_LEVEL[level]]({ ...fields, kafka: namespace }, message);
  };
