import { samplesContext } from '@cqrs/samples-domain';
import { loadCommandServiceConfig, type CommandServiceConfig } from '@cqrs/command-service';

/** The command service's settings for the samples context (SAMPLES_EVENTS_TOPIC, ...). */
export const loadConfig = (env: NodeJS.ProcessEnv): CommandServiceConfig =>
  loadCommandServiceConfig(samplesContext, env, { defaultPort: 3001 });
