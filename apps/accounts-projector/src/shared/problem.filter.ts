import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { problem, sendProblem, type Logger } from '@cqrs/platform';
import { isTransientError } from '@cqrs/projections';
import { QueryError } from './query.errors';

/** The HTTP edge: query errors and framework errors become problem+json with a stable code. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof QueryError) {
      void sendProblem(reply, problem(error.status, error.code, error.message, error.details));
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const code =
        status === 404 ? 'NOT_FOUND' : status === 405 ? 'METHOD_NOT_ALLOWED' : 'HTTP_ERROR';
      void sendProblem(reply, problem(status, code, error.message));
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (isTransientError(error) || isReadModelMissing(error)) {
      // The database is away (or the projector has not created the read model yet): the
      // request was fine, so it is the service that is unavailable, and a retry may succeed.
      this.log.warn({ err: message }, 'query failed: read model unavailable');
      void sendProblem(
        reply,
        problem(503, 'SERVICE_UNAVAILABLE', 'The read model is unavailable; retry shortly.'),
        { 'retry-after': '1' },
      );
      return;
    }
    this.log.error({ err: message }, 'query failed');
    void sendProblem(reply, problem(500, 'INTERNAL_ERROR', 'The query could not be answered.'));
  }
}

/** undefined_table / invalid_schema_name: the projector has not migrated this database yet. */
const isReadModelMissing = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  ['42P01', '3F000'].includes(String((error as { code?: unknown }).code));
