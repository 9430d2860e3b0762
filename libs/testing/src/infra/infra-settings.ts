import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type InfraMode = 'auto' | 'docker' | 'local';

/** Everything infra resolution needs, parsed once from the environment at the entry point. */
export interface InfraSettings {
  mode: InfraMode;
  kafkaBrokers: string[] | undefined;
  databaseUrl: string | undefined;
  dockerHost: string | undefined;
  stateDir: string;
  localKafkaPort: number;
  localKafkaControllerPort: number;
  localPostgresUrl: string;
  localPostgresPort: number;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    throw new Error(`${name} must be a TCP port (1-65535), got "${raw}"`);
  }
  return value;
}

const SOCKET_DIR = '/var/run/postgresql';

/**
 * The machine's PostgreSQL: over its Unix socket when there is one (a loopback TCP write costs
 * several times more here, and the command path is round-trip bound), else 127.0.0.1:5432.
 */
function machinePostgresUrl(): string {
  return fs.existsSync(path.join(SOCKET_DIR, '.s.PGSQL.5432'))
    ? `postgres://postgres@localhost/postgres?host=${encodeURIComponent(SOCKET_DIR)}`
    : 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function infraSettingsFromEnv(env: NodeJS.ProcessEnv): InfraSettings {
  const mode = (env['INFRA_MODE'] ?? 'auto') as InfraMode;
  if (!['auto', 'docker', 'local'].includes(mode)) {
    throw new Error(`INFRA_MODE must be auto, docker or local, got "${String(env['INFRA_MODE'])}"`);
  }
  const brokers = env['KAFKA_BROKERS']
    ?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const cacheHome = env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return {
    mode,
    kafkaBrokers: brokers && brokers.length > 0 ? brokers : undefined,
    databaseUrl: env['DATABASE_URL'] || undefined,
    dockerHost: env['DOCKER_HOST'] || undefined,
    stateDir: env['INFRA_STATE_DIR'] || path.join(cacheHome, 'cqrs-template'),
    localKafkaPort: port(env, 'LOCAL_KAFKA_PORT', 9092),
    localKafkaControllerPort: port(env, 'LOCAL_KAFKA_CONTROLLER_PORT', 9093),
    localPostgresUrl: env['LOCAL_POSTGRES_URL'] || machinePostgresUrl(),
    localPostgresPort: port(env, 'LOCAL_POSTGRES_PORT', 54329),
  };
}
