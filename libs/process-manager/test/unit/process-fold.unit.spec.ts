import { foldProcessEvents } from '../../src';
import {
  handoffEvent,
  handoffProcess,
  type HandoffState,
} from '../support/handoff-process.fixture';

const definition = handoffProcess();
const requested = (id: string, version = 1) =>
  handoffEvent(id, version, { type: 'HandoffRequested', data: { from: 'a', to: 'b', amount: 1 } });
const noted = (id: string, version: number, note: string) =>
  handoffEvent(id, version, { type: 'HandoffNoted', data: { note } });
const stored = (id: string): { processId: string; state: HandoffState } => ({
  processId: id,
  state: { handoffId: id, from: 'a', to: 'b', amount: 1, phase: 'credit' },
});

describe('foldProcessEvents', () => {
  it('starts a process once, however often its start event comes in a batch', () => {
    const { started, changed } = foldProcessEvents(
      definition,
      [requested('h1'), requested('h1'), requested('h2')],
      [],
    );
    expect(started.map((p) => p.processId)).toEqual(['h1', 'h2']);
    expect(changed).toEqual([]);
  });

  it('does not restart a stored process, and applies observed events to its stored state', () => {
    const { started, changed } = foldProcessEvents(
      definition,
      [requested('h1'), noted('h1', 2, 'x'), noted('h1', 3, 'y')],
      [stored('h1')],
    );
    expect(started).toEqual([]);
    expect(changed).toEqual([
      { processId: 'h1', state: { ...stored('h1').state, notes: ['x', 'y'] } },
    ]);
  });

  it('applies an observed event to a process started earlier in the same batch', () => {
    const { started } = foldProcessEvents(definition, [requested('h1'), noted('h1', 2, 'x')], []);
    expect(started[0]?.state).toMatchObject({ phase: 'debit', notes: ['x'] });
  });

  it('ignores events for processes it never started', () => {
    expect(foldProcessEvents(definition, [noted('h9', 2, 'x')], [])).toEqual({
      started: [],
      changed: [],
    });
  });
});
