import { z } from 'zod';

/**
 * SampleArchived v1 (written by `pnpm gen event`). Published once deployed: its JSON Schema in
 * docs/events is frozen, so a change is a new version (`pnpm gen event` again) with an upcaster.
 */
export const SampleArchivedV1DataSchema = z.strictObject({
  sampleId: z.uuid(),
  note: z.string().min(1).max(500),
});
export type SampleArchivedData = z.infer<typeof SampleArchivedV1DataSchema>;
