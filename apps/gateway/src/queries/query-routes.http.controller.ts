import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProxyEndpoint } from '../routes/proxy-endpoint';
import { routeTable } from '../routes/route-table';

/** The query side of the contract; validated here, answered by the projector's query API. */
@Controller('accounts')
export class QueryRoutesHttpController {
  constructor(@Inject(ProxyEndpoint) private readonly proxy: ProxyEndpoint) {}

  @Get()
  list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.proxy.forward(routeTable.listAccounts, request, reply);
  }

  @Get(':accountId')
  get(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.proxy.forward(routeTable.getAccount, request, reply);
  }

  @Get(':accountId/transactions')
  transactions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.proxy.forward(routeTable.listTransactions, request, reply);
  }
}
