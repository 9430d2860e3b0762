import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandDescriptor } from '@cqrs/context';
import type { CommandContext, HandleResult } from '@cqrs/event-store';
import {
  actorOf,
  CONTRACT_HEADERS,
  currentCorrelationId,
  idempotencyKeyRequired,
  problem,
  sendProblem,
  SYSTEM_ACTOR,
  validationProblem,
  type Problem,
} from '@cqrs/platform';
import type { CommandMetrics } from '../metrics/command-metrics';
import { parseBody, parseCommandHeaders, parseParams, requestHash } from './command-request';
import type { CommandPreparer } from './command-preparer';
import { answerStoreFailure } from './store-failure';
import { shapeSuccess } from './success-shape';

/** What the endpoint needs of the handler: load, decide, append one command. */
export interface CommandRunner<Command> {
  handle(command: Command, context: CommandContext): Promise<HandleResult<unknown>>;
}

/** A descriptor command prepared once at boot, so a request allocates nothing for its route. */
export interface CommandRoute<Command> {
  readonly command: CommandDescriptor<Command>;
  /** The path parameter that names the stream. */
  readonly idParam: string;
  readonly aggregate: string;
  readonly duration: { startTimer: () => () => void };
}

const KEY_REUSED = problem(
  422,
  'IDEMPOTENCY_KEY_REUSED',
  'This Idempotency-Key was used with a different request.',
);
const NO_HEADERS: Record<string, string> = Object.freeze({});

/**
 * The HTTP edge of every descriptor command: validate path, headers and body (400 with
 * pointers, nothing decided), run the handler, and answer with the outcome. Every success
 * carries the consistency token in the body and in X-Consistency-Token. What differs between
 * commands (creates a stream, key required, body optional) is read from the descriptor.
 */
export class CommandEndpoint<Command> {
  constructor(
    private readonly handler: CommandRunner<Command>,
    private readonly metrics: CommandMetrics,
    private readonly prepare?: CommandPreparer<Command>,
  ) {}

  route(command: CommandDescriptor<Command>, idParam: string, aggregate: string) {
    return {
      command,
      idParam,
      aggregate,
      duration: this.metrics.commandDuration.labels(command.name),
    } satisfies CommandRoute<Command>;
  }

  async run(
    route: CommandRoute<Command>,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const stop = route.duration.startTimer();
    const { command } = route;
    const params = command.params ? parseParams(command.params, request.params) : undefined;
    if (params && !params.ok) return this.answerInvalid(route, stop, reply, params.problem);
    const streamId = command.creates ? randomUUID() : String(params?.value[route.idParam]);

    const headers = parseCommandHeaders(request);
    if (!headers.ok) return this.answerInvalid(route, stop, reply, headers.problem);
    const { idempotencyKey, ifVersion } = headers.value;
    if (command.creates && ifVersion !== undefined) {
      const refused = validationProblem(
        [{ header: CONTRACT_HEADERS.ifMatch, message: 'not allowed here' }],
        `If-Match makes no sense on a new ${route.aggregate}.`,
      );
      return this.answerInvalid(route, stop, reply, refused);
    }
    if (command.requiresIdempotencyKey && idempotencyKey === undefined)
      return this.answerInvalid(route, stop, reply, idempotencyKeyRequired());
    // An absent body (not null) of a body-optional command is validated as {}.
    const raw = request.body === undefined && command.bodyOptional ? {} : request.body;
    const body = parseBody(command.body, raw);
    if (!body.ok) return this.answerInvalid(route, stop, reply, body.problem);

    // An internal command was let in by the system token (systemAuth): the system acts, and its
    // Idempotency-Keys live in the system's scope.
    const actorId = command.access === 'internal' ? SYSTEM_ACTOR : actorOf(request.headers);
    const mapped = command.toCommand({ streamId, actorId, body: body.value });
    const prepared = this.prepare ? await this.prepare(mapped, { actorId }) : undefined;
    if (prepared && !prepared.ok) {
      const { problem: refused, headers: extra } = prepared;
      return this.answer(route, stop, reply, refused.status, refused, 'unprepared', {
        ...extra,
      });
    }
    const decided = prepared ? prepared.command : mapped;
    const correlationId = currentCorrelationId() ?? randomUUID();
    let result: HandleResult<unknown>;
    try {
      result = await this.handler.handle(decided, {
        streamId,
        metadata: { correlationId, causationId: randomUUID(), actorId },
        ifVersion,
        idempotency: idempotencyKey
          ? {
              scope: actorId,
              key: idempotencyKey,
              requestHash: requestHash(
                command.name,
                command.creates ? undefined : streamId,
                body.value,
              ),
            }
          : undefined,
      });
    } catch (error) {
      const failure = answerStoreFailure(error);
      if (!failure) throw error;
      const { problem: failed, outcome, headers: extra } = failure;
      return this.answer(route, stop, reply, failed.status, failed, outcome, extra);
    }
    return this.answerResult(route, stop, reply, result);
  }

  private answerResult(
    route: CommandRoute<Command>,
    stop: () => void,
    reply: FastifyReply,
    result: HandleResult<unknown>,
  ): FastifyReply {
    switch (result.kind) {
      case 'idempotency-key-reused':
        return this.answerInvalid(route, stop, reply, KEY_REUSED, 'key_reused');
      case 'replayed':
        return this.answerShaped(route, stop, reply, result.response, 'replayed');
      case 'outcome':
        return this.answerShaped(route, stop, reply, result.response, result.outcome.kind);
      default: {
        const unhandled: never = result;
        throw new Error(`unhandled result ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private answerInvalid(
    route: CommandRoute<Command>,
    stop: () => void,
    reply: FastifyReply,
    refused: Problem,
    outcome = 'invalid',
  ): FastifyReply {
    return this.answer(route, stop, reply, refused.status, refused, outcome);
  }

  /** Records the outcome, then sends: a problem (status >= 400) or a success with its headers. */
  /** A stored or fresh answer as the command's descriptor shapes a success (202, fields, Location). */
  private answerShaped(
    route: CommandRoute<Command>,
    stop: () => void,
    reply: FastifyReply,
    response: { status: number; body: unknown; headers?: Record<string, string> },
    outcome: string,
  ): FastifyReply {
    const shaped = shapeSuccess(
      route.command.success,
      route.idParam,
      response.status,
      response.body,
    );
    const headers = { ...response.headers, ...shaped.headers };
    return this.answer(route, stop, reply, shaped.status, shaped.body, outcome, headers);
  }

  private answer(
    route: CommandRoute<Command>,
    stop: () => void,
    reply: FastifyReply,
    status: number,
    body: unknown,
    outcome: string,
    headers: Record<string, string> = NO_HEADERS,
  ): FastifyReply {
    stop();
    this.metrics.commands.inc({ command: route.command.name, outcome });
    if (status >= 400) return sendProblem(reply, body as Problem, headers);
    const token = (body as { consistencyToken?: unknown }).consistencyToken;
    if (typeof token === 'string') void reply.header('x-consistency-token', token);
    const version = (body as { version?: unknown }).version;
    if (typeof version === 'number') void reply.header('etag', `"${version}"`);
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    return reply.code(status).type('application/json').send(body);
  }
}
