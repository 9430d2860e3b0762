import { problem, type ErrorMapper, type Logger } from '@cqrs/platform';
import { isTransientError } from '@cqrs/projections';
import { QueryError } from './query.errors';

/**
 * The query API's own errors for the platform's problem+json filter: its stable codes, and a
 * read model that is away (database down, or not created by the projector yet) as a 503 the
 * client may retry. Everything else is the platform's mapping.
 */
export const queryErrors =
  (log: Logger): ErrorMapper =>
  (error) => {
    if (error instanceof QueryError)
      return { problem: problem(error.status, error.code, error.message, error.details) };
    if (isTransientError(error) || isReadModelMissing(error)) {
      log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'query failed: read model unavailable',
      );
      return {
        problem: problem(
          503,
          'SERVICE_UNAVAILABLE',
          'The read model is unavailable; retry shortly.',
        ),
        headers: { 'retry-after': '1' },
      };
    }
    return undefined;
  };

/** undefined_table / invalid_schema_name: the projector has not migrated this database yet. */
const isReadModelMissing = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  ['42P01', '3F000'].includes(String((error as { code?: unknown }).code));
