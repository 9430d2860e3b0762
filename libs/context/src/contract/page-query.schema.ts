import { z } from 'zod';

/** Page size bounds of every list query. */
export const PAGE_LIMIT = { min: 1, max: 100, default: 20 } as const;

const LIMIT_MESSAGE = `an integer from ${PAGE_LIMIT.min} to ${PAGE_LIMIT.max}`;

/**
 * `?limit=&cursor=` as the wire carries them (strings): what the gateway validates, forwards
 * and documents. The cursor is opaque (base64url issued by the query API).
 */
export const PageQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, LIMIT_MESSAGE)
    .refine((raw) => Number(raw) >= PAGE_LIMIT.min && Number(raw) <= PAGE_LIMIT.max, LIMIT_MESSAGE)
    .optional()
    .meta({
      description: `Page size, ${PAGE_LIMIT.min}..${PAGE_LIMIT.max} (default ${PAGE_LIMIT.default}).`,
      example: String(PAGE_LIMIT.default),
    }),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,512}$/, 'a cursor this API issued')
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page (opaque).' }),
});

/** The same rules, read by the service that pages: the limit as a number, defaulted. */
export const PageParamsSchema = PageQuerySchema.transform(({ limit, cursor }) => ({
  limit: limit === undefined ? PAGE_LIMIT.default : Number(limit),
  ...(cursor === undefined ? {} : { cursor }),
}));
export type PageParams = z.output<typeof PageParamsSchema>;
