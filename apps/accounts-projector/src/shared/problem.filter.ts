import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { problem, sendProblem, type Logger } from '@cqrs/platform';
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
    this.log.error({ err: error instanceof Error ? error.message : String(error) }, 'query failed');
    void sendProblem(reply, problem(500, 'INTERNAL_ERROR', 'The query could not be answered.'));
  }
}
