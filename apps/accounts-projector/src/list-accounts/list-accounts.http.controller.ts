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
import { decodeAccountsCursor } from '../shared/cursor';
import { listAccounts, type AccountsPage } from './list-accounts.query';

@Controller('accounts')
@UseInterceptors(ConsistencyInterceptor)
export class ListAccountsHttpController {
  constructor(@Inject(QUERY_DEPS) private readonly deps: QueryDeps) {}

  @Get()
  async list(
    @Query() query: Record<string, unknown>,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<AccountsPage> {
    const { limit, cursor } = parseOrFail(PageParamsSchema, query, 'query');
    const after = cursor === undefined ? undefined : decodeAccountsCursor(cursor);
    if (cursor !== undefined && after === undefined) {
      throw unknownCursor();
    }
    return listAccounts(this.deps.pool, this.deps.schema, actorOf(headers), limit, after);
  }
}
