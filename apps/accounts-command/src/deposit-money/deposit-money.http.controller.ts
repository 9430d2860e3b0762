import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AmountBodySchema } from '@cqrs/accounts-domain';
import { CommandEndpoint, type CommandRoute } from '../http/command-endpoint';

/** POST /accounts/{accountId}/deposits {amount} -> 200 {accountId, version, consistencyToken}. */
export const depositMoneyRoute: CommandRoute<typeof AmountBodySchema> = {
  name: 'DepositMoney',
  body: AmountBodySchema,
  creates: false,
  requiresIdempotencyKey: true,
  toCommand: ({ accountId, actorId, body }) => ({
    type: 'DepositMoney',
    accountId,
    actorId,
    amount: body.amount,
  }),
};

@Controller('accounts')
export class DepositMoneyHttpController {
  constructor(@Inject(CommandEndpoint) private readonly endpoint: CommandEndpoint) {}

  @Post(':accountId/deposits')
  deposit(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.endpoint.run(depositMoneyRoute, request, reply);
  }
}
