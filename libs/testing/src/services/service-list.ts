import fs from 'node:fs';
import path from 'node:path';

/**
 * The one list of the system's services (stack.services.json at the repository root): `pnpm
 * stack` and the e2e harness start what it says, and a unit test holds docker-compose.yml to
 * it. It is data, so this lib runs any set of services without naming them.
 */

/** What a service is for; the harness and the gateway's upstreams are wired by role. */
export type ServiceRole = 'command' | 'projector' | 'query' | 'gateway';
const ROLES: readonly ServiceRole[] = ['command', 'projector', 'query', 'gateway'];

/** Which services a gateway variable lists: those of a role, of one context when named. */
export interface UpstreamTarget {
  role: ServiceRole;
  context?: string;
}

export interface ServiceDefinition {
  /** Compose service name, process name in logs, key of its URL. */
  name: string;
  /** The bounded context it serves (its descriptor's name); none for the gateway. */
  context?: string;
  /** Its app folder: apps/<app>, started as apps/<app>/dist/main.js. */
  app: string;
  role: ServiceRole;
  /** The variable it reads its port from. */
  portEnv: string;
  /** Answers 200 once the service can take traffic. */
  healthPath: string;
  /** Its fixed port under `pnpm stack` (so URLs stay the same between runs)... */
  localPort: number;
  /** ...unless this variable of the developer's environment names another. */
  localPortEnv?: string;
  /**
   * Its own database login: the owner of `name`, or with `readOnly` a role that may only read
   * what the owner creates there (compose's SERVICE_DATABASES and READ_ONLY_ROLES).
   */
  database?: { name: string; user: string; readOnly?: boolean };
  /** Fixed settings, in every environment (e.g. which role of a multi-role image). */
  env?: Record<string, string>;
  /** What its configuration cannot start without (a unit test per app checks its schema). */
  requiredEnv: string[];
  /**
   * What its configuration reads but starts without, handed over when the harness knows it: a
   * secret that opens optional routes (SYSTEM_TOKEN: a command service's internal commands).
   * Compose must set them too, so the development stack runs with those routes.
   */
  optionalEnv?: string[];
  /** The variable naming the event topic it writes or reads (tests give each run its own). */
  topicEnv?: string;
  /**
   * Variables that list the URLs of the services of a role and context (how the gateway finds
   * each context's command and query services).
   */
  upstreams?: Record<string, UpstreamTarget>;
  /**
   * The e2e harness may serve this role from another service's process (one process instead of
   * two), which then runs with these settings instead of its own.
   */
  sharesProcessWith?: { service: string; env: Record<string, string> };
  /** Printed as the stack's entry point. */
  entryPoint?: boolean;
  /** Development defaults under `pnpm stack`; the developer's environment wins. */
  devEnv?: Record<string, string>;
  /** Settings of the e2e harness (e.g. faster health checks). */
  testEnv?: Record<string, string>;
}

/** The repository root, from src/services or dist/services of libs/testing. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const SERVICE_LIST_FILE = path.join(REPO_ROOT, 'stack.services.json');

let cached: readonly ServiceDefinition[] | undefined;

/** The services in start order; fails fast, naming the entry, when the file is malformed. */
export function serviceList(): readonly ServiceDefinition[] {
  if (cached) return cached;
  const raw = JSON.parse(fs.readFileSync(SERVICE_LIST_FILE, 'utf8')) as { services?: unknown };
  if (!Array.isArray(raw.services)) throw new Error(`${SERVICE_LIST_FILE}: no "services" list`);
  const services = (raw.services as ServiceDefinition[]).map((service, i) => {
    const problem = checkDefinition(service);
    if (problem) throw new Error(`${SERVICE_LIST_FILE}: services[${i}]: ${problem}`);
    return service;
  });
  const names = services.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new Error(`${SERVICE_LIST_FILE}: duplicate name`);
  cached = services;
  return cached;
}

export const servicesOfRole = (role: ServiceRole): ServiceDefinition[] =>
  serviceList().filter((s) => s.role === role);

/** Whether a service is one an upstream variable lists. */
export const isUpstream = (service: ServiceDefinition, target: UpstreamTarget): boolean =>
  service.role === target.role &&
  (target.context === undefined || service.context === target.context);

function checkDefinition(s: ServiceDefinition): string | undefined {
  const text = (value: unknown): boolean => typeof value === 'string' && value.length > 0;
  if (!text(s.name) || !text(s.app)) return 'name and app are required';
  if (!ROLES.includes(s.role)) return `role must be one of ${ROLES.join(', ')}`;
  if (!text(s.portEnv) || !text(s.healthPath)) return 'portEnv and healthPath are required';
  if (!Number.isInteger(s.localPort)) return 'localPort must be a port number';
  if (!Array.isArray(s.requiredEnv)) return 'requiredEnv must list variable names';
  if (s.optionalEnv !== undefined && !Array.isArray(s.optionalEnv))
    return 'optionalEnv must list variable names';
  if (s.database && (!text(s.database.name) || !text(s.database.user)))
    return 'database needs a name and a user';
  for (const target of Object.values(s.upstreams ?? {}))
    if (!ROLES.includes(target.role)) return `upstream role "${String(target.role)}" is unknown`;
  return undefined;
}
