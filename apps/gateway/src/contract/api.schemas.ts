import { z } from 'zod';
import type { AnyContext } from '@cqrs/context';

/**
 * The gateway's own part of the public contract (docs/api-contract.md): the problem+json every
 * route may answer and the shape of a command's answer. Request bodies, path parameters and
 * query answers come from the contexts' descriptors; headers and paging from the platform.
 */

/** RFC 9457 with the contract's stable `code`; VALIDATION_FAILED adds `errors` with pointers. */
export const ProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string().meta({ example: 'VALIDATION_FAILED' }),
  errors: z.array(z.looseObject({ message: z.string() })).optional(),
});

/**
 * What every command of a context answers: the stream's id under the aggregate's idParam, the
 * new version, and the consistency token to send back on a query.
 */
export const commandAcceptedSchema = (context: AnyContext): z.ZodObject =>
  z.object({
    // The id schema may canonicalise (a transform, which JSON Schema cannot show); the id in an
    // answer is already canonical, so its accepted form describes it.
    [context.aggregate.idParam]: acceptedForm(context.aggregate.idSchema),
    version: z.int().min(1),
    consistencyToken: z.string(),
  });

const acceptedForm = (schema: z.ZodType): z.ZodType =>
  schema instanceof z.ZodPipe ? acceptedForm(schema.in as z.ZodType) : schema;
