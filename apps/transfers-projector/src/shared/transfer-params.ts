import { QueryError, uuidParamOrFail } from '@cqrs/projector-service';

/** The `:transferId` path parameter, canonical (lower case), or a 400 naming it. */
export const transferIdOrFail = (transferId: string): string =>
  uuidParamOrFail('transferId', transferId);

export const transferNotFound = (): QueryError =>
  QueryError.notFound('TRANSFER_NOT_FOUND', 'No such transfer for this caller.');
