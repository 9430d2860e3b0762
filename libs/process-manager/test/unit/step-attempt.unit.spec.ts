import {
  attemptStep,
  runClaimed,
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

describe('runClaimed', () => {
  const context = (port: CommandPort) => ({ definition: handoffProcess(), port, backoff });

  it('runs every answered step in one claim and records the end', async () => {
    const port = scriptedPort([{ kind: 'accepted' }, { kind: 'accepted' }, { kind: 'accepted' }]);
    const run = await runClaimed(context(port), claimed, 8);
    expect(port.sent.map((s) => s.key)).toEqual(['h-7:debit', 'h-7:credit', 'h-7:complete']);
    expect(run.attempts.map((a) => [a.step, a.kind])).toEqual([
      ['debit', 'accepted'],
      ['credit', 'accepted'],
      ['complete', 'accepted'],
    ]);
    expect(run.record).toMatchObject({ status: 'done', step: null, attempts: 0 });
    expect(JSON.parse(run.record.state ?? 'null')).toMatchObject({ phase: 'finished' });
  });

  it('stops at a retry and records the state the answered steps left, not the stored one', async () => {
    const port = scriptedPort([{ kind: 'accepted' }, { kind: 'retry', reason: 'HTTP 503' }]);
    const run = await runClaimed({ ...context(port), random: () => 1 }, claimed, 8);
    expect(port.sent.map((s) => s.key)).toEqual(['h-7:debit', 'h-7:credit']);
    expect(run.record).toMatchObject({
      status: 'active',
      step: 'credit',
      attempts: 1,
      delayMs: 100,
      lastError: 'HTTP 503',
    });
    expect(JSON.parse(run.record.state ?? 'null')).toMatchObject({ phase: 'credit' });
  });

  it('keeps the stored state when the first step gets no answer', async () => {
    const port = scriptedPort([{ kind: 'retry', reason: 'timeout' }]);
    const run = await runClaimed(context(port), claimed, 8);
    expect(run.record).toMatchObject({ state: null, step: 'debit', attempts: 1 });
  });

  it('stops after maxSteps with the next step due at once', async () => {
    const port = scriptedPort([{ kind: 'accepted' }, { kind: 'accepted' }]);
    const run = await runClaimed(context(port), claimed, 1);
    expect(port.sent.map((s) => s.key)).toEqual(['h-7:debit']);
    expect(run.record).toMatchObject({ status: 'active', step: 'credit', delayMs: 0 });
    expect(JSON.parse(run.record.state ?? 'null')).toMatchObject({ phase: 'credit' });
  });

  it('follows a rejection to the compensating steps in the same claim', async () => {
    const rejected: SendResult = { kind: 'rejected', code: 'ACCOUNT_CLOSED', status: 409 };
    const port = scriptedPort([
      { kind: 'accepted' },
      rejected,
      { kind: 'accepted' },
      { kind: 'accepted' },
    ]);
    const run = await runClaimed(context(port), claimed, 8);
    expect(port.sent.map((s) => s.step)).toEqual(['debit', 'credit', 'refund', 'fail']);
    expect(run.record.status).toBe('done');
  });
});
