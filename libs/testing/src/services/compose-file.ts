import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** The parts of docker-compose.yml that the checks read. */
export interface ComposeService {
  profiles?: string[];
  ports?: string[];
  volumes?: string[];
  restart?: string;
  healthcheck?: { test?: unknown };
  environment?: Record<string, string | number | boolean>;
  build?: { context?: string; dockerfile?: string };
}

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');

export const composeText = (): string => fs.readFileSync(COMPOSE_FILE, 'utf8');

/** The compose services, anchors and merge keys resolved. */
export function composeServices(): Record<string, ComposeService> {
  return (parse(composeText(), { merge: true }) as { services: Record<string, ComposeService> })
    .services;
}

/** The values of .env.example: what `pnpm compose:check` and a fresh checkout run with. */
function exampleEnv(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  return values;
}

/**
 * A compose service's environment as its container sees it with .env.example: `${X}`,
 * `${X:-default}` and `${X:?message}` substituted as compose does (an unset required one throws).
 */
export function composeEnvironment(service: string): Record<string, string> {
  const definition = composeServices()[service];
  if (!definition) throw new Error(`docker-compose.yml has no service ${service}`);
  const given = exampleEnv();
  const substitute = (value: string): string =>
    value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, op, rest: string) => {
      const set = given[name];
      if (set !== undefined && set !== '') return set;
      if (op === '?') throw new Error(`${service}: ${name} is required (${rest})`);
      return op === '-' ? rest : '';
    });
  return Object.fromEntries(
    Object.entries(definition.environment ?? {}).map(([k, v]) => [k, substitute(String(v))]),
  );
}
