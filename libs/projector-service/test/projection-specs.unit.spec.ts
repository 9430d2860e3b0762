import type { Projection } from '@cqrs/projections';
import { projectionSpecs } from '../src';

const named = (name: string) => ({ name }) as Projection;
const config = {
  READ_MODEL_SCHEMA: 'parcels_rm',
  KAFKA_GROUP_ID: 'parcels-projector',
  eventsTopic: 't',
};

it('given several projections, the first keeps the configured schema and group, the others derive theirs', () => {
  expect(projectionSpecs([named('parcels'), named('routes')], config)).toEqual([
    {
      projection: named('parcels'),
      schema: 'parcels_rm',
      topic: 't',
      groupId: 'parcels-projector',
      deadLetterTopic: 't.dlq.parcels-projector',
    },
    {
      projection: named('routes'),
      schema: 'routes_rm',
      topic: 't',
      groupId: 'parcels-projector.routes',
      deadLetterTopic: 't.dlq.parcels-projector.routes',
    },
  ]);
});
