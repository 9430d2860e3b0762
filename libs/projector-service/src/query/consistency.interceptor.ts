import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, switchMap, type Observable } from 'rxjs';
import { CONTRACT_HEADERS } from '@cqrs/platform';
import { QUERY_DEPS, type QueryDeps } from './query-deps';
import { QueryError } from './query.errors';

/**
 * Read-your-writes: with X-Consistency-Token the answer waits (bounded) until the read model
 * holds the token's stream version. If the bound passes first it answers anyway, marked
 * `X-Consistency: stale`; an answer without that header is never older than the token.
 */
@Injectable()
export class ConsistencyInterceptor implements NestInterceptor {
  constructor(@Inject(QUERY_DEPS) private readonly deps: QueryDeps) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const header = http.getRequest<FastifyRequest>().headers[CONTRACT_HEADERS.consistencyToken];
    if (header === undefined) return next.handle();
    const position = typeof header === 'string' ? this.deps.tokens.decode(header) : undefined;
    if (position === undefined) {
      throw QueryError.invalid([
        { header: CONTRACT_HEADERS.consistencyToken, message: 'not a valid consistency token' },
      ]);
    }
    const waited = this.deps.waiter.waitFor(
      position.streamId,
      position.version,
      this.deps.consistencyWaitMs,
    );
    return from(waited).pipe(
      switchMap((result) => {
        if (!result.reached) void http.getResponse<FastifyReply>().header('x-consistency', 'stale');
        return next.handle();
      }),
    );
  }
}
