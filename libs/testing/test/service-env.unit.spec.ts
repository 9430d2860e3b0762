import { isUpstream, serviceEnvironment, type ServiceDefinition } from '@cqrs/testing';

/** Two contexts' services and a gateway: each upstream variable lists only its own context. */
const service = (name: string, role: ServiceDefinition['role'], context?: string) =>
  ({
    name,
    app: name,
    role,
    context,
    portEnv: 'PORT',
    healthPath: '/',
    localPort: 1,
    requiredEnv: [],
  }) as ServiceDefinition;

const started = [
  service('orders-command', 'command', 'orders'),
  service('orders-query', 'query', 'orders'),
  service('parcels-command', 'command', 'parcels'),
];

const gateway: ServiceDefinition = {
  ...service('gateway', 'gateway'),
  upstreams: {
    ORDERS_COMMAND_UPSTREAMS: { role: 'command', context: 'orders' },
    ORDERS_QUERY_UPSTREAMS: { role: 'query', context: 'orders' },
    PARCELS_COMMAND_UPSTREAMS: { role: 'command', context: 'parcels' },
  },
  requiredEnv: ['ORDERS_COMMAND_UPSTREAMS', 'PARCELS_COMMAND_UPSTREAMS'],
};

it('gives each context its own command and query services', () => {
  const env = serviceEnvironment(gateway, {
    kafkaBrokers: [],
    secrets: {},
    urlsOf: (target) =>
      started.filter((s) => isUpstream(s, target)).map((s) => `http://${s.name}:3000`),
  });
  expect(env).toEqual({
    ORDERS_COMMAND_UPSTREAMS: 'http://orders-command:3000',
    ORDERS_QUERY_UPSTREAMS: 'http://orders-query:3000',
    PARCELS_COMMAND_UPSTREAMS: 'http://parcels-command:3000',
  });
});

it('lists every service of the role when the variable names no context', () => {
  expect(started.filter((s) => isUpstream(s, { role: 'command' })).map((s) => s.name)).toEqual([
    'orders-command',
    'parcels-command',
  ]);
});

it('hands over an optional variable when it is known, and leaves it out when not', () => {
  const command: ServiceDefinition = {
    ...service('orders-command', 'command', 'orders'),
    requiredEnv: ['INTERNAL_TOKEN'],
    optionalEnv: ['SYSTEM_TOKEN'],
  };
  const context = { kafkaBrokers: [], urlsOf: () => [] };
  expect(
    serviceEnvironment(command, {
      ...context,
      secrets: { INTERNAL_TOKEN: 'i', SYSTEM_TOKEN: 's', AUTH_JWT_SECRET: 'j' },
    }),
  ).toEqual({ INTERNAL_TOKEN: 'i', SYSTEM_TOKEN: 's' });
  expect(serviceEnvironment(command, { ...context, secrets: { INTERNAL_TOKEN: 'i' } })).toEqual({
    INTERNAL_TOKEN: 'i',
  });
});
