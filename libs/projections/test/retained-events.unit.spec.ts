import { EventsLostError, findLostRanges } from '@cqrs/projections';

describe('findLostRanges', () => {
  const offsets = [
    { partition: 0, low: '0', high: '50' },
    { partition: 1, low: '20', high: '70' },
    { partition: 2, low: '5', high: '5' },
  ];

  it('given no checkpoints, when a log does not start at 0, then its partition lost events', () => {
    expect(findLostRanges(offsets, new Map())).toEqual([
      { partition: 1, needed: '0', logStart: '20' },
      { partition: 2, needed: '0', logStart: '5' },
    ]);
  });

  it('given checkpoints at or past the log start, then nothing is lost', () => {
    const checkpoints = new Map<number, string | null>([
      [1, '20'],
      [2, '5'],
    ]);
    expect(findLostRanges(offsets, checkpoints)).toEqual([]);
  });

  it('given a checkpoint before the log start, then the range in between is lost', () => {
    const checkpoints = new Map<number, string | null>([
      [1, '12'],
      [2, null],
    ]);
    const lost = findLostRanges(offsets, checkpoints);
    expect(lost).toEqual([
      { partition: 1, needed: '12', logStart: '20' },
      { partition: 2, needed: '0', logStart: '5' },
    ]);
    expect(new EventsLostError('t', lost).message).toContain(
      'partition 1 needs offset 12 but its log starts at 20 (8 events lost)',
    );
  });
});
