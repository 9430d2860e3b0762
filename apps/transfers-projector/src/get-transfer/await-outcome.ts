import type { StreamPositionWaiter } from '@cqrs/projections';
import type { Pool } from 'pg';
import { isSettled, type TransferView } from '../shared/transfer.view';
import { getTransfer } from './get-transfer.query';

export interface AwaitOutcomeDeps {
  pool: Pool;
  schema: string;
  /** Woken by the projector's NOTIFY on each commit: no polling of the row. */
  waiter: Pick<StreamPositionWaiter, 'waitFor'>;
}

/**
 * `Prefer: wait`: the sender's transfer once it is completed or failed, or as it is when
 * `waitMs` has passed. Each round waits for the stream to move past the version just read, then
 * reads the row again; so it ends on the first projected verdict, whatever its version. A
 * transfer the caller cannot see is answered at once (undefined): waiting would tell nothing.
 */
export async function awaitTransferOutcome(
  deps: AwaitOutcomeDeps,
  transferId: string,
  sender: string,
  waitMs: number,
): Promise<TransferView | undefined> {
  const deadline = Date.now() + waitMs;
  let view = await getTransfer(deps.pool, deps.schema, transferId, sender);
  while (view !== undefined && !isSettled(view)) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const moved = await deps.waiter.waitFor(transferId, view.version + 1, left);
    if (!moved.reached) break;
    view = await getTransfer(deps.pool, deps.schema, transferId, sender);
  }
  return view;
}
