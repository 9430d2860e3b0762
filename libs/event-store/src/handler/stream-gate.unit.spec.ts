import { StreamGate } from './stream-gate';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('StreamGate', () => {
  it('runs one task per stream at a time, in arrival order', async () => {
    const gate = new StreamGate(10);
    const order: string[] = [];
    const first = deferred();
    const a = gate.run('s', async () => {
      order.push('a start');
      await first.promise;
      order.push('a end');
    });
    const b = gate.run('s', async () => void order.push('b'));
    await Promise.resolve();
    expect(order).toEqual(['a start']);
    first.resolve();
    await Promise.all([a, b]);
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  it('refuses a stream past its bound at once, and never another stream', async () => {
    const gate = new StreamGate(2);
    const hold = deferred();
    const hot = [1, 2, 3, 4].map(() => gate.run('hot', () => hold.promise));
    // Another stream is admitted and runs while the hot one is full and blocked.
    expect(await gate.run('other', () => Promise.resolve('done'))).toEqual({
      admitted: true,
      value: 'done',
    });
    expect(await hot[2]).toEqual({ admitted: false });
    expect(await hot[3]).toEqual({ admitted: false });
    hold.resolve();
    expect(await Promise.all(hot.slice(0, 2))).toEqual([
      { admitted: true, value: undefined },
      { admitted: true, value: undefined },
    ]);
    // The line drained: the stream is admitted again.
    expect(await gate.run('hot', () => Promise.resolve(1))).toEqual({ admitted: true, value: 1 });
  });

  it('releases the line when a task throws', async () => {
    const gate = new StreamGate(1);
    await expect(gate.run('s', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run('s', () => Promise.resolve(2))).toEqual({ admitted: true, value: 2 });
  });
});
