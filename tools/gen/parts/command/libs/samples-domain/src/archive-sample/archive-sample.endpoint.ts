import { commandsOf } from '@cqrs/context';
import type { SampleCommand } from '../sample.commands';
import { ArchiveSampleBodySchema } from './archive-sample.command';

/**
 * ArchiveSample over HTTP (written by `pnpm gen command`): an entry of the descriptor's
 * `commands`, so the command service and the gateway (routes, OpenAPI) serve it.
 */
export const archiveSampleEndpoint = commandsOf<SampleCommand>()({
  operationId: 'archiveSample',
  name: 'ArchiveSample',
  method: 'POST',
  path: '/samples/:sampleId/archive-sample',
  summary: 'Archive sample',
  body: ArchiveSampleBodySchema,
  success: { description: 'Done.' },
  problems: [404, 409, 412, 413, 415, 422, 504],
  toCommand: ({ streamId, actorId, body }) => ({
    type: 'ArchiveSample',
    sampleId: streamId,
    actorId,
    note: body.note,
  }),
});
