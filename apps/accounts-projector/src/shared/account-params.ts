import { QueryError, uuidParamOrFail } from '@cqrs/projector-service';

/** The `:accountId` path parameter, canonical (lower case), or a 400 naming it. */
export const accountIdOrFail = (accountId: string): string =>
  uuidParamOrFail('accountId', accountId);

export const accountNotFound = (): QueryError =>
  QueryError.notFound('ACCOUNT_NOT_FOUND', 'No such account for this caller.');
