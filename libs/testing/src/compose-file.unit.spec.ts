import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * The development compose file must not become a deployment by accident: no secret has a
 * fallback (a missing .env stops compose), only the gateway is published and only on loopback
 * by default, every service restarts and reports health, and the development gateway does not
 * throttle a developer's own load test.
 */
const root = path.resolve(__dirname, '..', '..', '..');
const text = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');

interface Service {
  profiles?: string[];
  ports?: string[];
  restart?: string;
  healthcheck?: { test?: unknown };
  environment?: Record<string, string>;
}
const compose = parse(text, { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);

it('requires every secret from the environment, with no fallback', () => {
  const references = [...text.matchAll(/\$\{([A-Z_]+)([^}]*)\}/g)].map(([, name, rest]) => ({
    name: name!,
    rest: rest!,
  }));
  const secrets = references.filter(({ name }) => /PASSWORD|SECRET|TOKEN/.test(name));
  expect(new Set(secrets.map((s) => s.name))).toEqual(
    new Set([
      'POSTGRES_PASSWORD',
      'ACCOUNTS_COMMAND_DB_PASSWORD',
      'ACCOUNTS_PROJECTOR_DB_PASSWORD',
      'ACCOUNTS_QUERY_DB_PASSWORD',
      'INTERNAL_TOKEN',
      'AUTH_JWT_SECRET',
    ]),
  );
  for (const { name, rest } of secrets)
    expect(`${name}${rest}`).toMatch(new RegExp(`^${name}:\\?`));
  expect(text).not.toMatch(/dev-only-[a-z]/);
});

it('publishes only the gateway, on 127.0.0.1 unless GATEWAY_BIND says otherwise', () => {
  const published = services
    .filter(([, service]) => (service.ports ?? []).length > 0 && service.profiles === undefined)
    .map(([name]) => name);
  expect(published).toEqual(['gateway']);
  expect(compose.services['gateway']?.ports).toEqual([
    '${GATEWAY_BIND:-127.0.0.1}:${GATEWAY_PORT:-8080}:8080',
  ]);
  // Optional tools (profiles) may publish, on loopback only.
  for (const [, service] of services)
    for (const port of service.ports ?? [])
      expect(port).toMatch(/^'?(\$\{GATEWAY_BIND:-)?127\.0\.0\.1/);
});

it('restarts every service and checks its health', () => {
  for (const [name, service] of services) {
    expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
    expect({ name, healthcheck: Array.isArray(service.healthcheck?.test) }).toEqual({
      name,
      healthcheck: true,
    });
  }
});

it('does not rate-limit the development gateway', () => {
  const env = compose.services['gateway']?.environment ?? {};
  expect(env['RATE_LIMIT_PER_IP']).toBe('${RATE_LIMIT_PER_IP:-0}');
  expect(env['RATE_LIMIT_PER_SUBJECT']).toBe('${RATE_LIMIT_PER_SUBJECT:-0}');
});

it('keeps secrets, git history, dependencies and build output out of every build context', () => {
  const ignored = fs
    .readFileSync(path.join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const entry of ['.git', '.env', '.env.*', '**/node_modules', '**/dist', '**/bench-results'])
    expect(ignored).toContain(entry);
  for (const [name, service] of services) {
    const build = (service as { build?: { context?: string } }).build;
    if (build !== undefined)
      expect({ name, context: build.context }).toEqual({ name, context: '.' });
  }
});
