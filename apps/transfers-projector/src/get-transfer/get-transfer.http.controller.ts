import { Controller, Get, Headers, Inject, Param, Res, UseInterceptors } from '@nestjs/common';
import { actorOf, PREFER_HEADER, PREFERENCE_APPLIED_HEADER } from '@cqrs/platform';
import { ConsistencyInterceptor, QUERY_DEPS, type QueryDeps } from '@cqrs/projector-service';
import { transferIdOrFail, transferNotFound } from '../shared/transfer-params';
import type { TransferView } from '../shared/transfer.view';
import { awaitTransferOutcome } from './await-outcome';
import { getTransfer } from './get-transfer.query';
import { preferredWaitOrFail } from './prefer-wait';

/** The one thing this controller does to the reply besides returning the body. */
interface ReplyHeaders {
  header(name: string, value: string): unknown;
}

@Controller('transfers')
@UseInterceptors(ConsistencyInterceptor)
export class GetTransferHttpController {
  constructor(@Inject(QUERY_DEPS) private readonly deps: QueryDeps) {}

  /** With `Prefer: wait=N` it answers once the transfer has its outcome, or after N seconds. */
  @Get(':transferId')
  async get(
    @Param('transferId') transferId: string,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: ReplyHeaders,
  ): Promise<TransferView> {
    const id = transferIdOrFail(transferId);
    const waitSeconds = preferredWaitOrFail(headers[PREFER_HEADER]);
    const sender = actorOf(headers);
    const found =
      waitSeconds === undefined
        ? await getTransfer(this.deps.pool, this.deps.schema, id, sender)
        : await awaitTransferOutcome(this.deps, id, sender, waitSeconds * 1_000);
    if (found === undefined) throw transferNotFound();
    if (waitSeconds !== undefined)
      void reply.header(PREFERENCE_APPLIED_HEADER, `wait=${waitSeconds}`);
    return found;
  }
}
