import { waitUntil } from '../infra/probe';
import type { ResolvedInfra } from '../infra/resolve-infra';
import { ensureReadOnlyRole, ensureServiceDatabase } from '../infra/service-databases';
import { serviceEnvironment } from '../services/service-env';
import { serviceList, type ServiceDefinition, type UpstreamTarget } from '../services/service-list';
import { DEV_INTERNAL_TOKEN, DEV_JWT_SECRET, DEV_SYSTEM_TOKEN } from './dev-secrets';

/**
 * How a service of the list runs on this machine, for `pnpm stack` and `pnpm dev` alike: its
 * fixed port, its own database login, its environment, and when it counts as ready.
 */

/** Its fixed local port, unless the developer's environment names another. */
export const localPort = (service: ServiceDefinition): number =>
  Number((service.localPortEnv && process.env[service.localPortEnv]) || service.localPort);

export const localUrl = (service: ServiceDefinition): string =>
  `http://127.0.0.1:${localPort(service)}`;

/** The service's own database (created on first use) or read-only role, as a URL. */
export async function localDatabaseUrl(
  adminUrl: string,
  service: ServiceDefinition,
): Promise<string | undefined> {
  const { database } = service;
  if (!database) return undefined;
  const password = `dev-only-${database.user}`;
  if (!database.readOnly) return ensureServiceDatabase(adminUrl, database.name, password);
  const owner = serviceList().find(
    (s) => s.database?.name === database.name && !s.database.readOnly,
  );
  return ensureReadOnlyRole(adminUrl, {
    database: database.name,
    owner: owner?.database?.user ?? database.name,
    role: database.user,
    password,
  });
}

/** The whole environment of its process: the developer's, its dev defaults, its settings. */
export async function localServiceEnv(
  service: ServiceDefinition,
  infra: ResolvedInfra,
  urlsOf: (target: UpstreamTarget) => string[],
): Promise<Record<string, string | undefined>> {
  const devDefaults = Object.fromEntries(
    Object.entries(service.devEnv ?? {}).filter(([key]) => process.env[key] === undefined),
  );
  return {
    ...process.env,
    ...devDefaults,
    ...serviceEnvironment(service, {
      kafkaBrokers: infra.kafka.brokers,
      databaseUrl: await localDatabaseUrl(infra.postgres.url, service),
      secrets: {
        INTERNAL_TOKEN: DEV_INTERNAL_TOKEN,
        AUTH_JWT_SECRET: DEV_JWT_SECRET,
        SYSTEM_TOKEN: DEV_SYSTEM_TOKEN,
      },
      urlsOf,
    }),
    [service.portEnv]: String(localPort(service)),
  };
}

/** Whether its readiness endpoint answers 200 now. */
export const answersReady = async (service: ServiceDefinition): Promise<boolean> =>
  (await fetch(`${localUrl(service)}${service.healthPath}`).catch(() => undefined))?.status === 200;

/** Resolves once its readiness endpoint answers 200. */
export const waitReady = (
  service: ServiceDefinition,
  options: { timeoutMs: number; intervalMs: number; fail?: () => string | undefined },
): Promise<void> => waitUntil(service.name, () => answersReady(service), options);
