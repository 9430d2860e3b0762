import fc from 'fast-check';
import { advance, isDone, type StepCommand, type StepOutcome } from '../../src';
import {
  handoffEvent,
  handoffProcess,
  type HandoffState,
} from '../support/handoff-process.fixture';

/**
 * The fixture process, given/when/then: given the outcomes so far, when the next step's answer
 * comes, then the next command (or done). Pure: the same functions the driver calls.
 */
const definition = handoffProcess();
const accepted: StepOutcome = { kind: 'accepted' };
const rejected = (code: string): StepOutcome => ({ kind: 'rejected', status: 409, code });

function startState(): HandoffState {
  const started = definition.start(
    handoffEvent('h-1', 1, { type: 'HandoffRequested', data: { from: 'a', to: 'b', amount: 5 } }),
  );
  if (started === undefined) throw new Error('HandoffRequested must start a handoff');
  return started.state;
}

function given(outcomes: readonly StepOutcome[]) {
  let state = startState();
  for (const outcome of outcomes) {
    const next = definition.next(state);
    if (isDone(next)) throw new Error('given more outcomes than steps');
    state = advance(definition, state, next.step, outcome).state;
  }
  return {
    when(outcome: StepOutcome) {
      const next = definition.next(state);
      if (isDone(next)) throw new Error('no step to answer');
      const after = advance(definition, state, next.step, outcome).state;
      return {
        then(expected: (Pick<StepCommand, 'step' | 'target'> & { path: string }) | 'done'): void {
          const following = definition.next(after);
          if (expected === 'done') return expect(following).toEqual({ done: true });
          expect(isDone(following)).toBe(false);
          const command = following as StepCommand;
          expect({
            step: command.step,
            target: command.target,
            path: command.command.path,
          }).toEqual(expected);
        },
      };
    },
  };
}

describe('handoff fixture process', () => {
  it('starts on HandoffRequested only, keyed by the stream', () => {
    expect(startState()).toMatchObject({ handoffId: 'h-1', phase: 'debit', amount: 5 });
    expect(
      definition.start(handoffEvent('h-1', 2, { type: 'HandoffNoted', data: { note: 'x' } })),
    ).toBeUndefined();
    expect(definition.next(startState())).toEqual({
      step: 'debit',
      target: 'ledger',
      command: { method: 'POST', path: '/ledgers/a/debit', body: { amount: 5, reference: 'h-1' } },
    });
  });

  it('credits after an accepted debit', () =>
    given([]).when(accepted).then({ step: 'credit', target: 'ledger', path: '/ledgers/b/credit' }));

  it('fails without a credit when the debit is rejected', () =>
    given([])
      .when(rejected('INSUFFICIENT_FUNDS'))
      .then({ step: 'fail', target: 'requests', path: '/handoffs/h-1/fail' }));

  it('refunds when the credit is rejected', () =>
    given([accepted])
      .when(rejected('ACCOUNT_CLOSED'))
      .then({ step: 'refund', target: 'ledger', path: '/ledgers/a/credit' }));

  it('completes after an accepted credit', () =>
    given([accepted])
      .when(accepted)
      .then({ step: 'complete', target: 'requests', path: '/handoffs/h-1/complete' }));

  it('is done once the requester was told', () =>
    given([accepted, accepted]).when(accepted).then('done'));

  it('ignores an answer for a step it is not on', () => {
    const state = startState();
    expect(definition.onOutcome(state, 'credit', accepted)).toBe(state);
  });

  it('for any answers: ends within five steps, each step once, money back whenever a credit failed', () => {
    const outcome = fc.oneof(
      fc.constant(accepted),
      fc.constantFrom('INSUFFICIENT_FUNDS', 'ACCOUNT_CLOSED').map(rejected),
    );
    fc.assert(
      fc.property(fc.array(outcome, { minLength: 5, maxLength: 5 }), (answers) => {
        let state = startState();
        const sent: { step: string; outcome: StepOutcome }[] = [];
        for (const answer of answers) {
          const next = definition.next(state);
          if (isDone(next)) break;
          sent.push({ step: next.step, outcome: answer });
          state = advance(definition, state, next.step, answer).state;
        }
        expect(definition.next(state)).toEqual({ done: true });
        const steps = sent.map((s) => s.step);
        expect(new Set(steps).size).toBe(steps.length); // distinct steps: distinct idempotency keys
        expect(steps[0]).toBe('debit');
        expect(steps.filter((s) => s === 'complete' || s === 'fail')).toHaveLength(1);
        const debit = sent[0]?.outcome.kind;
        const credit = sent.find((s) => s.step === 'credit')?.outcome.kind;
        if (debit !== 'accepted') expect(steps).not.toContain('credit');
        expect(steps.includes('refund')).toBe(credit === 'rejected');
        expect(steps.includes('complete')).toBe(credit === 'accepted');
      }),
    );
  });
});
