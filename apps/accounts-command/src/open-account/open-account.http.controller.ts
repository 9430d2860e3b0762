import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OpenAccountBodySchema } from '@cqrs/accounts-domain';
import { CommandEndpoint, type CommandRoute } from '../http/command-endpoint';

/** POST /accounts {currency} -> 201 {accountId, version: 1, consistencyToken}; the id is the server's. */
export const openAccountRoute: CommandRoute<typeof OpenAccountBodySchema> = {
  name: 'OpenAccount',
  body: OpenAccountBodySchema,
  creates: true,
  requiresIdempotencyKey: false,
  toCommand: ({ accountId, actorId, body }) => ({
    type: 'OpenAccount',
    accountId,
    actorId,
    ownerId: actorId,
    currency: body.currency,
  }),
};

@Controller('accounts')
export class OpenAccountHttpController {
  constructor(@Inject(CommandEndpoint) private readonly endpoint: CommandEndpoint) {}

  @Post()
  open(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.endpoint.run(openAccountRoute, request, reply);
  }
}
