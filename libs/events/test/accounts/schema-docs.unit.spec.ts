import {
  accountEventRegistry,
  checkSchemaDocs,
  generateSchemaDocs,
  planSchemaDocsWrite,
  type SchemaDocs,
} from '@cqrs/events';

const generated = generateSchemaDocs(accountEventRegistry.schemaVersions());
const withFile = (docs: SchemaDocs, file: string, content: string | undefined): SchemaDocs => {
  const copy = new Map(docs);
  if (content === undefined) copy.delete(file);
  else copy.set(file, content);
  return copy;
};

describe('generateSchemaDocs', () => {
  it('given the account registry, when generated, then there is one file per type and version', () => {
    expect([...generated.keys()].sort()).toEqual([
      'AccountClosed.v1.json',
      'AccountCreditedForTransfer.v1.json',
      'AccountDebitedForTransfer.v1.json',
      'AccountOpened.v1.json',
      'AccountOpened.v2.json',
      'AccountRefundedForTransfer.v1.json',
      'MoneyDeposited.v1.json',
      'MoneyWithdrawn.v1.json',
      'README.md',
      'envelope.json',
    ]);
  });

  it('given AccountOpened v2, when generated, then it is a strict JSON Schema of the data', () => {
    const schema = JSON.parse(generated.get('AccountOpened.v2.json') ?? '{}') as Record<
      string,
      unknown
    >;
    expect(schema).toMatchObject({
      title: 'AccountOpened v2 data',
      type: 'object',
      required: ['accountId', 'ownerId', 'currency'],
      additionalProperties: false,
    });
  });

  it('given the same registry twice, when generated, then the output is byte-identical', () => {
    expect(generateSchemaDocs(accountEventRegistry.schemaVersions())).toEqual(generated);
  });
});

describe('checkSchemaDocs', () => {
  it('given docs identical to the generated ones, when checked, then there is no problem', () => {
    expect(checkSchemaDocs(generated, new Map(generated))).toEqual([]);
  });

  it('given a missing version file, when checked, then the docs are reported stale', () => {
    const problems = checkSchemaDocs(
      generated,
      withFile(generated, 'MoneyDeposited.v1.json', undefined),
    );
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'missing', file: 'MoneyDeposited.v1.json' }),
    ]);
    expect(problems[0]?.message).toMatch(/generated docs are stale: run/);
  });

  it('given a changed published version, when checked, then it asks for a new version and upcaster', () => {
    const problems = checkSchemaDocs(
      generated,
      withFile(generated, 'AccountOpened.v1.json', '{}\n'),
    );
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'published-version-changed', file: 'AccountOpened.v1.json' }),
    ]);
    expect(problems[0]?.message).toMatch(
      /AccountOpened v1 changed.*add version 3 \(with an upcaster\) and restore v1/,
    );
  });

  it('given a version file no longer registered, when checked, then its removal is reported', () => {
    const problems = checkSchemaDocs(generated, withFile(generated, 'AccountClosed.v7.json', '{}'));
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'published-version-removed', file: 'AccountClosed.v7.json' }),
    ]);
  });

  it('given an outdated README and an unknown extra doc, when checked, then both are stale', () => {
    const onDisk = withFile(withFile(generated, 'README.md', '# old\n'), 'notes.md', 'x');
    expect(checkSchemaDocs(generated, onDisk).map((problem) => problem.kind)).toEqual([
      'stale',
      'extra',
    ]);
  });
});

describe('planSchemaDocsWrite', () => {
  const onDisk = withFile(
    withFile(withFile(generated, 'AccountOpened.v1.json', '{}'), 'README.md', undefined),
    'old.md',
    'x',
  );
  const problems = checkSchemaDocs(generated, onDisk);

  it('given a breaking change, when planning a write, then it is refused and the rest is written', () => {
    const plan = planSchemaDocsWrite(problems, { allowBreaking: false });
    expect([...plan.writes.keys()]).toEqual(['README.md']);
    expect(plan.deletes).toEqual(['old.md']);
    expect(plan.refused.map((problem) => problem.file)).toEqual(['AccountOpened.v1.json']);
  });

  it('given allowBreaking, when planning a write, then the published file is overwritten', () => {
    const plan = planSchemaDocsWrite(problems, { allowBreaking: true });
    expect(plan.writes.get('AccountOpened.v1.json')).toBe(generated.get('AccountOpened.v1.json'));
    expect(plan.refused).toEqual([]);
  });
});
