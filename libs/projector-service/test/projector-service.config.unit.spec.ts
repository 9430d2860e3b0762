import { eventsTopicEnvName, loadProjectorServiceConfig } from '../src';

const env = {
  KAFKA_BROKERS: 'kafka:9092',
  DATABASE_URL: 'postgres://parcels_projector:secret@postgres/parcels_projector',
  INTERNAL_TOKEN: 'dev-only-internal-token-change-me',
};
const parcels = { name: 'parcels', aggregate: { name: 'parcel' } };

// The command service names it by the same rule (its own config test); the read side must not
// depend on the write side's lib (read-side-independence), so the rule is checked here by value.
it('names the topic variable from the descriptor, as the command service does', () => {
  expect(eventsTopicEnvName(parcels)).toBe('PARCELS_EVENTS_TOPIC');
  expect(eventsTopicEnvName({ name: 'line-items' })).toBe('LINE_ITEMS_EVENTS_TOPIC');
});

it("derives the service's names and defaults from the context", () => {
  const config = loadProjectorServiceConfig(parcels, env, { defaultPort: 3004 });
  expect(config).toMatchObject({
    service: 'parcels-projector',
    eventsTopic: 'ledger.parcels.events',
    KAFKA_GROUP_ID: 'parcels-projector',
    READ_MODEL_SCHEMA: 'parcels_rm',
    ROLE: 'all',
    PORT: 3004,
  });
  const custom = { ...env, PARCELS_EVENTS_TOPIC: 'other.topic', ROLE: 'query' };
  expect(loadProjectorServiceConfig(parcels, custom, { defaultPort: 3004 })).toMatchObject({
    eventsTopic: 'other.topic',
    ROLE: 'query',
  });
});

it('names every bad variable', () => {
  expect(() =>
    loadProjectorServiceConfig(
      parcels,
      { ...env, ROLE: 'both', INTERNAL_TOKEN: 'x' },
      {
        defaultPort: 3004,
      },
    ),
  ).toThrow(/ROLE[\s\S]*INTERNAL_TOKEN|INTERNAL_TOKEN[\s\S]*ROLE/);
});
