import { QueryError, uuidParamOrFail } from '@cqrs/projector-service';

/** The `:sampleId` path parameter, canonical (lower case), or a 400 naming it. */
export const sampleIdOrFail = (sampleId: string): string => uuidParamOrFail('sampleId', sampleId);

export const sampleNotFound = (): QueryError =>
  QueryError.notFound('SAMPLE_NOT_FOUND', 'No such sample for this caller.');
