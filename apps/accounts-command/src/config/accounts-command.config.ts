import { accountsContext } from '@cqrs/accounts-domain';
import { loadCommandServiceConfig, type CommandServiceConfig } from '@cqrs/command-service';

/** The command service's settings for the accounts context (ACCOUNTS_EVENTS_TOPIC, ...). */
export const loadConfig = (env: NodeJS.ProcessEnv): CommandServiceConfig =>
  loadCommandServiceConfig(accountsContext, env, { defaultPort: 3001 });
