import { commandsOf, defineContext, PageQuerySchema } from '@cqrs/context';
import { sampleEventRegistry } from '@cqrs/events';
import { SampleTitleBodySchema } from '../sample-bodies.schema';
import type { SampleCommand } from '../sample.commands';
import { decide } from '../sample.decider';
import { evolve, initialState } from '../sample.state';
import {
  SampleIdParamSchema,
  SamplePathSchema,
  SampleSchema,
  SamplesPageSchema,
} from './sample-responses.schema';

const command = commandsOf<SampleCommand>();

/**
 * The samples context as data: the command service, the gateway and the stack are built from
 * this. The HTTP status of each domain error is decided here, at the edge; the decider only
 * knows codes.
 */
export const samplesContext = defineContext({
  name: 'samples',
  description: 'Samples: created and renamed by their owner.',
  aggregate: {
    name: 'sample',
    idParam: 'sampleId',
    idSchema: SampleIdParamSchema.transform((id) => id.toLowerCase()),
    decider: { decide, evolve, initialState },
    events: sampleEventRegistry,
    isNotFound: (error) => error.code === 'SAMPLE_NOT_FOUND',
  },
  errorStatus: {
    SAMPLE_NOT_FOUND: 404,
    SAMPLE_ALREADY_EXISTS: 409,
    // Fires only when a caller skipped body validation (a 400 first).
    SAMPLE_INVALID_TITLE: 422,
  },
  commands: [
    command({
      operationId: 'createSample',
      name: 'CreateSample',
      method: 'POST',
      path: '/samples',
      summary: 'Create one sample owned by the caller',
      body: SampleTitleBodySchema,
      success: { description: 'The sample is created.' },
      problems: [413, 415, 422, 504],
      toCommand: ({ streamId, actorId, body }) => ({
        type: 'CreateSample',
        sampleId: streamId,
        actorId,
        ownerId: actorId,
        title: body.title,
      }),
    }),
    command({
      operationId: 'renameSample',
      name: 'RenameSample',
      method: 'POST',
      path: '/samples/:sampleId/rename',
      summary: 'Rename one sample',
      body: SampleTitleBodySchema,
      success: { description: 'Renamed.' },
      problems: [404, 409, 412, 413, 415, 422, 504],
      toCommand: ({ streamId, actorId, body }) => ({
        type: 'RenameSample',
        sampleId: streamId,
        actorId,
        title: body.title,
      }),
    }),
    // gen:commands (pnpm gen command adds an entry here)
  ],
  queries: [
    {
      operationId: 'listSamples',
      method: 'GET',
      path: '/samples',
      summary: "The caller's samples, a page at a time",
      query: PageQuerySchema,
      success: { status: 200, schema: 'SamplesPage', description: 'A page of samples.' },
      problems: [],
    },
    {
      operationId: 'getSample',
      method: 'GET',
      path: '/samples/:sampleId',
      summary: 'One sample of the caller',
      params: SamplePathSchema,
      success: { status: 200, schema: 'Sample', description: 'The sample.' },
      problems: [404],
    },
  ],
  schemas: { Sample: SampleSchema, SamplesPage: SamplesPageSchema },
  projections: ['samples'],
});
