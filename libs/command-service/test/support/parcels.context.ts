import { z } from 'zod';
import { commandsOf, defineContext, type Decider } from '@cqrs/context';
import { createEventRegistry, defineEvent, type EventPayload, type NewEventOf } from '@cqrs/events';

/**
 * A made-up second context, small enough to read at once: parcels are registered with a
 * weight, shipped once by a carrier, or cancelled before. It exists to show that serving a
 * context takes a descriptor and no service code.
 */
const ParcelIdSchema = z.guid({ error: 'must be a UUID' });

const parcelEvents = [
  defineEvent({
    type: 'ParcelRegistered',
    schemaVersion: 1,
    schema: z.strictObject({ parcelId: ParcelIdSchema, weightGrams: z.int().positive() }),
  }),
  defineEvent({
    type: 'ParcelShipped',
    schemaVersion: 1,
    schema: z.strictObject({ parcelId: ParcelIdSchema, carrier: z.string() }),
  }),
  defineEvent({
    type: 'ParcelCancelled',
    schemaVersion: 1,
    schema: z.strictObject({ parcelId: ParcelIdSchema }),
  }),
] as const;
type ParcelEvent = NewEventOf<(typeof parcelEvents)[number]>;

type ParcelCommand =
  | { type: 'RegisterParcel'; parcelId: string; weightGrams: number }
  | { type: 'ShipParcel'; parcelId: string; carrier: string }
  | { type: 'CancelParcel'; parcelId: string };
type ParcelState = { status: 'none' | 'registered' | 'shipped' | 'cancelled' };
type ParcelError = {
  code:
    'PARCEL_NOT_FOUND' | 'PARCEL_ALREADY_EXISTS' | 'PARCEL_ALREADY_SHIPPED' | 'PARCEL_CANCELLED';
  message: string;
};

const reject = (code: ParcelError['code'], message: string) =>
  ({ ok: false, error: { code, message } }) as const;
const accept = (event: ParcelEvent) => ({ ok: true, events: [event] }) as const;

function decide(command: ParcelCommand, state: ParcelState) {
  if (command.type === 'RegisterParcel') {
    if (state.status !== 'none') return reject('PARCEL_ALREADY_EXISTS', 'registered before');
    const { parcelId, weightGrams } = command;
    return accept({
      type: 'ParcelRegistered',
      schemaVersion: 1,
      data: { parcelId, weightGrams },
    });
  }
  if (state.status === 'none') return reject('PARCEL_NOT_FOUND', 'no such parcel');
  if (state.status === 'shipped') return reject('PARCEL_ALREADY_SHIPPED', 'shipped already');
  if (state.status === 'cancelled') return reject('PARCEL_CANCELLED', 'the parcel is cancelled');
  return command.type === 'ShipParcel'
    ? accept({
        type: 'ParcelShipped',
        schemaVersion: 1,
        data: { parcelId: command.parcelId, carrier: command.carrier },
      })
    : accept({ type: 'ParcelCancelled', schemaVersion: 1, data: { parcelId: command.parcelId } });
}

function evolve(_state: ParcelState, event: EventPayload<ParcelEvent>): ParcelState {
  switch (event.type) {
    case 'ParcelRegistered':
      return { status: 'registered' };
    case 'ParcelShipped':
      return { status: 'shipped' };
    case 'ParcelCancelled':
      return { status: 'cancelled' };
  }
}

const decider: Decider<ParcelCommand, ParcelState, ParcelEvent, ParcelError> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};

const command = commandsOf<ParcelCommand>();
const ON_PARCEL = [404, 409, 412, 422];

export const parcelsContext = defineContext({
  name: 'parcels',
  description: 'Parcels registered, then shipped or cancelled (a test context).',
  aggregate: {
    name: 'parcel',
    idParam: 'parcelId',
    idSchema: ParcelIdSchema.transform((id) => id.toLowerCase()),
    decider,
    events: createEventRegistry(parcelEvents),
    isNotFound: (error) => error.code === 'PARCEL_NOT_FOUND',
    summary: {
      path: '/internal/parcels/:parcelId/status',
      of: (state) => (state.status === 'none' ? undefined : { status: state.status }),
    },
  },
  errorStatus: {
    PARCEL_NOT_FOUND: 404,
    PARCEL_ALREADY_EXISTS: 409,
    PARCEL_ALREADY_SHIPPED: 409,
    PARCEL_CANCELLED: 422,
  },
  commands: [
    command({
      operationId: 'registerParcel',
      name: 'RegisterParcel',
      method: 'POST',
      path: '/parcels',
      summary: 'Register a parcel',
      body: z.strictObject({ weightGrams: z.int().min(1).max(30_000) }),
      success: { description: 'Registered.' },
      problems: [],
      toCommand: ({ streamId, body }) => ({
        type: 'RegisterParcel',
        parcelId: streamId,
        weightGrams: body.weightGrams,
      }),
    }),
    command({
      operationId: 'shipParcel',
      name: 'ShipParcel',
      method: 'PUT',
      path: '/parcels/:parcelId/shipment',
      summary: 'Ship a parcel',
      body: z.strictObject({ carrier: z.enum(['post', 'courier']) }),
      requiresIdempotencyKey: true,
      success: { description: 'Shipped.' },
      problems: ON_PARCEL,
      toCommand: ({ streamId, body }) => ({
        type: 'ShipParcel',
        parcelId: streamId,
        carrier: body.carrier,
      }),
    }),
    command({
      operationId: 'cancelParcel',
      name: 'CancelParcel',
      method: 'DELETE',
      path: '/parcels/:parcelId',
      summary: 'Cancel a parcel before it ships',
      body: z.strictObject({}),
      bodyOptional: true,
      success: { description: 'Cancelled.' },
      problems: ON_PARCEL,
      toCommand: ({ streamId }) => ({ type: 'CancelParcel', parcelId: streamId }),
    }),
    command({
      operationId: 'recallParcel',
      name: 'RecallParcel',
      method: 'POST',
      path: '/internal/parcels/:parcelId/recalls',
      access: 'internal',
      summary: 'Cancel a parcel on behalf of the system (a recall)',
      body: z.strictObject({ reason: z.string().min(1) }),
      requiresIdempotencyKey: true,
      success: { description: 'Recalled.' },
      problems: ON_PARCEL,
      toCommand: ({ streamId }) => ({ type: 'CancelParcel', parcelId: streamId }),
    }),
  ],
  queries: [],
  schemas: {},
  projections: [],
});
