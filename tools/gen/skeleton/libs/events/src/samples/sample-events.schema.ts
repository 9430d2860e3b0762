import { z } from 'zod';

export const SampleIdSchema = z.uuid();
export const SampleTitleSchema = z.string().min(1).max(200);

export const SampleCreatedV1DataSchema = z.strictObject({
  sampleId: SampleIdSchema,
  ownerId: z.string().min(1).max(200),
  title: SampleTitleSchema,
});
export type SampleCreatedData = z.infer<typeof SampleCreatedV1DataSchema>;

export const SampleRenamedV1DataSchema = z.strictObject({
  sampleId: SampleIdSchema,
  title: SampleTitleSchema,
});
export type SampleRenamedData = z.infer<typeof SampleRenamedV1DataSchema>;
