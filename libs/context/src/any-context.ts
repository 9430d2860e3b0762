import type { z } from 'zod';
import type { CommandDescriptor, QueryDescriptor } from './context-descriptor';

/**
 * Any registered context, as the generic edge (gateway, OpenAPI, stack) reads it: the parts
 * that do not mention the context's command, state, event or error types. A typed
 * `ContextDescriptor<MyCommand, ...>` is not a `ContextDescriptor<unknown>` (its decider
 * takes only its own commands), but it is always an `AnyContext`, so a list of contexts of
 * different types needs no cast.
 */
export interface AnyContext {
  readonly name: string;
  readonly description: string;
  readonly aggregate: {
    readonly name: string;
    readonly idParam: string;
    readonly idSchema: z.ZodType<string, string>;
  };
  readonly errorStatus: Readonly<Record<string, number>>;
  readonly commands: readonly CommandDescriptor<unknown>[];
  readonly queries: readonly QueryDescriptor[];
  readonly schemas: Readonly<Record<string, z.ZodType>>;
  readonly projections: readonly string[];
}
