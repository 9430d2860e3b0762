import { SampleArchivedV1DataSchema } from '@cqrs/events';
import { z } from 'zod';

/**
 * ArchiveSample (written by `pnpm gen command`): the command and its HTTP body. `actorId` is the
 * token's subject, set by the HTTP layer, never taken from the body.
 */
export interface ArchiveSample {
  readonly type: 'ArchiveSample';
  readonly sampleId: string;
  readonly actorId: string;
  readonly note: string;
}

/** Strict: an unknown field is a 400. The limits come from the event schema, so they cannot drift. */
export const ArchiveSampleBodySchema = z.strictObject({
  note: SampleArchivedV1DataSchema.shape.note.meta({ example: 'Why it happens' }),
});
export type ArchiveSampleBody = z.infer<typeof ArchiveSampleBodySchema>;
