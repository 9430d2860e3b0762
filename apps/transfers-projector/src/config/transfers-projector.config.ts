import { transfersContext } from '@cqrs/transfers-domain';
import { loadProjectorServiceConfig, type ProjectorServiceConfig } from '@cqrs/projector-service';

/** Every setting of the service (@cqrs/projector-service), TRANSFERS_EVENTS_TOPIC included. */
export type TransfersProjectorConfig = ProjectorServiceConfig;

export const loadConfig = (env: NodeJS.ProcessEnv): TransfersProjectorConfig =>
  loadProjectorServiceConfig(transfersContext, env, { defaultPort: 3005 });
