import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { PositionResult } from '@cqrs/projections';
import { QUERY_DEPS, type QueryDeps } from './query-deps';
import { parseOrFail, PositionQuerySchema } from './query-params';

/**
 * GET /internal/positions?streamId=&version=&timeoutMs= answers as soon as the read model has
 * the stream at `version` or later, or when the (capped) timeout passes: `{ reached, version }`.
 * Woken by the projector's NOTIFY, not by polling.
 */
@Controller('internal')
export class WaitForPositionHttpController {
  constructor(@Inject(QUERY_DEPS) private readonly deps: QueryDeps) {}

  @Get('positions')
  async wait(@Query() query: Record<string, unknown>): Promise<PositionResult> {
    const { streamId, version, timeoutMs } = parseOrFail(PositionQuerySchema, query, 'query');
    const bound = Math.min(timeoutMs ?? this.deps.consistencyWaitMs, this.deps.maxWaitMs);
    return this.deps.waiter.waitFor(streamId, version, bound);
  }
}
