import fs from 'node:fs';
import path from 'node:path';
import { composeEnvironment, composeServices, composeText } from './services/compose-file';
import { isUpstream, serviceList } from './services/service-list';

/**
 * The development compose file must not become a deployment by accident: no secret has a
 * fallback (a missing .env stops compose), only the gateway is published and only on loopback
 * by default, every service restarts and reports health, and the development gateway does not
 * throttle a developer's own load test. And it runs what stack.services.json lists, as listed:
 * each service with its own database login and every variable its configuration requires.
 */
const root = path.resolve(__dirname, '..', '..', '..');
const text = composeText();
const compose = { services: composeServices() };
const services = Object.entries(compose.services);
const listed = serviceList();

it('requires every secret from the environment, with no fallback', () => {
  const references = [...text.matchAll(/\$\{([A-Z_]+)([^}]*)\}/g)].map(([, name, rest]) => ({
    name: name!,
    rest: rest!,
  }));
  const secrets = references.filter(({ name }) => /PASSWORD|SECRET|TOKEN/.test(name));
  expect(new Set(secrets.map((s) => s.name))).toEqual(
    new Set([
      'POSTGRES_PASSWORD',
      // One login per service with a database: <SERVICE>_DB_PASSWORD.
      ...listed
        .filter((s) => s.database !== undefined)
        .map((s) => `${s.name.toUpperCase().replace(/-/g, '_')}_DB_PASSWORD`),
      'INTERNAL_TOKEN',
      'AUTH_JWT_SECRET',
      'GRAFANA_ADMIN_PASSWORD',
      // Only where a service acts as the system or serves internal commands.
      ...(listed.some((s) => [...s.requiredEnv, ...(s.optionalEnv ?? [])].includes('SYSTEM_TOKEN'))
        ? ['SYSTEM_TOKEN']
        : []),
    ]),
  );
  for (const { name, rest } of secrets)
    expect(`${name}${rest}`).toMatch(new RegExp(`^${name}:\\?`));
  expect(text).not.toMatch(/dev-only-[a-z]/);
});

it('gives SYSTEM_TOKEN to no entry point: the gateway must never act as the system', () => {
  for (const service of listed.filter((s) => s.entryPoint))
    expect({ name: service.name, env: composeEnvironment(service.name)['SYSTEM_TOKEN'] }).toEqual({
      name: service.name,
      env: undefined,
    });
});

it('publishes only the gateway, on 127.0.0.1 unless GATEWAY_BIND says otherwise', () => {
  const published = services
    .filter(([, service]) => (service.ports ?? []).length > 0 && service.profiles === undefined)
    .map(([name]) => name);
  expect(published).toEqual(['gateway']);
  expect(published).toEqual(listed.filter((s) => s.entryPoint).map((s) => s.name));
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

it('keeps the broker and database data in named volumes', () => {
  // Kafka configured from the environment keeps its default log.dirs (/tmp) unless told.
  const kafka = compose.services['kafka'];
  expect(kafka?.volumes).toContain(`kafka-data:${composeEnvironment('kafka')['KAFKA_LOG_DIRS']}`);
  expect(compose.services['postgres']?.volumes?.some((v) => /^postgres-data:/.test(v))).toBe(true);
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
    const { build } = service;
    if (build !== undefined)
      expect({ name, context: build.context }).toEqual({ name, context: '.' });
  }
});

describe('the services of stack.services.json', () => {
  it('are every app service of the file, each built from its app', () => {
    const built = services.filter(([, service]) => service.build !== undefined);
    expect(built.map(([name]) => name).sort()).toEqual(listed.map((s) => s.name).sort());
    for (const service of listed)
      expect({
        name: service.name,
        dockerfile: compose.services[service.name]?.build?.dockerfile,
      }).toEqual({ name: service.name, dockerfile: `apps/${service.app}/Dockerfile` });
  });

  it('each log in to their database as a role of their own, never postgres', () => {
    const users = listed.flatMap((service) => {
      if (!service.database) return [];
      const url = new URL(composeEnvironment(service.name)['DATABASE_URL'] ?? '');
      expect({ name: service.name, user: url.username, database: url.pathname }).toEqual({
        name: service.name,
        user: service.database.user,
        database: `/${service.database.name}`,
      });
      return [url.username];
    });
    // Every service with a database checked (none when the last context has been removed).
    expect(users).toHaveLength(listed.filter((service) => service.database).length);
    expect(new Set(users).size).toBe(users.length);
    expect(users).not.toContain('postgres');
    const postgres = composeEnvironment('postgres');
    const owners = (postgres['SERVICE_DATABASES'] ?? '').split(/\s+/).map((e) => e.split(':')[0]);
    const readers = (postgres['READ_ONLY_ROLES'] ?? '')
      .split(/\s+/)
      .map((e) => e.split(':').slice(0, 2).join(':'));
    for (const { database } of listed.filter((s) => s.database)) {
      if (database?.readOnly) expect(readers).toContain(`${database.user}:${database.name}`);
      else expect(owners).toContain(database?.user);
    }
  });

  it('get every variable their configuration requires, and their fixed settings', () => {
    for (const service of listed) {
      const env = composeEnvironment(service.name);
      const missing = [...service.requiredEnv, ...(service.optionalEnv ?? [])].filter(
        (name) => !env[name],
      );
      expect({ name: service.name, missing }).toEqual({ name: service.name, missing: [] });
      for (const [name, value] of Object.entries(service.env ?? {}))
        expect({ service: service.name, [name]: env[name] }).toEqual({
          service: service.name,
          [name]: value,
        });
    }
  });

  it('reach their upstreams by role and context', () => {
    for (const service of listed) {
      const env = composeEnvironment(service.name);
      for (const [name, target] of Object.entries(service.upstreams ?? {})) {
        const expected = listed
          .filter((s) => isUpstream(s, target))
          .map((s) => `http://${s.name}:${composeEnvironment(s.name)[s.portEnv]}`);
        expect({ [name]: env[name]?.split(',') }).toEqual({ [name]: expected });
      }
    }
  });
});

it("scrapes every service's /metrics in the observability profile, at the port it listens on", () => {
  const prometheus = compose.services['prometheus'];
  expect(prometheus?.profiles).toEqual(['observability']);
  const targets = String(prometheus?.environment?.['SCRAPE_TARGETS'] ?? '').split(/\s+/);
  expect(targets.sort()).toEqual(
    listed.map((s) => `${s.name}:${composeEnvironment(s.name)['PORT'] ?? ''}`).sort(),
  );
});
