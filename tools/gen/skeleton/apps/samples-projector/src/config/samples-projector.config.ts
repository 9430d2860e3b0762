import { samplesContext } from '@cqrs/samples-domain';
import { loadProjectorServiceConfig, type ProjectorServiceConfig } from '@cqrs/projector-service';

/** Every setting of the service (@cqrs/projector-service), SAMPLES_EVENTS_TOPIC included. */
export type SamplesProjectorConfig = ProjectorServiceConfig;

export const loadConfig = (env: NodeJS.ProcessEnv): SamplesProjectorConfig =>
  loadProjectorServiceConfig(samplesContext, env, { defaultPort: 3002 });
