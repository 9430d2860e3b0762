import type { ContextNames } from './context-names';

/**
 * The edits of shared files that register a generated context, each a pure function of the
 * file's text: the events index, the gateway's context list and package, docker-compose.yml,
 * .env.example and stack.services.json. Each refuses a file that lacks its anchor, so a
 * reorganised file fails the generator loudly instead of being edited in the wrong place.
 */

const upper = (word: string): string => word.toUpperCase();

/**
 * Puts a piece of text in a file: before a string anchor, or after the last match of a pattern.
 * Removing is the same edit run backwards: the piece must be there exactly as it was inserted.
 */
type Place = (text: string, anchor: string | RegExp, piece: string, file: string) => string;

const inserting: Place = (text, anchor, piece, file) =>
  typeof anchor === 'string'
    ? insertBefore(text, anchor, piece, file)
    : insertAfterLast(text, anchor, piece, file);

const removing: Place = (text, _anchor, piece, file) => {
  // The first occurrence: a piece inserted twice (an import, then a list entry) goes in order.
  const at = text.indexOf(piece);
  if (at < 0) throw new Error(`${file}: cannot find ${JSON.stringify(piece.slice(0, 80))}`);
  return text.slice(0, at) + text.slice(at + piece.length);
};

function insertBefore(text: string, anchor: string, insert: string, file: string): string {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`${file}: cannot find "${anchor.trim()}" to insert before`);
  return text.slice(0, at) + insert + text.slice(at);
}

export function insertAfterLast(
  text: string,
  pattern: RegExp,
  insert: string,
  file: string,
): string {
  const matches = [...text.matchAll(new RegExp(pattern.source, 'gm'))];
  const last = matches[matches.length - 1];
  if (!last) throw new Error(`${file}: cannot find ${String(pattern)} to insert after`);
  const end = last.index + last[0].length;
  return text.slice(0, end) + insert + text.slice(end);
}

/** libs/events/src/index.ts: the context's event schemas and registry. */
export function addEventExports(text: string, n: ContextNames, place = inserting): string {
  const lines =
    `export * from './${n.plural}/${n.singular}-events.schema';\n` +
    `export * from './${n.plural}/${n.singular}-events';\n`;
  return place(text, "export * from './schema-docs/", lines, 'libs/events/src/index.ts');
}

/** libs/events/scripts/generate-schemas.ts: the registry whose versions docs/events documents. */
export function addSchemaRegistry(text: string, n: ContextNames, place = inserting): string {
  const file = 'libs/events/scripts/generate-schemas.ts';
  const registry = `${n.singular}EventRegistry`;
  const withImport = place(text, '  checkSchemaDocs,', `  ${registry},\n`, file);
  return place(withImport, '];', `  ${registry},\n`, file);
}

/** apps/gateway/src/contexts.ts: one import and one entry of `registeredContexts`. */
export function addGatewayContext(text: string, n: ContextNames): string {
  const file = 'apps/gateway/src/contexts.ts';
  const withImport = insertBefore(
    text,
    "import type { AnyContext } from '@cqrs/context';",
    `import { ${n.plural}Context } from '@cqrs/${n.plural}-domain';\n`,
    file,
  );
  const list = /(registeredContexts: readonly AnyContext\[\] = \[)([^\]]*)\]/;
  if (!list.test(withImport)) throw new Error(`${file}: cannot find registeredContexts`);
  return withImport.replace(list, (_all, head: string, items: string) => {
    const entries = items
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return `${head}${[...entries, `${n.plural}Context`].join(', ')}]`;
  });
}

/** apps/gateway/package.json: the gateway imports the descriptor, so it depends on the lib. */
export function addGatewayDependency(text: string, n: ContextNames): string {
  const pkg = JSON.parse(text) as { dependencies?: Record<string, string> };
  const dependencies = { ...pkg.dependencies, [`@cqrs/${n.plural}-domain`]: 'workspace:*' };
  pkg.dependencies = Object.fromEntries(
    Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)),
  );
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** .env.example: the development passwords of the context's three database roles. */
export function addEnvPasswords(text: string, n: ContextNames, place = inserting): string {
  const u = upper(n.plural);
  return place(
    text,
    // After the last context's passwords, or after the platform's own when there is no context.
    /^(?:POSTGRES_PASSWORD|[A-Z_]+_QUERY_DB_PASSWORD)=.*$/,
    `\n${u}_COMMAND_DB_PASSWORD=dev-only-${n.plural}-command` +
      `\n${u}_PROJECTOR_DB_PASSWORD=dev-only-${n.plural}-projector` +
      `\n${u}_QUERY_DB_PASSWORD=dev-only-${n.plural}-query`,
    '.env.example',
  );
}

const secret = (variable: string): string => `\${${variable}:?set ${variable} (see .env.example)}`;

/**
 * docker-compose.yml: databases and roles, Prometheus' scrape targets, the three services, the
 * gateway's upstreams.
 */
export function addComposeServices(text: string, n: ContextNames, place = inserting): string {
  const file = 'docker-compose.yml';
  const p = n.plural;
  const u = upper(p);
  let out = place(
    text,
    // Each list's last entry, or its header when no context is left (the same for the others).
    /^(?: {6}SERVICE_DATABASES: >-| {8}[a-z_]+_projector:\$\{[A-Z_]+_PROJECTOR_DB_PASSWORD:\?[^}]*\})$/,
    `\n        ${p}_command:${secret(`${u}_COMMAND_DB_PASSWORD`)}` +
      `\n        ${p}_projector:${secret(`${u}_PROJECTOR_DB_PASSWORD`)}`,
    file,
  );
  out = place(
    out,
    /^(?: {6}READ_ONLY_ROLES: >-| {8}[a-z_]+_query:[a-z_]+_projector:\$\{[A-Z_]+_QUERY_DB_PASSWORD:\?[^}]*\})$/,
    `\n        ${p}_query:${p}_projector:${secret(`${u}_QUERY_DB_PASSWORD`)}`,
    file,
  );
  out = place(
    out,
    /^(?: {6}SCRAPE_TARGETS: >-| {8}[a-z0-9-]+:\d+)$/,
    `\n        ${p}-command:3000\n        ${p}-projector:3000\n        ${p}-query:3000`,
    file,
  );
  const services = `  # The ${p} context (pnpm gen context ${p}).
  ${p}-command:
    build:
      context: .
      dockerfile: apps/${p}-command/Dockerfile
    restart: unless-stopped
    healthcheck: *service-healthcheck
    environment:
      <<: [*service-env, *kafka-env]
      PORT: '3000'
      DATABASE_URL: postgres://${p}_command:${secret(`${u}_COMMAND_DB_PASSWORD`)}@postgres:5432/${p}_command
    depends_on:
      kafka:
        condition: service_healthy
      postgres:
        condition: service_healthy

  ${p}-projector:
    build:
      context: .
      dockerfile: apps/${p}-projector/Dockerfile
    restart: unless-stopped
    healthcheck: *service-healthcheck
    environment:
      <<: [*service-env, *kafka-env]
      PORT: '3000'
      ROLE: projector
      DATABASE_URL: postgres://${p}_projector:${secret(`${u}_PROJECTOR_DB_PASSWORD`)}@postgres:5432/${p}_projector
    depends_on:
      kafka:
        condition: service_healthy
      postgres:
        condition: service_healthy

  ${p}-query:
    build:
      context: .
      dockerfile: apps/${p}-projector/Dockerfile
    restart: unless-stopped
    healthcheck: *service-healthcheck
    environment:
      <<: *service-env
      PORT: '3000'
      ROLE: query
      KAFKA_BROKERS: kafka:9092
      DATABASE_URL: postgres://${p}_query:${secret(`${u}_QUERY_DB_PASSWORD`)}@postgres:5432/${p}_projector
    depends_on:
      postgres:
        condition: service_healthy

`;
  out = place(out, '  # The single entry point and the only published port.', services, file);
  out = place(
    out,
    /^ {6}(?:PORT: '8080'|[A-Z_]+_QUERY_UPSTREAMS: .*)$/,
    `\n      ${u}_COMMAND_UPSTREAMS: http://${p}-command:3000` +
      `\n      ${u}_QUERY_UPSTREAMS: http://${p}-query:3000`,
    file,
  );
  // With no context left the gateway's depends_on is `{}` (an empty key is not a mapping); its
  // header is the last `depends_on:` of the file, the gateway being the last service.
  out = out.replace(/^ {4}depends_on: \{\}$/m, '    depends_on:');
  return place(
    out,
    /^ {4}depends_on:$|^ {6}[a-z-]+-query:\n {8}condition: service_healthy$/,
    `\n      ${p}-command:\n        condition: service_healthy` +
      `\n      ${p}-query:\n        condition: service_healthy`,
    file,
  );
}

interface ServiceEntry {
  name: string;
  role: string;
  context?: string;
  localPort?: number;
  upstreams?: Record<string, { role: string; context?: string }>;
  requiredEnv: string[];
  [key: string]: unknown;
}

/**
 * The local port of a new context's command service (its projector and query take the next
 * two): the next after every other context's (the gateway keeps its own).
 */
export function firstFreeLocalPort(stackServicesJson: string): number {
  const list = JSON.parse(stackServicesJson) as { services: ServiceEntry[] };
  const ports = list.services.filter((s) => s.role !== 'gateway').map((s) => s.localPort ?? 3000);
  return Math.max(3000, ...ports) + 1;
}

/** The context's command, projector and query entries of stack.services.json, from `port` on. */
export function contextServices(n: ContextNames, port: number): ServiceEntry[] {
  const p = n.plural;
  const required = ['DATABASE_URL', 'KAFKA_BROKERS', 'INTERNAL_TOKEN'];
  const topicEnv = `${upper(p)}_EVENTS_TOPIC`;
  return [
    {
      name: `${p}-command`,
      app: `${p}-command`,
      role: 'command',
      context: p,
      portEnv: 'PORT',
      healthPath: '/health/ready',
      localPort: port,
      database: { name: `${p}_command`, user: `${p}_command` },
      requiredEnv: required,
      topicEnv,
    },
    {
      name: `${p}-projector`,
      app: `${p}-projector`,
      role: 'projector',
      context: p,
      portEnv: 'PORT',
      healthPath: '/health/ready',
      localPort: port + 1,
      database: { name: `${p}_projector`, user: `${p}_projector` },
      env: { ROLE: 'projector' },
      requiredEnv: required,
      topicEnv,
    },
    {
      name: `${p}-query`,
      app: `${p}-projector`,
      role: 'query',
      context: p,
      portEnv: 'PORT',
      healthPath: '/health/ready',
      localPort: port + 2,
      database: { name: `${p}_projector`, user: `${p}_query`, readOnly: true },
      env: { ROLE: 'query' },
      requiredEnv: required,
      topicEnv,
      sharesProcessWith: { service: `${p}-projector`, env: { ROLE: 'all' } },
    },
  ];
}

/** The apps (images) the context's services run: its command and its projector app. */
export const contextApps = (n: ContextNames): string[] => [
  ...new Set(contextServices(n, 0).map((s) => String(s.app))),
];

/** stack.services.json: the context's command, projector and query, before the gateway. */
export function addStackServices(text: string, n: ContextNames): string {
  const list = JSON.parse(text) as { services: ServiceEntry[]; [key: string]: unknown };
  const p = n.plural;
  const u = upper(p);
  const gateway = list.services.find((s) => s.role === 'gateway');
  if (!gateway) throw new Error('stack.services.json: no gateway service');
  // Local ports: the next free ones after the other contexts' (the gateway keeps its own).
  const services = contextServices(n, firstFreeLocalPort(text));
  const at = list.services.indexOf(gateway);
  list.services.splice(at, 0, ...services);
  gateway.upstreams = {
    ...gateway.upstreams,
    [`${u}_COMMAND_UPSTREAMS`]: { role: 'command', context: p },
    [`${u}_QUERY_UPSTREAMS`]: { role: 'query', context: p },
  };
  gateway.requiredEnv = [...gateway.requiredEnv, `${u}_COMMAND_UPSTREAMS`, `${u}_QUERY_UPSTREAMS`];
  return `${JSON.stringify(list, null, 2)}\n`;
}

/**
 * The reverse edits, for `pnpm gen remove-context`. They remove the context's lines by their
 * names rather than the exact pieces `add*` inserts, so they also remove a context written by
 * hand (the accounts example, with its own comments and event files); for a generated context
 * they are the exact inverse of the additions. Each still fails when it finds nothing to remove.
 */
export const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function removingLines(text: string, line: RegExp, file: string, what: string): string {
  const out = text.replace(new RegExp(line.source, 'gm'), '');
  if (out === text) throw new Error(`${file}: cannot find ${what}`);
  return out;
}

export const removeEventExports = (text: string, n: ContextNames): string =>
  removingLines(
    text,
    new RegExp(`^export \\* from '\\./${escaped(n.plural)}/[^']+';\\n`),
    'libs/events/src/index.ts',
    `the exports of ./${n.plural}/`,
  );

export const removeSchemaRegistry = (text: string, n: ContextNames): string =>
  removingLines(
    text,
    new RegExp(`^ {2}${escaped(n.singular)}EventRegistry,\\n`),
    'libs/events/scripts/generate-schemas.ts',
    `${n.singular}EventRegistry`,
  );

export const removeEnvPasswords = (text: string, n: ContextNames): string =>
  removingLines(
    text,
    new RegExp(`^${upper(n.plural)}_(?:COMMAND|PROJECTOR|QUERY)_DB_PASSWORD=.*\\n`),
    '.env.example',
    `${upper(n.plural)}_*_DB_PASSWORD`,
  );

/**
 * docker-compose.yml: the database and role lines, each top-level service block named
 * `<context>-<part>` (with the comment lines right above it and the blank line after it), its
 * scrape targets, the gateway's upstream variables and its depends_on entries.
 */
export function removeComposeServices(text: string, n: ContextNames): string {
  const file = 'docker-compose.yml';
  const p = escaped(n.plural);
  const u = upper(n.plural);
  let out = removingLines(
    text,
    new RegExp(`^ {8}${p}_(?:command|projector|query):.*\\n`),
    file,
    `the ${n.plural} databases`,
  );
  out = removingLines(
    out,
    new RegExp(`^(?: {2}#.*\\n)* {2}${p}-[a-z]+:\\n(?: {4}.*\\n)+\\n`),
    file,
    `the ${n.plural} services`,
  );
  out = removingLines(
    out,
    new RegExp(`^ {8}${p}-(?:command|projector|query):\\d+\\n`),
    file,
    `the ${n.plural} scrape targets`,
  );
  out = removingLines(
    out,
    new RegExp(`^ {6}${u}_(?:COMMAND|QUERY)_UPSTREAMS: .*\\n`),
    file,
    `${u}_*_UPSTREAMS`,
  );
  out = removingLines(
    out,
    new RegExp(`^ {6}${p}-[a-z]+:\\n {8}condition: service_healthy\\n`),
    file,
    `the gateway's ${n.plural} dependencies`,
  );
  return out.replace(/^ {4}depends_on:\n(?=\n)/m, '    depends_on: {}\n');
}

export function removeGatewayContext(text: string, n: ContextNames): string {
  const file = 'apps/gateway/src/contexts.ts';
  const withoutImport = removing(
    text,
    '',
    `import { ${n.plural}Context } from '@cqrs/${n.plural}-domain';\n`,
    file,
  );
  const list = /(registeredContexts: readonly AnyContext\[\] = \[)([^\]]*)\]/;
  if (!list.test(withoutImport)) throw new Error(`${file}: cannot find registeredContexts`);
  return withoutImport.replace(list, (_all, head: string, items: string) => {
    const entries = items
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '' && s !== `${n.plural}Context`);
    return `${head}${entries.join(', ')}]`;
  });
}

export function removeGatewayDependency(text: string, n: ContextNames): string {
  const pkg = JSON.parse(text) as { dependencies?: Record<string, string> };
  delete pkg.dependencies?.[`@cqrs/${n.plural}-domain`];
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export function removeStackServices(text: string, n: ContextNames): string {
  const list = JSON.parse(text) as { services: ServiceEntry[]; [key: string]: unknown };
  const u = upper(n.plural);
  const variables = [`${u}_COMMAND_UPSTREAMS`, `${u}_QUERY_UPSTREAMS`];
  list.services = list.services.filter((s) => s.context !== n.plural);
  for (const service of list.services) {
    service.requiredEnv = service.requiredEnv.filter((v) => !variables.includes(v));
    if (service.upstreams)
      service.upstreams = Object.fromEntries(
        Object.entries(service.upstreams).filter(([v]) => !variables.includes(v)),
      );
  }
  return `${JSON.stringify(list, null, 2)}\n`;
}

/**
 * package.json (the root): what runs something inside the context's folders (the example's
 * demo, benchmarks and projector tools), which would fail once the folders are gone. A script
 * chained with `&&` loses only the commands in the context (the demo of two contexts keeps the
 * other's); a script left with nothing but its build step goes. A generated context has none,
 * so for it this changes nothing.
 */
export function removeRootScripts(text: string, homes: readonly string[]): string {
  const pkg = JSON.parse(text) as { scripts?: Record<string, string> };
  const inRemoved = (command: string): boolean =>
    homes.some((home) => command.includes(`${home}/`));
  const scripts = Object.entries(pkg.scripts ?? {});
  if (!scripts.some(([, command]) => inRemoved(command))) return text;
  const kept: [string, string][] = [];
  for (const [name, command] of scripts) {
    const parts = command.split(' && ');
    const left = parts.filter((part) => !inRemoved(part));
    if (left.length === parts.length) kept.push([name, command]);
    else if (left.some((part) => !/^pnpm( -s)? build$/.test(part.trim())))
      kept.push([name, left.join(' && ')]);
  }
  pkg.scripts = Object.fromEntries(kept);
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
