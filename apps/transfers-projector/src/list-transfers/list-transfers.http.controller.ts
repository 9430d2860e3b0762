import { Controller, Get, Headers, Inject, Query, UseInterceptors } from '@nestjs/common';
import { actorOf } from '@cqrs/platform';
import {
  ConsistencyInterceptor,
  PageParamsSchema,
  parseOrFail,
  QUERY_DEPS,
  unknownCursor,
  type QueryDeps,
} from '@cqrs/projector-service';
import { decodeTransfersCursor, listTransfers, type TransfersPage } from './list-transfers.query';

@Controller('transfers')
@UseInterceptors(ConsistencyInterceptor)
export class ListTransfersHttpController {
  constructor(@Inject(QUERY_DEPS) private readonly deps: QueryDeps) {}

  @Get()
  async list(
    @Query() query: Record<string, unknown>,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<TransfersPage> {
    const { limit, cursor } = parseOrFail(PageParamsSchema, query, 'query');
    const after = cursor === undefined ? undefined : decodeTransfersCursor(cursor);
    if (cursor !== undefined && after === undefined) throw unknownCursor();
    return listTransfers(this.deps.pool, this.deps.schema, actorOf(headers), limit, after);
  }
}
