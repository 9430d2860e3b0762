import { type DynamicModule, Module } from '@nestjs/common';
import { CloseAccountHttpController } from './close-account/close-account.http.controller';
import { DepositMoneyHttpController } from './deposit-money/deposit-money.http.controller';
import { CommandEndpoint } from './http/command-endpoint';
import { OpenAccountHttpController } from './open-account/open-account.http.controller';
import { WithdrawMoneyHttpController } from './withdraw-money/withdraw-money.http.controller';

/** One controller per use case; the endpoint (and what it needs) is built in main.ts. */
@Module({})
export class AppModule {
  static register(endpoint: CommandEndpoint): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        OpenAccountHttpController,
        DepositMoneyHttpController,
        WithdrawMoneyHttpController,
        CloseAccountHttpController,
      ],
      providers: [{ provide: CommandEndpoint, useValue: endpoint }],
    };
  }
}
