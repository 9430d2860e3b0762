import { AppendOutcomeUnknownError, AppendQueueFullError } from '@cqrs/event-store';
import { answerStoreFailure } from './store-failure';

describe('answerStoreFailure', () => {
  it('answers an unknown outcome with 504 COMMAND_OUTCOME_UNKNOWN and no Retry-After', () => {
    const answer = answerStoreFailure(new AppendOutcomeUnknownError());
    expect(answer?.problem).toMatchObject({ status: 504, code: 'COMMAND_OUTCOME_UNKNOWN' });
    expect(answer?.headers).toEqual({});
  });

  it('answers a full queue with 503 COMMAND_QUEUE_FULL and Retry-After', () => {
    const answer = answerStoreFailure(new AppendQueueFullError(4096));
    expect(answer?.problem).toMatchObject({ status: 503, code: 'COMMAND_QUEUE_FULL' });
    expect(answer?.headers).toEqual({ 'retry-after': '1' });
  });

  it('leaves any other error to the generic dependency answer', () => {
    expect(answerStoreFailure(new Error('connect ECONNREFUSED'))).toBeUndefined();
  });
});
