import { Module, type DynamicModule } from '@nestjs/common';
import { GetAccountHttpController } from './get-account/get-account.http.controller';
import { ListAccountsHttpController } from './list-accounts/list-accounts.http.controller';
import { ListTransactionsHttpController } from './list-transactions/list-transactions.http.controller';
import { ConsistencyInterceptor } from './shared/consistency.interceptor';
import { QUERY_DEPS, type QueryDeps } from './shared/query-deps';
import { WaitForPositionHttpController } from './wait-for-position/wait-for-position.http.controller';

/** The query slices; registered only when the process serves queries (ROLE=query|all). */
@Module({})
export class AppModule {
  static register(query: QueryDeps | undefined): DynamicModule {
    if (query === undefined) return { module: AppModule };
    return {
      module: AppModule,
      controllers: [
        ListAccountsHttpController,
        ListTransactionsHttpController,
        GetAccountHttpController,
        WaitForPositionHttpController,
      ],
      providers: [{ provide: QUERY_DEPS, useValue: query }, ConsistencyInterceptor],
    };
  }
}
