import { Controller, Get, Headers, Inject, Param, UseInterceptors } from '@nestjs/common';
import { actorOf } from '@cqrs/platform';
import type { AccountView } from '../shared/account.view';
import { ConsistencyInterceptor, QUERY_DEPS, type QueryDeps } from '@cqrs/projector-service';
import { accountIdOrFail, accountNotFound } from '../shared/account-params';
import { getAccount } from './get-account.query';

@Controller('accounts')
@UseInterceptors(ConsistencyInterceptor)
export class GetAccountHttpController {
  constructor(@Inject(QUERY_DEPS) private readonly deps: QueryDeps) {}

  @Get(':accountId')
  async get(
    @Param('accountId') accountId: string,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<AccountView> {
    const id = accountIdOrFail(accountId);
    const account = await getAccount(this.deps.pool, this.deps.schema, id, actorOf(headers));
    if (account === undefined) throw accountNotFound();
    return account;
  }
}
