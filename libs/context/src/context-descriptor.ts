import type { z } from 'zod';
import type { EnvelopeOf, EventParseResult, NewEvent } from '@cqrs/events';
import type { Decider, DomainError } from './decider';

/**
 * A bounded context as data. Its own lib exports one; the command-service factory serves its
 * commands, the gateway builds routes, upstream groups, validation and OpenAPI from it, and the
 * stack lists its services. Nothing generic names a context: adding one is registering its
 * descriptor, deleting one is unregistering it.
 */
export interface ContextDescriptor<
  Command = unknown,
  State = unknown,
  Event extends NewEvent = NewEvent,
  Error extends DomainError = DomainError,
> {
  /**
   * One lower-case word, `[a-z][a-z0-9]*`: it names the context's upstream groups
   * (`<CONTEXT>_COMMAND_UPSTREAMS`), OpenAPI tags and metric labels.
   */
  readonly name: string;
  /** One line for the docs (OpenAPI tag description). */
  readonly description: string;
  readonly aggregate: AggregateDescriptor<Command, State, Event, Error>;
  /**
   * Each decider error code's HTTP status. It belongs to the edge, not to the domain, so it is
   * here and not beside the decider; a code missing from the map fails the type check.
   */
  readonly errorStatus: Readonly<Record<Error['code'], 400 | 403 | 404 | 409 | 422>>;
  readonly commands: readonly CommandDescriptor<Command>[];
  readonly queries: readonly QueryDescriptor[];
  /** Named response schemas (OpenAPI `#/components/schemas/<name>`), e.g. `Order`. */
  readonly schemas: Readonly<Record<string, z.ZodType>>;
  /** The read models its projector runs, by projection name. */
  readonly projections: readonly string[];
}

export interface AggregateDescriptor<
  Command,
  State,
  Event extends NewEvent,
  Error extends DomainError,
> {
  /** Singular of the context's name, for docs and messages. */
  readonly name: string;
  /**
   * The path parameter that names a stream and the field that carries its id in a command's
   * answer (`<aggregate>Id` by convention). A command whose path lacks it creates a new stream.
   */
  readonly idParam: string;
  /** Validates the id taken from a path; its output is the canonical stream id. */
  readonly idSchema: z.ZodType<string, string>;
  readonly decider: Decider<Command, State, Event, Error>;
  /** Validates and upcasts stored events before they are folded (the context's registry). */
  readonly events: {
    parseEvent(input: unknown): EventParseResult<EnvelopeOf<Event>>;
  };
  /** Errors that mean "no such stream for this caller" (404); they win over If-Match. */
  readonly isNotFound: (error: Error) => boolean;
  /**
   * An internal read of one stream's current state, exact (folded from the event store, not a
   * read model), for other services that must check a fact before they act (who owns it, is it
   * open). Served by the command service at `GET <path>` to system callers only; `of` answers
   * `undefined` when the stream is not an aggregate (404).
   */
  readonly summary?: AggregateSummary<State>;
}

export interface AggregateSummary<State> {
  /** fastify syntax, under `/internal/`, naming `:<idParam>`: `/internal/<context>/:<idParam>/...`. */
  readonly path: string;
  readonly of: (state: State) => object | undefined;
}

/**
 * Who may call a command. `internal` commands are for other services acting as the system (a
 * process manager moving money, say): the command service serves them under `/internal/` only
 * to callers presenting the system credential, the gateway never routes them, and they are in
 * no public document.
 */
export type CommandAccess = 'public' | 'internal';

/** Where internal routes live; public routes never start with it. */
export const INTERNAL_PATH_PREFIX = '/internal/';

export interface CommandInput<Body> {
  /** The stream the command acts on: the path's id, or a new UUID for a creating command. */
  readonly streamId: string;
  /**
   * The authenticated subject (the gateway's X-Actor-Id), never taken from the body; for an
   * internal command the system actor (`system`).
   */
  readonly actorId: string;
  readonly body: Body;
}

interface RouteDocs {
  /** OpenAPI operationId, unique over every registered context. */
  readonly operationId: string;
  readonly summary: string;
  /** Problem statuses the route documents besides the ones every protected route has. */
  readonly problems: readonly number[];
}

export type CommandMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a context writes per command; `defineCommand` checks the body type against `toCommand`. */
export interface CommandSpec<S extends z.ZodType, Command> extends RouteDocs {
  /** The decider's command type; labels metrics and keys the idempotency request hash. */
  readonly name: string;
  readonly method: CommandMethod;
  /**
   * fastify syntax: `/<context>/:<idParam>/<action>`; an internal command's path starts with
   * `/internal/`.
   */
  readonly path: string;
  /** Default `public`. */
  readonly access?: CommandAccess;
  /** Path parameters; by default `{ <idParam>: idSchema }` when the path names the stream. */
  readonly params?: z.ZodObject;
  /** Strict object schema of the body: an unknown field is a 400. */
  readonly body: S;
  /** An absent body is validated as `{}` (a command that takes no body or `{}`). */
  readonly bodyOptional?: boolean;
  /**
   * A retry after an unknown outcome (504) must not apply the command twice, so the client
   * has to name it with an Idempotency-Key (400 IDEMPOTENCY_KEY_REQUIRED without).
   */
  readonly requiresIdempotencyKey?: boolean;
  readonly success: CommandSuccess;
  readonly toCommand: (input: CommandInput<z.output<S>>) => Command;
}

/**
 * How an accepted command answers. By default 201 when it starts a stream, else 200, with
 * `{<idParam>, version, consistencyToken}`. A command whose outcome a process decides later
 * (an order: placed now, settled or refused by a process) answers 202 instead, may add
 * fixed fields (`{ status: 'pending' }`) and may name where the result will be (`Location`).
 */
export interface CommandSuccess {
  readonly description: string;
  /** 202 Accepted: the command is stored; what it leads to is decided asynchronously. */
  readonly status?: 202;
  /** Fixed fields the answer carries besides the id, version and consistency token. */
  readonly fields?: Readonly<Record<string, string>>;
  /** The created resource's path for a Location header, naming `:<idParam>`: `/orders/:orderId`. */
  readonly location?: string;
}

/** A command as the generic parts see it (body type erased, derived facts filled in). */
export interface CommandDescriptor<Command = unknown> extends Omit<
  CommandSpec<z.ZodType, Command>,
  'toCommand' | 'params' | 'access'
> {
  readonly access: CommandAccess;
  /** The path has no `:<idParam>`: the command starts a new stream and answers 201. */
  readonly creates: boolean;
  /** Path parameters, as a strict object schema (the aggregate id and any others). */
  readonly params: z.ZodObject | undefined;
  readonly toCommand: (input: CommandInput<unknown>) => Command;
}

export interface QueryDescriptor extends RouteDocs {
  readonly method: 'GET';
  /** fastify syntax: `/<context>/:<idParam>/<action>`. */
  readonly path: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  /** `schema` names an entry of the context's `schemas`. */
  readonly success: {
    readonly status: number;
    readonly schema: string;
    readonly description: string;
  };
}
