import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AccountCommand } from '@cqrs/accounts-domain';
import type { HandleResult } from '@cqrs/event-store';
import {
  actorOf,
  CONTRACT_HEADERS,
  currentCorrelationId,
  idempotencyKeyRequired,
  problem,
  sendProblem,
  validationProblem,
  type Problem,
} from '@cqrs/platform';
import type { AccountCommandHandler } from '../accounts/account-command.handler';
import type { CommandMetrics } from '../accounts/command-metrics';
import { parseAccountId, parseBody, parseCommandHeaders, requestHash } from './command-request';
import { answerStoreFailure } from './store-failure';

export interface CommandRoute<S extends z.ZodType> {
  name: AccountCommand['type'];
  body: S;
  /** Open creates the account (new id, 201); the others act on the id in the path. */
  creates: boolean;
  /**
   * Money moves: a retry after an unknown outcome (504) must not apply it twice, so the client
   * has to name the command with an Idempotency-Key (400 IDEMPOTENCY_KEY_REQUIRED without).
   */
  requiresIdempotencyKey: boolean;
  toCommand: (input: { accountId: string; actorId: string; body: z.output<S> }) => AccountCommand;
}

/**
 * The HTTP edge shared by the four command slices: validate path, headers and body (400 with
 * pointers, nothing decided), run the handler, and answer with the outcome. Every success
 * carries the consistency token in the body and in X-Consistency-Token.
 */
export class CommandEndpoint {
  constructor(
    private readonly handler: AccountCommandHandler,
    private readonly metrics: CommandMetrics,
  ) {}

  async run<S extends z.ZodType>(
    route: CommandRoute<S>,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const stop = this.metrics.commandDuration.startTimer({ command: route.name });
    const answer = (
      status: number,
      body: unknown,
      outcome: string,
      headers: Record<string, string> = {},
    ): FastifyReply => {
      stop();
      this.metrics.commands.inc({ command: route.name, outcome });
      return send(reply, status, body, headers);
    };
    const fail = (p: Problem): FastifyReply => answer(p.status, p, 'invalid');

    const params = request.params as { accountId?: unknown };
    const id = route.creates
      ? { ok: true as const, value: randomUUID() }
      : parseAccountId(params.accountId);
    if (!id.ok) return fail(id.problem);
    const headers = parseCommandHeaders(request);
    if (!headers.ok) return fail(headers.problem);
    if (route.creates && headers.value.ifVersion !== undefined) {
      return fail(
        validationProblem(
          [{ header: CONTRACT_HEADERS.ifMatch, message: 'not allowed here' }],
          'If-Match makes no sense on a new account.',
        ),
      );
    }
    if (route.requiresIdempotencyKey && headers.value.idempotencyKey === undefined) {
      return fail(idempotencyKeyRequired());
    }
    // Close takes no body or {}; the strict schemas refuse anything else.
    const body = parseBody(
      route.body,
      request.body === undefined && route.name === 'CloseAccount' ? {} : request.body, // absent, not null
    );
    if (!body.ok) return fail(body.problem);

    const actorId = actorOf(request.headers);
    const accountId = id.value;
    const command = route.toCommand({ accountId, actorId, body: body.value });
    const correlationId = currentCorrelationId() ?? randomUUID();
    const { idempotencyKey, ifVersion } = headers.value;
    let result: HandleResult<unknown>;
    try {
      result = await this.handler.handle(command, {
        streamId: accountId,
        metadata: { correlationId, causationId: randomUUID(), actorId },
        ifVersion,
        idempotency: idempotencyKey
          ? {
              scope: actorId,
              key: idempotencyKey,
              requestHash: requestHash(
                route.name,
                route.creates ? undefined : accountId,
                body.value,
              ),
            }
          : undefined,
      });
    } catch (error) {
      const failure = answerStoreFailure(error);
      if (!failure) throw error;
      return answer(failure.problem.status, failure.problem, failure.outcome, failure.headers);
    }

    switch (result.kind) {
      case 'idempotency-key-reused':
        return answer(
          422,
          problem(
            422,
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was used with a different request.',
          ),
          'key_reused',
        );
      case 'replayed':
        return answer(result.response.status, result.response.body, 'replayed');
      case 'outcome':
        return answer(
          result.response.status,
          result.response.body,
          result.outcome.kind,
          result.response.headers,
        );
      default: {
        const unhandled: never = result;
        throw new Error(`unhandled result ${JSON.stringify(unhandled)}`);
      }
    }
  }
}

function send(
  reply: FastifyReply,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): FastifyReply {
  if (status >= 400) return sendProblem(reply, body as Problem, headers);
  const token = (body as { consistencyToken?: unknown }).consistencyToken;
  if (typeof token === 'string') void reply.header('x-consistency-token', token);
  const version = (body as { version?: unknown }).version;
  if (typeof version === 'number') void reply.header('etag', `"${version}"`);
  return reply.code(status).type('application/json').send(body);
}
