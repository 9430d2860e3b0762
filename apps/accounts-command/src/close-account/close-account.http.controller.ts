import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CloseBodySchema } from '@cqrs/accounts-domain';
import { CommandEndpoint, type CommandRoute } from '../http/command-endpoint';

/** POST /accounts/{accountId}/close, no body or {} -> 200; only at balance zero (422). */
export const closeAccountRoute: CommandRoute<typeof CloseBodySchema> = {
  name: 'CloseAccount',
  body: CloseBodySchema,
  creates: false,
  requiresIdempotencyKey: false,
  toCommand: ({ accountId, actorId }) => ({ type: 'CloseAccount', accountId, actorId }),
};

@Controller('accounts')
export class CloseAccountHttpController {
  constructor(@Inject(CommandEndpoint) private readonly endpoint: CommandEndpoint) {}

  @Post(':accountId/close')
  close(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.endpoint.run(closeAccountRoute, request, reply);
  }
}
