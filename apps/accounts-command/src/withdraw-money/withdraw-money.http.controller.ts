import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AmountBodySchema } from '@cqrs/accounts-domain';
import { CommandEndpoint, type CommandRoute } from '../http/command-endpoint';

/** POST /accounts/{accountId}/withdrawals {amount} -> 200; never below zero (422). */
export const withdrawMoneyRoute: CommandRoute<typeof AmountBodySchema> = {
  name: 'WithdrawMoney',
  body: AmountBodySchema,
  creates: false,
  requiresIdempotencyKey: true,
  toCommand: ({ accountId, actorId, body }) => ({
    type: 'WithdrawMoney',
    accountId,
    actorId,
    amount: body.amount,
  }),
};

@Controller('accounts')
export class WithdrawMoneyHttpController {
  constructor(@Inject(CommandEndpoint) private readonly endpoint: CommandEndpoint) {}

  @Post(':accountId/withdrawals')
  withdraw(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.endpoint.run(withdrawMoneyRoute, request, reply);
  }
}
