import { accountsContext } from '@cqrs/accounts-domain';
import { loadProjectorServiceConfig, type ProjectorServiceConfig } from '@cqrs/projector-service';

/** Every setting of the service (@cqrs/projector-service), ACCOUNTS_EVENTS_TOPIC included. */
export type AccountsProjectorConfig = ProjectorServiceConfig;

export const loadConfig = (env: NodeJS.ProcessEnv): AccountsProjectorConfig =>
  loadProjectorServiceConfig(accountsContext, env, { defaultPort: 3002 });
