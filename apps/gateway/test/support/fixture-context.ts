import { z } from 'zod';
import { commandsOf, defineContext, PageQuerySchema } from '@cqrs/context';

/**
 * A context that exists only in the gateway's tests, defined with defineContext alone: the
 * gateway's generic behaviour (authentication, limits, validation, problem+json, the OpenAPI
 * document) is tested through it, so those tests outlive the removal of the example context.
 * Its nouns name no context of the repository. It has a creating command (no id in the path),
 * a command on an existing parcel that requires an Idempotency-Key, one with an optional body,
 * an internal one (never routed), a query of one parcel and a paged list.
 */
type ParcelCommand =
  | { type: 'RegisterParcel'; parcelId: string; weightGrams: number }
  | { type: 'ShipParcel'; parcelId: string; carrier: string }
  | { type: 'CancelParcel'; parcelId: string };
type ParcelEvent = { type: 'ParcelRegistered'; schemaVersion: 1; data: { weightGrams: number } };
type ParcelError = {
  code: 'PARCEL_NOT_FOUND' | 'PARCEL_ALREADY_SHIPPED' | 'PARCEL_CANCELLED';
  message: string;
};

/** A parcel id as a client may write it; the gateway forwards its lower-case form. */
export const FIXTURE_ID = '5F0C6A7E-1B2C-4D3E-8F90-A1B2C3D4E5F6';

const ParcelIdSchema = z.guid({ error: 'must be a UUID' }).meta({
  description: 'The parcel id (a UUID).',
  example: '5f0c6a7e-1b2c-4d3e-8f90-a1b2c3d4e5f6',
});
const ParcelSchema = z.object({ parcelId: ParcelIdSchema, weightGrams: z.int().min(1) });
const command = commandsOf<ParcelCommand>();

export const fixtureContext = defineContext<
  ParcelCommand,
  { shipped: boolean },
  ParcelEvent,
  ParcelError
>({
  name: 'parcels',
  description: 'Parcels from registration to shipping.',
  aggregate: {
    name: 'parcel',
    idParam: 'parcelId',
    idSchema: ParcelIdSchema.transform((id) => id.toLowerCase()),
    decider: {
      initialState: () => ({ shipped: false }),
      decide: () => ({ ok: true, events: [] }),
      evolve: (state) => state,
    },
    events: {
      parseEvent: () => {
        throw new Error('the gateway never reads events');
      },
    },
    isNotFound: (error) => error.code === 'PARCEL_NOT_FOUND',
  },
  errorStatus: { PARCEL_NOT_FOUND: 404, PARCEL_ALREADY_SHIPPED: 409, PARCEL_CANCELLED: 422 },
  commands: [
    command({
      operationId: 'registerParcel',
      name: 'RegisterParcel',
      method: 'POST',
      path: '/parcels',
      summary: 'Register a parcel',
      body: z.strictObject({ weightGrams: z.int().min(1) }),
      success: { description: 'Registered.' },
      problems: [413, 415],
      toCommand: ({ streamId, body }) => ({
        type: 'RegisterParcel',
        parcelId: streamId,
        weightGrams: body.weightGrams,
      }),
    }),
    command({
      operationId: 'shipParcel',
      name: 'ShipParcel',
      method: 'POST',
      path: '/parcels/:parcelId/shipments',
      summary: 'Ship a parcel',
      body: z.strictObject({ carrier: z.string().min(1) }),
      requiresIdempotencyKey: true,
      success: { description: 'Shipped.' },
      problems: [404, 409, 412, 413, 415, 422],
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
      summary: 'Cancel a parcel',
      body: z.strictObject({}),
      bodyOptional: true,
      success: { description: 'Cancelled.' },
      problems: [404],
      toCommand: ({ streamId }) => ({ type: 'CancelParcel', parcelId: streamId }),
    }),
    command({
      operationId: 'recallParcel',
      name: 'CancelParcel',
      method: 'POST',
      path: '/internal/parcels/:parcelId/recalls',
      // For other services acting as the system: the gateway must neither route nor document it.
      access: 'internal',
      summary: 'Cancel a parcel on behalf of the system',
      body: z.strictObject({}),
      bodyOptional: true,
      success: { description: 'Recalled.' },
      problems: [404],
      toCommand: ({ streamId }) => ({ type: 'CancelParcel', parcelId: streamId }),
    }),
  ],
  queries: [
    {
      operationId: 'getParcel',
      method: 'GET',
      path: '/parcels/:parcelId',
      summary: 'One parcel',
      params: z.strictObject({ parcelId: ParcelIdSchema }),
      success: { status: 200, schema: 'Parcel', description: 'The parcel.' },
      problems: [404],
    },
    {
      operationId: 'listParcels',
      method: 'GET',
      path: '/parcels',
      summary: 'Parcels, a page at a time',
      query: PageQuerySchema,
      success: { status: 200, schema: 'ParcelsPage', description: 'A page of parcels.' },
      problems: [],
    },
  ],
  schemas: {
    Parcel: ParcelSchema,
    ParcelsPage: z.object({ items: z.array(ParcelSchema), nextCursor: z.string().nullable() }),
  },
  projections: ['parcels'],
});
