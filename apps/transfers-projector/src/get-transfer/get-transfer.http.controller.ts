import { Controller, Get, Headers, Inject, Param, UseInterceptors } from '@nestjs/common';
import { actorOf } from '@cqrs/platform';
import { ConsistencyInterceptor, QUERY_DEPS, type QueryDeps } from '@cqrs/projector-service';
import { transferIdOrFail, transferNotFound } from '../shared/transfer-params';
import type { TransferView } from '../shared/transfer.view';
import { getTransfer } from './get-transfer.query';

@Controller('transfers')
@UseInterceptors(ConsistencyInterceptor)
export class GetTransferHttpController {
  constructor(@Inject(QUERY_DEPS) private readonly deps: QueryDeps) {}

  @Get(':transferId')
  async get(
    @Param('transferId') transferId: string,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<TransferView> {
    const id = transferIdOrFail(transferId);
    const found = await getTransfer(this.deps.pool, this.deps.schema, id, actorOf(headers));
    if (found === undefined) throw transferNotFound();
    return found;
  }
}
