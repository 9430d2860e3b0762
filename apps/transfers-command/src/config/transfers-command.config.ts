import { transfersContext } from '@cqrs/transfers-domain';
import { loadCommandServiceConfig, type CommandServiceConfig } from '@cqrs/command-service';

/** The command service's settings for the transfers context (TRANSFERS_EVENTS_TOPIC, ...). */
export const loadConfig = (env: NodeJS.ProcessEnv): CommandServiceConfig =>
  loadCommandServiceConfig(transfersContext, env, { defaultPort: 3004 });
