import { Controller, Get, Headers, Inject, Param, Query, UseInterceptors } from '@nestjs/common';
import { actorOf } from '@cqrs/platform';
import {
  ConsistencyInterceptor,
  PageParamsSchema,
  parseOrFail,
  QUERY_DEPS,
  unknownCursor,
  type QueryDeps,
} from '@cqrs/projector-service';
import { accountIdOrFail, accountNotFound } from '../shared/account-params';
import { decodeTransactionsCursor } from '../shared/cursor';
import { listTransactions, type TransactionsPage } from './list-transactions.query';

@Controller('accounts')
@UseInterceptors(ConsistencyInterceptor)
export class ListTransactionsHttpController {
  constructor(@Inject(QUERY_DEPS) private readonly deps: QueryDeps) {}

  @Get(':accountId/transactions')
  async list(
    @Param('accountId') accountId: string,
    @Query() query: Record<string, unknown>,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<TransactionsPage> {
    const id = accountIdOrFail(accountId);
    const { limit, cursor } = parseOrFail(PageParamsSchema, query, 'query');
    const after = cursor === undefined ? 0 : decodeTransactionsCursor(cursor);
    if (after === undefined) {
      throw unknownCursor();
    }
    const page = await listTransactions(
      this.deps.pool,
      this.deps.schema,
      id,
      actorOf(headers),
      limit,
      after,
    );
    if (page === undefined) throw accountNotFound();
    return page;
  }
}
