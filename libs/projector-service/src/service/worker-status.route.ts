import type { FastifyInstance } from 'fastify';
import { opsAccess, problem, sendProblem } from '@cqrs/platform';
import type { ServiceWorker } from './projector-service.definition';

/**
 * GET /workers/:worker/:id: one item of a worker that tracks items (a process of a process
 * manager: its step, attempts, last error, state). What it shows describes the system's
 * internals: operators only (the internal token), like /projections/status.
 */
export function registerWorkerStatusRoute(
  fastify: FastifyInstance,
  workers: readonly ServiceWorker[],
  internalToken: string,
): void {
  const access = opsAccess(internalToken);
  fastify.get<{ Params: { worker: string; id: string } }>(
    '/workers/:worker/:id',
    async (request, reply) => {
      if (!access.allowsDetails(request)) return access.refuse(reply, 'Worker status');
      const { worker: name, id } = request.params;
      const status = workers.find((w) => w.name === name)?.status;
      if (!status)
        return sendProblem(reply, problem(404, 'WORKER_NOT_FOUND', `No worker ${name} here.`));
      try {
        const found = await status(id);
        if (found === undefined)
          return sendProblem(reply, problem(404, 'NOT_FOUND', `${name} has no ${id}.`));
        return found;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return sendProblem(reply, problem(503, 'SERVICE_UNAVAILABLE', message), {
          'retry-after': '1',
        });
      }
    },
  );
}
