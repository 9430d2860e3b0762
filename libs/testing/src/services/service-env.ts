import type { ServiceDefinition, UpstreamTarget } from './service-list';

/** What the harness knows and hands to each service that requires it. */
export interface ServiceEnvContext {
  kafkaBrokers: readonly string[];
  /** The service's own database login, when it has one. */
  databaseUrl?: string;
  /** Shared secrets by variable name (INTERNAL_TOKEN, AUTH_JWT_SECRET, SYSTEM_TOKEN, ...). */
  secrets: Readonly<Record<string, string>>;
  /** The URLs of the started services an `upstreams` variable lists. */
  urlsOf: (target: UpstreamTarget) => readonly string[];
  /** The event topic, for services with a `topicEnv` (tests give each run its own). */
  topic?: string;
}

/**
 * The environment a service starts with, built from its definition alone: the infrastructure
 * and secrets its configuration requires, its fixed settings and its upstreams. Fails, naming
 * the variables, when a required one would be missing: a list that drifts from the apps'
 * configuration breaks here, not as a crash loop.
 */
export function serviceEnvironment(
  service: ServiceDefinition,
  context: ServiceEnvContext,
): Record<string, string> {
  const known: Record<string, string | undefined> = {
    KAFKA_BROKERS: context.kafkaBrokers.join(','),
    DATABASE_URL: context.databaseUrl,
    ...context.secrets,
  };
  const env: Record<string, string> = {};
  for (const name of [...service.requiredEnv, ...(service.optionalEnv ?? [])]) {
    const value = known[name];
    if (value !== undefined) env[name] = value;
  }
  if (service.topicEnv && context.topic) env[service.topicEnv] = context.topic;
  Object.assign(env, service.env);
  for (const [name, target] of Object.entries(service.upstreams ?? {}))
    env[name] = context.urlsOf(target).join(',');
  const missing = service.requiredEnv.filter((name) => !env[name]);
  if (missing.length > 0)
    throw new Error(
      `${service.name}: nothing provides ${missing.join(', ')} (stack.services.json)`,
    );
  return env;
}
