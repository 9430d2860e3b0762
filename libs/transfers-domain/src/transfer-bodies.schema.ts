import { TransferTitleSchema } from '@cqrs/events';
import { z } from 'zod';

/**
 * HTTP bodies of the transfer commands (public contract). Strict: an unknown field is a 400,
 * never silently ignored. The limits come from the event schemas, so they cannot drift.
 */
export const TransferTitleBodySchema = z.strictObject({
  title: TransferTitleSchema.meta({ example: 'First' }),
});
export type TransferTitleBody = z.infer<typeof TransferTitleBodySchema>;
