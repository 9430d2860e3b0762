import {
  projectionArg,
  selectProjection,
  UnknownProjectionError,
  type ProjectionSpec,
} from '@cqrs/projector-service';

const spec = (name: string): ProjectionSpec => ({
  projection: { name } as ProjectionSpec['projection'],
  schema: `${name}_rm`,
  topic: 't',
  groupId: name,
  deadLetterTopic: 't.dlq',
});

describe('the projection a CLI acts on', () => {
  it('reads --projection in both spellings', () => {
    expect(projectionArg(['node', 'x', '--projection', 'a'])).toBe('a');
    expect(projectionArg(['node', 'x', '--projection=b', '--keep-old'])).toBe('b');
    expect(projectionArg(['node', 'x', '--keep-old'])).toBeUndefined();
  });

  it('defaults to the only projection and refuses to guess among several', () => {
    expect(selectProjection([spec('a')], undefined).schema).toBe('a_rm');
    expect(() => selectProjection([spec('a'), spec('b')], undefined)).toThrow(
      UnknownProjectionError,
    );
    expect(selectProjection([spec('a'), spec('b')], 'b').schema).toBe('b_rm');
    expect(() => selectProjection([spec('a')], 'c')).toThrow('no projection c; known: a');
  });
});
