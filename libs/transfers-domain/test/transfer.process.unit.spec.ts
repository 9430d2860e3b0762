import fc from 'fast-check';
import { isDone, type StepOutcome } from '@cqrs/process-manager';
import type { TransferEvent } from '@cqrs/events';
import { transferProcess, type TransferProcessState } from '@cqrs/transfers-domain';

const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';
const ID = '33333333-3333-4333-8333-333333333333';

const requested = {
  type: 'TransferRequested',
  schemaVersion: 1,
  data: {
    transferId: ID,
    fromAccountId: FROM,
    toAccountId: TO,
    amount: 500,
    currency: 'EUR',
    requestedBy: 'alice',
  },
} as unknown as TransferEvent;

const started = (): TransferProcessState => transferProcess.start(requested)!.state;
const ok: StepOutcome = { kind: 'accepted' };
const refused = (code: string): StepOutcome => ({ kind: 'rejected', status: 422, code });

/** Runs the process to its end with the answers given per step; the steps it sent, in order. */
function run(answers: Record<string, StepOutcome>): {
  steps: string[];
  state: TransferProcessState;
} {
  let state = started();
  const steps: string[] = [];
  for (let i = 0; i < 10; i++) {
    const next = transferProcess.next(state);
    if (isDone(next)) return { steps, state };
    steps.push(next.step);
    state = transferProcess.onOutcome(state, next.step, answers[next.step] ?? ok);
  }
  throw new Error('the process did not end in 10 steps');
}

describe('transfer process', () => {
  it('given TransferRequested, when started, then it debits the source first', () => {
    const next = transferProcess.next(started());
    expect(next).toEqual({
      step: 'debit',
      target: 'accounts',
      command: {
        method: 'POST',
        path: `/internal/accounts/${FROM}/transfer-debits`,
        body: { transferId: ID, amount: 500 },
      },
    });
  });

  it('given other events, when offered, then they start nothing', () => {
    const completed = { type: 'TransferCompleted', data: { transferId: ID } } as TransferEvent;
    expect(transferProcess.start(completed)).toBeUndefined();
  });

  it('given every leg accepted, then it debits, credits in the currency, and completes', () => {
    let state = transferProcess.onOutcome(started(), 'debit', ok);
    expect(transferProcess.next(state)).toMatchObject({
      step: 'credit',
      command: { path: `/internal/accounts/${TO}/transfer-credits`, body: { currency: 'EUR' } },
    });
    state = transferProcess.onOutcome(state, 'credit', ok);
    expect(transferProcess.next(state)).toMatchObject({
      step: 'complete',
      target: 'transfers',
      command: { path: `/internal/transfers/${ID}/complete` },
    });
    expect(run({}).steps).toEqual(['debit', 'credit', 'complete']);
  });

  it.each([
    ['ACCOUNT_INSUFFICIENT_FUNDS', 'ACCOUNT_INSUFFICIENT_FUNDS'],
    ['ACCOUNT_CLOSED', 'ACCOUNT_CLOSED'],
  ])(
    'given the debit refused with %s, then it fails with %s and moves nothing',
    (code, failure) => {
      const { steps, state } = run({ debit: refused(code) });
      expect(steps).toEqual(['debit', 'fail']);
      expect(state.failureCode).toBe(failure);
    },
  );

  it.each([
    ['ACCOUNT_NOT_FOUND', 'TRANSFER_DESTINATION_UNAVAILABLE'],
    ['ACCOUNT_CLOSED', 'TRANSFER_DESTINATION_UNAVAILABLE'],
    ['ACCOUNT_BALANCE_LIMIT', 'TRANSFER_DESTINATION_UNAVAILABLE'],
    ['ACCOUNT_CURRENCY_MISMATCH', 'TRANSFER_CURRENCY_MISMATCH'],
  ])(
    'given the credit refused with %s, then it refunds the source and fails with %s',
    (code, failure) => {
      const { steps, state } = run({ credit: refused(code) });
      expect(steps).toEqual(['debit', 'credit', 'refund', 'fail']);
      expect(state.failureCode).toBe(failure);
    },
  );

  it('given a failing transfer, then the fail command carries its code', () => {
    const state = transferProcess.onOutcome(started(), 'debit', refused('ACCOUNT_CLOSED'));
    expect(transferProcess.next(state)).toMatchObject({
      step: 'fail',
      command: { path: `/internal/transfers/${ID}/fail`, body: { failureCode: 'ACCOUNT_CLOSED' } },
    });
  });

  it('given a busy stream (409 CONCURRENCY_CONTENDED), then it stays on the step to retry it', () => {
    const state = started();
    expect(transferProcess.onOutcome(state, 'debit', refused('CONCURRENCY_CONTENDED'))).toBe(state);
  });

  it('given a refused refund, then it stays on the refund: money is never dropped', () => {
    const refunding = { ...started(), phase: 'refund' as const };
    expect(transferProcess.onOutcome(refunding, 'refund', refused('ACCOUNT_NOT_FOUND'))).toBe(
      refunding,
    );
  });

  it('given an answer for another step (a late redelivery), then the state does not move', () => {
    const crediting = transferProcess.onOutcome(started(), 'debit', ok);
    expect(transferProcess.onOutcome(crediting, 'debit', refused('ACCOUNT_CLOSED'))).toBe(
      crediting,
    );
  });

  it('property: under any answers and redeliveries, one debit at most, a credit or a refund only after it, one terminal verdict', () => {
    const answer = fc.oneof(
      fc.constant(ok),
      fc
        .constantFrom(
          'ACCOUNT_INSUFFICIENT_FUNDS',
          'ACCOUNT_CLOSED',
          'ACCOUNT_NOT_FOUND',
          'ACCOUNT_CURRENCY_MISMATCH',
          'CONCURRENCY_CONTENDED',
        )
        .map(refused),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(answer, fc.nat(2)), { maxLength: 40 }), (script) => {
        // The upstream applies a key once: a redelivered step gets the first answer again.
        const decided = new Map<string, StepOutcome>();
        const applied: string[] = [];
        let state = started();
        for (const [outcome, redeliveries] of script) {
          const next = transferProcess.next(state);
          if (isDone(next)) break;
          for (let i = 0; i <= redeliveries; i++) {
            const first = decided.get(next.step);
            const answered = first ?? outcome;
            if (
              !first &&
              !(answered.kind === 'rejected' && answered.code === 'CONCURRENCY_CONTENDED')
            ) {
              decided.set(next.step, answered);
              if (answered.kind === 'accepted') applied.push(next.step);
            }
            state = transferProcess.onOutcome(state, next.step, answered);
          }
        }
        const count = (step: string) => applied.filter((s) => s === step).length;
        expect(count('debit')).toBeLessThanOrEqual(1);
        expect(count('credit')).toBeLessThanOrEqual(count('debit'));
        expect(count('refund')).toBeLessThanOrEqual(count('debit') - count('credit'));
        expect(count('complete') + count('fail')).toBeLessThanOrEqual(1);
        if (count('complete') === 1) expect(count('credit')).toBe(1);
        if (count('fail') === 1) expect(count('debit')).toBe(count('refund'));
      }),
    );
  });
});
