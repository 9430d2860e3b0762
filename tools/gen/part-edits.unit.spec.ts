import {
  addImport,
  addNamedImport,
  addToStringList,
  addUnionMember,
  addVersionSchema,
  appendLine,
  bumpEventLiterals,
  definedEventTypes,
  EXAMPLE_UUID,
  exampleOf,
  findEventDefinition,
  insertAtAnchor,
  renameVersions,
  versionEventDefinition,
  withStoredData,
} from './part-edits';

const switchText = `function decide(command) {
  switch (command.type) {
    case 'A':
      return a();
    // gen:decide-cases (pnpm gen command adds a case here)
    default:
      return never(command);
  }
}
`;

describe('part edits', () => {
  it('given an anchor, when a piece is inserted, then it goes before the anchor line at its indentation', () => {
    const out = insertAtAnchor(switchText, 'decide-cases', "case 'B':\n  return b();", 'f.ts');
    expect(out).toContain(
      "      return a();\n    case 'B':\n      return b();\n    // gen:decide-cases",
    );
  });

  it('given a file without the anchor, when a piece is inserted, then it fails naming file and anchor', () => {
    expect(() => insertAtAnchor('const a = 1;\n', 'commands', 'x,', 'a.context.ts')).toThrow(
      /a\.context\.ts: no "\/\/ gen:commands" anchor/,
    );
  });

  it('given imports, when one is added, then it follows the last (multi-line ones too), once', () => {
    const text = "import { a } from 'a';\nimport {\n  b,\n  c,\n} from 'b';\n\nconst x = 1;\n";
    const out = addImport(text, "import { d } from 'd';");
    expect(out).toBe(
      "import { a } from 'a';\nimport {\n  b,\n  c,\n} from 'b';\nimport { d } from 'd';\n\nconst x = 1;\n",
    );
    expect(addImport(out, "import { d } from 'd';")).toBe(out);
    expect(addImport('/** doc */\n', "import { d } from 'd';")).toBe(
      "import { d } from 'd';\n\n/** doc */\n",
    );
  });

  it('given a named import, when a name is added, then the import lists it once', () => {
    const text = "import {\n  A,\n  B,\n} from './x.schema';\n";
    expect(addNamedImport(text, './x.schema', 'C', 'f.ts')).toBe(
      "import { A, B, C } from './x.schema';\n",
    );
    expect(addNamedImport(text, './x.schema', 'A', 'f.ts')).toBe(text);
    expect(() => addNamedImport(text, './y', 'C', 'f.ts')).toThrow(/f\.ts: no "import/);
  });

  it('given a union, a string list and a file end, when added to, then each gains the item', () => {
    expect(addUnionMember('export type C = A | B;\n', 'C', 'D', 'f.ts')).toBe(
      'export type C = A | B | D;\n',
    );
    expect(addUnionMember('export type C =\n  | A\n  | B;\n', 'C', 'D', 'f.ts')).toBe(
      'export type C = A | B | D;\n',
    );
    expect(addToStringList("  projections: ['orders'],\n", 'projections', 'x', 'f.ts')).toBe(
      "  projections: ['orders', 'x'],\n",
    );
    expect(appendLine('a;\n\n', 'b;')).toBe('a;\nb;\n');
    expect(appendLine('a;\nb;\n', 'b;')).toBe('a;\nb;\n');
  });

  const registry = `export const defs = [
  defineEvent({ type: 'OrderPlaced', schemaVersion: 1, schema: OrderPlacedV1DataSchema }),
  defineEvent({
    type: 'OrderShipped',
    schemaVersion: 2,
    schema: OrderShippedV2DataSchema,
    legacy: [legacyVersion(1, OrderShippedV1DataSchema, upcastOrderShippedV1ToV2)],
  }),
  // gen:event-definitions
] as const;
`;

  it('given a registry, when read, then it finds each definition with its version and legacy', () => {
    expect(definedEventTypes(registry)).toEqual(['OrderPlaced', 'OrderShipped']);
    expect(findEventDefinition(registry, 'OrderShipped')).toMatchObject({
      version: 2,
      schema: 'OrderShippedV2DataSchema',
      legacy: ['legacyVersion(1, OrderShippedV1DataSchema, upcastOrderShippedV1ToV2)'],
    });
    expect(findEventDefinition(registry, 'Order')).toBeUndefined();
  });

  it('given an event at version N, when versioned, then N+1 is latest and N joins the legacy upcasters', () => {
    const placed = versionEventDefinition(registry, 'OrderPlaced', 'r.ts');
    expect(placed).toContain(
      "defineEvent({ type: 'OrderPlaced', schemaVersion: 2, schema: OrderPlacedV2DataSchema, " +
        'legacy: [legacyVersion(1, OrderPlacedV1DataSchema, upcastOrderPlacedV1ToV2)] })',
    );
    const shipped = versionEventDefinition(registry, 'OrderShipped', 'r.ts');
    expect(findEventDefinition(shipped, 'OrderShipped')).toMatchObject({
      version: 3,
      legacy: [
        'legacyVersion(1, OrderShippedV1DataSchema, upcastOrderShippedV1ToV2)',
        'legacyVersion(2, OrderShippedV2DataSchema, upcastOrderShippedV2ToV3)',
      ],
    });
  });

  const schemas = `import { z } from 'zod';

export const OrderPlacedV1DataSchema = z.strictObject({
  orderId: z.uuid(),
  title: z.string(),
});
export type OrderPlacedData = z.infer<typeof OrderPlacedV1DataSchema>;
`;

  it('given a schema file, when a version is added, then it extends the previous one and moves the data type', () => {
    const out = addVersionSchema(schemas, 'OrderPlaced', 1, 'comment', 's.ts');
    expect(out).toContain(
      'export const OrderPlacedV2DataSchema = OrderPlacedV1DataSchema.extend({\n  comment: z.string().max(500).optional(),\n});',
    );
    expect(out).toContain(
      'export type OrderPlacedV1Data = z.infer<typeof OrderPlacedV1DataSchema>;',
    );
    expect(out).toContain('export type OrderPlacedData = z.infer<typeof OrderPlacedV2DataSchema>;');
    expect(out).not.toContain(
      'export type OrderPlacedData = z.infer<typeof OrderPlacedV1DataSchema>;',
    );
    expect(() => addVersionSchema(schemas, 'OrderPlaced', 1, 'title', 's.ts')).toThrow(
      /has a field "title" already/,
    );
  });

  it('given literals of the event, when bumped, then only that type at that version moves', () => {
    const text =
      "{ type: 'OrderPlaced', schemaVersion: 1 }\n{ type: 'OrderPlaced',\n  schemaVersion: 1 }\n" +
      "{ type: 'OrderPlaced', schemaVersion: 10 }\n{ type: 'OrderShipped', schemaVersion: 1 }\n";
    expect(bumpEventLiterals(text, 'OrderPlaced', 1)).toBe(
      "{ type: 'OrderPlaced', schemaVersion: 2 }\n{ type: 'OrderPlaced',\n  schemaVersion: 2 }\n" +
        "{ type: 'OrderPlaced', schemaVersion: 10 }\n{ type: 'OrderShipped', schemaVersion: 1 }\n",
    );
  });

  it('given a version part, when renamed for v2 -> v3, then names, prose and literals follow', () => {
    expect(
      renameVersions('upcastXV1ToV2(v1Data): XV2Data; // v1 -> v2\nschemaVersion: 1,', 2),
    ).toBe('upcastXV2ToV3(v2Data): XV3Data; // v2 -> v3\nschemaVersion: 2,');
  });

  it('given a JSON Schema, when an example is made, then it satisfies types, formats, lengths and patterns', () => {
    expect(
      exampleOf({
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
          title: { type: 'string', minLength: 1, maxLength: 200 },
          amount: { type: 'integer', exclusiveMinimum: 0 },
          kind: { enum: ['a', 'b'] },
          note: { type: 'string' },
        },
        required: ['id', 'currency', 'title', 'amount', 'kind'],
      }),
    ).toEqual({ id: EXAMPLE_UUID, currency: 'EUR', title: 'Stored', amount: 1, kind: 'a' });
  });

  it('given an upcaster test, when filled, then its stored data is the example', () => {
    expect(withStoredData("const v2Data = { a: 'x' };\n", { b: 1 }, 't.ts')).toBe(
      'const v2Data = {"b":1};\n',
    );
    expect(() => withStoredData('const x = 1;', {}, 't.ts')).toThrow(/t\.ts: no "const v<N>Data/);
  });
});
