import { commandResponder } from '@cqrs/command-service';
import { consistencyTokens } from '@cqrs/platform';
import { parcelsContext } from './support/parcels.context';

const tokens = consistencyTokens('unit-internal-token-0123456789');
const respond = commandResponder(parcelsContext, tokens);
const context = {
  streamId: 'b1f7d0c2-6a55-4c43-9d3f-4a8f0f0d6a11',
  metadata: { correlationId: 'c', causationId: 'k', actorId: 'alice' },
};

describe('commandResponder', () => {
  it('given a stream started by the command, then 201 with the id under the descriptor idParam', () => {
    const answer = respond({ kind: 'accepted', version: 1, eventIds: ['e'] }, context);
    expect(answer).toEqual({
      status: 201,
      body: {
        parcelId: context.streamId,
        version: 1,
        consistencyToken: tokens.encode({ streamId: context.streamId, version: 1 }),
      },
    });
    expect(respond({ kind: 'accepted', version: 3, eventIds: ['e'] }, context).status).toBe(200);
  });

  it("given a rejection, then the status from the descriptor's errorStatus and the code", () => {
    const answer = respond(
      {
        kind: 'rejected',
        version: 2,
        error: { code: 'PARCEL_ALREADY_SHIPPED', message: 'shipped already' },
      },
      context,
    );
    expect(answer).toMatchObject({
      status: 409,
      body: { status: 409, code: 'PARCEL_ALREADY_SHIPPED', detail: 'shipped already' },
    });
  });

  it('given a failed If-Match or contention, then 412 naming the aggregate, or 409 with Retry-After', () => {
    expect(
      respond({ kind: 'precondition-failed', version: 4 }, { ...context, ifVersion: 2 }),
    ).toMatchObject({
      status: 412,
      body: {
        code: 'VERSION_CONFLICT',
        currentVersion: 4,
        detail: 'If-Match names version 2, the parcel is at version 4.',
      },
    });
    expect(respond({ kind: 'contended' }, context)).toMatchObject({
      status: 409,
      body: { code: 'CONCURRENCY_CONTENDED' },
      headers: { 'retry-after': '1' },
    });
  });
});
