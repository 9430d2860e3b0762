import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger, PostgresEndpoint } from './infra.types';
import { postgresAnswers } from './probe';

const run = promisify(execFile);

export interface LocalPostgresOptions {
  stateDir: string;
  /** The machine's server, tried first (trust auth on 127.0.0.1 is the usual dev setup). */
  machineUrl: string;
  /** Port of the private cluster made with initdb when no server answers. */
  privatePort: number;
  log: Logger;
}

/** Finds initdb/pg_ctl: PATH first, then Debian's versioned directories (newest first). */
export function findPgBin(): string | undefined {
  const debian = '/usr/lib/postgresql';
  const candidates = fs.existsSync(debian)
    ? fs
        .readdirSync(debian)
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => path.join(debian, v, 'bin'))
    : [];
  for (const dir of (process.env['PATH'] ?? '').split(':').concat(candidates)) {
    if (dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')))
      return dir;
  }
  return undefined;
}

/**
 * Uses the machine's PostgreSQL when it answers; otherwise creates (once) and starts a private
 * cluster in the state directory. initdb refuses to run as root, so as root the cluster belongs
 * to the `postgres` system user.
 */
export async function ensureLocalPostgres(
  options: LocalPostgresOptions,
): Promise<PostgresEndpoint> {
  if (await postgresAnswers(options.machineUrl)) {
    return { url: options.machineUrl, source: 'local', stop: async () => undefined };
  }
  const bin = findPgBin();
  if (!bin) {
    throw new Error(
      `No PostgreSQL answers at ${options.machineUrl} and no initdb was found. Set DATABASE_URL, ` +
        'install PostgreSQL, or run Docker.',
    );
  }
  const dir = path.join(options.stateDir, 'postgres');
  const url = `postgres://postgres@127.0.0.1:${options.privatePort}/postgres`;
  if (await postgresAnswers(url)) return { url, source: 'local', stop: async () => undefined };

  const asRoot = process.getuid?.() === 0;
  const exec = (cmd: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args])
      : run(path.join(bin, cmd), args);
  fs.mkdirSync(dir, { recursive: true });
  if (asRoot) await run('chown', ['-R', 'postgres', dir]);
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    options.log(`Creating a private PostgreSQL cluster in ${dir}...`);
    await exec('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '--no-sync']);
  }
  await exec('pg_ctl', [
    '-D',
    dir,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${options.privatePort} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300`,
    'start',
  ]);
  options.log(`Private PostgreSQL started on ${url}`);
  return {
    url,
    source: 'local',
    stop: async () => {
      await exec('pg_ctl', ['-D', dir, '-m', 'fast', '-w', 'stop']);
    },
  };
}

/** Stops the private cluster if one runs; the machine's own server is never touched. */
export async function stopLocalPostgres(
  options: Pick<LocalPostgresOptions, 'stateDir'>,
): Promise<boolean> {
  const dir = path.join(options.stateDir, 'postgres');
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return false;
  const bin = findPgBin();
  if (!bin) return false;
  const args = ['-D', dir, '-m', 'fast', '-w', 'stop'];
  if (process.getuid?.() === 0)
    await run('runuser', ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), ...args]);
  else await run(path.join(bin, 'pg_ctl'), args);
  return true;
}
