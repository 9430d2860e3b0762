import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { envWord } from '@cqrs/context';
import { issuesAt, problem, sendProblem, systemAuth, validationProblem } from '@cqrs/platform';

/** The aggregate summary as the HTTP layer sees it (the state type stays in the runtime). */
export interface SummaryRoute {
  /** fastify syntax, under `/internal/`, naming `:<idParam>` only. */
  readonly path: string;
  readonly idParam: string;
  readonly idSchema: z.ZodType<string, string>;
  readonly aggregate: string;
  /** The summary of the stream's current state, `undefined` when it is no aggregate. */
  readonly read: (streamId: string) => Promise<object | undefined>;
}

/**
 * `GET <summary path>`: one aggregate's summary, folded from the event store (exact, never a
 * read model's lag), for services acting as the system. 404 `<AGGREGATE>_NOT_FOUND` when the
 * stream is not an aggregate; a malformed id is a 400 like any path parameter.
 */
export function registerSummaryRoute(
  scope: FastifyInstance,
  route: SummaryRoute,
  token: string,
): void {
  const params = z.strictObject({ [route.idParam]: route.idSchema });
  const notFound = problem(
    404,
    `${envWord(route.aggregate)}_NOT_FOUND`,
    `No such ${route.aggregate}.`,
  );
  scope.route({
    method: 'GET',
    url: route.path,
    config: { systemRoute: true },
    onRequest: systemAuth(token),
    handler: async (request, reply) => {
      const parsed = params.safeParse(request.params);
      if (!parsed.success)
        return sendProblem(reply, validationProblem(issuesAt('parameter', parsed.error)));
      const summary = await route.read(String(parsed.data[route.idParam]));
      if (summary === undefined) return sendProblem(reply, notFound);
      return reply.code(200).type('application/json').send(summary);
    },
  });
}
