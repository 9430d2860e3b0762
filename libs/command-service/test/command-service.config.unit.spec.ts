import { contextEnvNames, loadCommandServiceConfig } from '@cqrs/command-service';
import { parcelsContext } from './support/parcels.context';

const env = {
  KAFKA_BROKERS: 'kafka:9092',
  DATABASE_URL: 'postgres://parcels:dev-only-parcels@postgres/parcels',
  INTERNAL_TOKEN: 'dev-only-internal-token-change-me',
};

it('given a context, when naming its own variables, then they derive from its names', () => {
  expect(contextEnvNames(parcelsContext)).toEqual({
    eventsTopic: 'PARCELS_EVENTS_TOPIC',
    maxQueuedPerStream: 'COMMAND_MAX_QUEUED_PER_PARCEL',
  });
});

it('given only the required variables, then the context defaults apply', () => {
  const config = loadCommandServiceConfig(parcelsContext, env, { defaultPort: 3005 });
  expect(config).toMatchObject({
    service: 'parcels-command',
    eventsTopic: 'ledger.parcels.events',
    maxQueuedPerStream: 64,
    PORT: 3005,
    OUTBOX_RELAY: true,
  });
});

it('given the context variables, then they are read, and a bad one is named', () => {
  const config = loadCommandServiceConfig(
    parcelsContext,
    { ...env, PARCELS_EVENTS_TOPIC: 'test.parcels', COMMAND_MAX_QUEUED_PER_PARCEL: '8' },
    { defaultPort: 3005 },
  );
  expect(config).toMatchObject({ eventsTopic: 'test.parcels', maxQueuedPerStream: 8 });
  expect(() =>
    loadCommandServiceConfig(
      parcelsContext,
      { ...env, COMMAND_MAX_QUEUED_PER_PARCEL: '0', APPEND_MAX_BATCH: 'x' },
      { defaultPort: 3005 },
    ),
  ).toThrow(
    /COMMAND_MAX_QUEUED_PER_PARCEL[\s\S]*APPEND_MAX_BATCH|APPEND_MAX_BATCH[\s\S]*COMMAND_MAX_QUEUED_PER_PARCEL/,
  );
});

it('given no SYSTEM_TOKEN, then it is unset (no internal routes); given one, it is read', () => {
  expect(loadCommandServiceConfig(parcelsContext, env, { defaultPort: 3005 }).SYSTEM_TOKEN).toBe(
    undefined,
  );
  const token = 'dev-only-system-token-change-me';
  expect(
    loadCommandServiceConfig(parcelsContext, { ...env, SYSTEM_TOKEN: token }, { defaultPort: 3005 })
      .SYSTEM_TOKEN,
  ).toBe(token);
});

it.each([
  ['shorter than 16 characters', 'short', /SYSTEM_TOKEN[\s\S]*at least 16/],
  ['equal to INTERNAL_TOKEN', env.INTERNAL_TOKEN, /SYSTEM_TOKEN[\s\S]*differ from INTERNAL_TOKEN/],
])('given a SYSTEM_TOKEN %s, then loading fails naming it', (_what, token, message) => {
  expect(() =>
    loadCommandServiceConfig(
      parcelsContext,
      { ...env, SYSTEM_TOKEN: token },
      { defaultPort: 3005 },
    ),
  ).toThrow(message);
});

it('given NODE_ENV=production, then a development SYSTEM_TOKEN is refused', () => {
  expect(() =>
    loadCommandServiceConfig(
      parcelsContext,
      {
        ...env,
        NODE_ENV: 'production',
        INTERNAL_TOKEN: 'a-real-internal-token-0123456789-abcdef',
        DATABASE_URL: 'postgres://parcels:real-password@postgres/parcels',
        SYSTEM_TOKEN: 'dev-only-system-token-change-me-0123456789',
      },
      { defaultPort: 3005 },
    ),
  ).toThrow(/SYSTEM_TOKEN has a development value/);
});
