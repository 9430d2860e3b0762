import { accountsContext } from '@cqrs/accounts-domain';
import { accountEventRegistry, type AccountEvent } from '@cqrs/events';
import type { ProjectorServiceDefinition } from '@cqrs/projector-service';
import { GetAccountHttpController } from './get-account/get-account.http.controller';
import { ListAccountsHttpController } from './list-accounts/list-accounts.http.controller';
import { ListTransactionsHttpController } from './list-transactions/list-transactions.http.controller';
import { accountsProjection } from './projection/accounts.projection';

/**
 * The accounts read side as the projector-service factory serves it; shared by the service,
 * its migration job and its CLIs (rebuild, replay), so they cannot drift apart.
 */
export const accountsProjectorService: ProjectorServiceDefinition<AccountEvent> = {
  context: accountsContext,
  // The first is the read model the query API serves (READ_MODEL_SCHEMA, KAFKA_GROUP_ID).
  projections: [accountsProjection()],
  decode: (raw) => accountEventRegistry.parseEventJson(raw),
  readModelTables: ['accounts', 'account_transactions'],
  query: {
    controllers: [
      ListAccountsHttpController,
      ListTransactionsHttpController,
      GetAccountHttpController,
    ],
  },
};
