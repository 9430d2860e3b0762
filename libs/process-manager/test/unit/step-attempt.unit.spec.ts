import {
  attemptStep,
  type CommandPort,
  type ProcessDefinition,
  type SendResult,
  type StepCommand,
} from '../../src';
import { handoffProcess, type HandoffState } from '../support/handoff-process.fixture';

/** A port that answers from a list and remembers what it was sent (no I/O: this is the unit tier). */
function scriptedPort(
  answers: SendResult[],
): CommandPort & { sent: { key: string; step: string }[] } {
  const sent: { key: string; step: string }[] = [];
  return {
    sent,
    send: (command: StepCommand, key: string) => {
      sent.push({ key, step: command.step });
      return Promise.resolve(answers.shift() ?? { kind: 'retry', reason: 'no answer scripted' });
    },
  };
}

const state: HandoffState = { handoffId: 'h-7', from: 'a', to: 'b', amount: 3, phase: 'debit' };
const claimed = { processId: 'h-7', state, step: 'debit', attempts: 0 };
const backoff = { baseMs: 100, maxMs: 1_000 };

describe('attemptStep', () => {
  it('sends under <processId>:<step> and records the advanced state with a fresh step', async () => {
    const port = scriptedPort([{ kind: 'accepted' }]);
    const attempt = await attemptStep({ definition: handoffProcess(), port, backoff }, claimed);
    expect(port.sent).toEqual([{ key: 'h-7:debit', step: 'debit' }]);
    expect(attempt.kind).toBe('accepted');
    expect(attempt.record).toMatchObject({
      status: 'active',
      step: 'credit',
      attempts: 0,
      delayMs: 0,
      lastError: null,
    });
    expect(JSON.parse(attempt.record.state ?? 'null')).toMatchObject({ phase: 'credit' });
  });

  it('keeps the state and backs off when the send reached no decision', async () => {
    const port = scriptedPort([{ kind: 'retry', reason: 'HTTP 503' }]);
    const attempt = await attemptStep(
      { definition: handoffProcess(), port, backoff, random: () => 1 },
      { ...claimed, attempts: 2 },
    );
    expect(attempt.record).toEqual({
      processId: 'h-7',
      state: null,
      status: 'active',
      step: 'debit',
      attempts: 3,
      delayMs: 400,
      lastError: 'HTTP 503',
    });
  });

  it('marks a process done without sending when next says done', async () => {
    const port = scriptedPort([]);
    const attempt = await attemptStep(
      { definition: handoffProcess(), port, backoff },
      { ...claimed, state: { ...state, phase: 'finished' } },
    );
    expect(port.sent).toEqual([]);
    expect(attempt.record).toMatchObject({ status: 'done', step: null });
  });

  it('refuses a definition that stays on the step it got an answer for (it would loop on one key)', async () => {
    const stuck: ProcessDefinition<HandoffState> = {
      ...(handoffProcess() as unknown as ProcessDefinition<HandoffState>),
      onOutcome: (s) => s,
    };
    const attempt = await attemptStep(
      { definition: stuck, port: scriptedPort([{ kind: 'accepted' }]), backoff },
      claimed,
    );
    expect(attempt.kind).toBe('retry');
    expect(attempt.record.lastError).toMatch(/stayed on step debit/);
  });
});
