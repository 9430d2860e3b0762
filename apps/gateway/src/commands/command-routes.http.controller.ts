import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProxyEndpoint } from '../routes/proxy-endpoint';
import { routeTable } from '../routes/route-table';

/** The command side of the contract; each route is validated here and forwarded to accounts-command. */
@Controller('accounts')
export class CommandRoutesHttpController {
  constructor(@Inject(ProxyEndpoint) private readonly proxy: ProxyEndpoint) {}

  @Post()
  open(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.proxy.forward(routeTable.openAccount, request, reply);
  }

  @Post(':accountId/deposits')
  deposit(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.proxy.forward(routeTable.depositMoney, request, reply);
  }

  @Post(':accountId/withdrawals')
  withdraw(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.proxy.forward(routeTable.withdrawMoney, request, reply);
  }

  @Post(':accountId/close')
  close(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.proxy.forward(routeTable.closeAccount, request, reply);
  }
}
