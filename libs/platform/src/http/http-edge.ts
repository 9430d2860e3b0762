import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';

import { problem, sendProblem, type Problem } from './problem';

/**
 * JSON is the only body type the API takes. An empty body is allowed (commands like close may
 * have none) and becomes `undefined`; anything unparsable is a 400, never a 500.
 */
export function registerJsonOnly(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      // Empty is no body (a body-optional command); whitespace alone is not JSON (RFC 8259): 400.
      if (text === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        const error = new Error('The body is not valid JSON.') as FastifyError;
        error.statusCode = 400;
        error.code = 'INVALID_JSON';
        done(error, undefined);
      }
    },
  );
}

/** Maps framework-level errors (parser, body size, media type, unknown route) to problem+json. */
export function problemFromError(error: {
  statusCode?: number;
  code?: string;
  message: string;
}): Problem {
  if (error.code === 'INVALID_JSON') {
    return problem(400, 'VALIDATION_FAILED', error.message, {
      errors: [{ pointer: '', message: error.message }],
    });
  }
  const status = error.statusCode ?? 500;
  switch (status) {
    case 404:
      return problem(404, 'ROUTE_NOT_FOUND', 'No such route.');
    case 413:
      return problem(
        413,
        'PAYLOAD_TOO_LARGE',
        'The body is larger than this API accepts (16 KiB).',
      );
    case 415:
      return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
    default:
      if (status >= 400 && status < 500) return problem(status, 'BAD_REQUEST', error.message);
      return problem(503, 'SERVICE_UNAVAILABLE', 'A dependency failed; retry shortly.');
  }
}

/** A service's own errors as problem+json (e.g. its not-found or validation errors). */
export type ErrorMapper = (
  error: unknown,
) => { problem: Problem; headers?: Record<string, string> } | undefined;

/**
 * Nest-level exceptions (unknown routes, anything a controller throws) as problem+json: first
 * the service's own mapping (`mapError`), then the framework's errors, and anything else is a
 * 503 with no detail leaked, and logged. The one mapper of every service and the gateway.
 */
@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly log: Logger,
    private readonly mapError?: ErrorMapper,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const mapped = this.mapError?.(exception);
    if (mapped) {
      void sendProblem(reply, mapped.problem, mapped.headers);
      return;
    }
    sendProblemFor(exception, reply, this.log);
  }
}

/**
 * The same mapping for routes registered on the fastify instance itself (their parser, body
 * size and handler errors never reach a Nest filter). Register before those routes: fastify
 * binds the error handler when a route is added.
 */
export function registerProblemErrorHandler(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((error, _request, reply) => sendProblemFor(error, reply, log));
}

function sendProblemFor(exception: unknown, reply: FastifyReply, log: Logger): void {
  let body: Problem;
  if (exception instanceof HttpException) {
    body = problemFromError({ statusCode: exception.getStatus(), message: exception.message });
  } else if (isFastifyError(exception)) {
    body = problemFromError(exception);
  } else {
    body = problem(503, 'SERVICE_UNAVAILABLE', 'A dependency failed; retry shortly.');
    log.error({ err: exception }, 'unhandled error in a request');
  }
  void sendProblem(reply, body, body.status === 503 ? { 'retry-after': '1' } : {});
}

function isFastifyError(error: unknown): error is FastifyError {
  return typeof error === 'object' && error !== null && 'code' in error && 'statusCode' in error;
}
