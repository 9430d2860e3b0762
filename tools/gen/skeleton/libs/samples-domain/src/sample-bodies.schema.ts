import { SampleTitleSchema } from '@cqrs/events';
import { z } from 'zod';

/**
 * HTTP bodies of the sample commands (public contract). Strict: an unknown field is a 400,
 * never silently ignored. The limits come from the event schemas, so they cannot drift.
 */
export const SampleTitleBodySchema = z.strictObject({
  title: SampleTitleSchema.meta({ example: 'First' }),
});
export type SampleTitleBody = z.infer<typeof SampleTitleBodySchema>;
