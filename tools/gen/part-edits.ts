/**
 * The text edits of `pnpm gen command | event | projection`, each a pure function of a file's
 * text. They insert at the `// gen:<name>` anchors the skeleton carries (a generated context
 * has them; a hand-written one such as accounts does not, and is refused), after the last
 * import, or at a pattern the skeleton's code has; each throws, naming the file, when its place
 * is missing, so a reorganised file fails the generator loudly instead of being edited wrongly.
 * Prettier formats the result afterwards, so the pieces need not be indented exactly.
 */

/** Inserts `piece` (one or more lines) before the line holding `// gen:<anchor>`, indented like it. */
export function insertAtAnchor(text: string, anchor: string, piece: string, file: string): string {
  const match = new RegExp(`^([ \\t]*)// gen:${anchor}\\b.*$`, 'm').exec(text);
  if (!match)
    throw new Error(
      `${file}: no "// gen:${anchor}" anchor (only a context written by pnpm gen context has it)`,
    );
  const indent = match[1] ?? '';
  const lines = piece
    .trimEnd()
    .split('\n')
    .map((line) => (line === '' ? line : indent + line))
    .join('\n');
  return `${text.slice(0, match.index)}${lines}\n${text.slice(match.index)}`;
}

/** Adds an import statement after the last one (or at the top), unless it is there already. */
export function addImport(text: string, statement: string): string {
  if (text.includes(statement)) return text;
  const imports = [...text.matchAll(/^import\b[^;]*;$/gm)];
  const last = imports[imports.length - 1];
  if (!last) return `${statement}\n\n${text}`;
  const end = last.index + last[0].length;
  return `${text.slice(0, end)}\n${statement}${text.slice(end)}`;
}

/** Adds a name to a named import from `module` (`import { a } from 'm'` -> `{ a, b }`). */
export function addNamedImport(text: string, module: string, name: string, file: string): string {
  const pattern = new RegExp(
    `^import \\{([^}]*)\\} from '${module.replace(/[.]/g, '\\.')}';$`,
    'm',
  );
  const match = pattern.exec(text);
  if (!match) throw new Error(`${file}: no "import { ... } from '${module}'" to add ${name} to`);
  const names = (match[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.includes(name)) return text;
  return text.replace(pattern, `import { ${[...names, name].join(', ')} } from '${module}';`);
}

/** Appends a line at the end of the file (one newline before it, one after). */
export const appendLine = (text: string, line: string): string =>
  text.includes(line) ? text : `${text.trimEnd()}\n${line}\n`;

/** `export type SampleCommand = A | B;` -> `... | A | B | C;` */
export function addUnionMember(text: string, type: string, member: string, file: string): string {
  const pattern = new RegExp(`(export type ${type} =)([^;]*);`);
  const match = pattern.exec(text);
  if (!match) throw new Error(`${file}: no "export type ${type} = ...;" to add ${member} to`);
  const members = (match[2] ?? '')
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean);
  return text.replace(pattern, `$1 ${[...members, member].join(' | ')};`);
}

/** `projections: ['samples']` -> `projections: ['samples', 'sample_activity']` */
export function addToStringList(text: string, key: string, item: string, file: string): string {
  const pattern = new RegExp(`(${key}: \\[)([^\\]]*)\\]`);
  const match = pattern.exec(text);
  if (!match) throw new Error(`${file}: no "${key}: [...]" to add '${item}' to`);
  const items = (match[2] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return text.replace(pattern, `$1${[...items, `'${item}'`].join(', ')}]`);
}

/** Where one event type is defined in a registry file: its latest version and schema. */
export interface EventDefinitionAt {
  readonly version: number;
  readonly schema: string;
  /** The whole `defineEvent({ ... })` call, as written. */
  readonly source: string;
  /** The `legacyVersion(...)` entries it has, as written. */
  readonly legacy: readonly string[];
}

const definitionPattern = (type: string): RegExp =>
  new RegExp(
    `defineEvent\\(\\{\\s*type: '${type}',\\s*schemaVersion: (\\d+),\\s*schema: (\\w+),?` +
      `(?:\\s*legacy: \\[([^\\]]*)\\],?)?\\s*\\}\\)`,
  );

/** The definition of `type` in an event registry file, or undefined when it has none. */
export function findEventDefinition(text: string, type: string): EventDefinitionAt | undefined {
  const match = definitionPattern(type).exec(text);
  if (!match) return undefined;
  const legacy = (match[3] ?? '').match(/legacyVersion\([^)]*\)/g) ?? [];
  return { version: Number(match[1]), schema: match[2] ?? '', source: match[0], legacy };
}

/** The names a new version N+1 of `type` uses. */
export const versionNames = (type: string, from: number) => ({
  previousSchema: `${type}V${from}DataSchema`,
  schema: `${type}V${from + 1}DataSchema`,
  previousData: `${type}V${from}Data`,
  data: `${type}Data`,
  upcaster: `upcast${type}V${from}ToV${from + 1}`,
});

/** The registry entry of `type` moved to version N+1, its version N kept as legacy with an upcaster. */
export function versionEventDefinition(text: string, type: string, file: string): string {
  const at = findEventDefinition(text, type);
  if (!at) throw new Error(`${file}: no defineEvent({ type: '${type}', ... }) to add a version to`);
  const names = versionNames(type, at.version);
  const legacy = [...at.legacy, `legacyVersion(${at.version}, ${at.schema}, ${names.upcaster})`];
  const entry =
    `defineEvent({ type: '${type}', schemaVersion: ${at.version + 1}, ` +
    `schema: ${names.schema}, legacy: [${legacy.join(', ')}] })`;
  return text.replace(at.source, entry);
}

/**
 * The schema file of `type`: version N+1 is version N with one optional field added, and the
 * data types follow (`<Type>Data` is the latest, `<Type>V<N>Data` the one the upcaster reads).
 */
export function addVersionSchema(
  text: string,
  type: string,
  from: number,
  field: string,
  file: string,
): string {
  const names = versionNames(type, from);
  const definition = new RegExp(`export const ${names.previousSchema} = ([\\s\\S]*?\\n)(?=\\S|$)`);
  const match = definition.exec(text);
  if (!match) throw new Error(`${file}: no "export const ${names.previousSchema} = ..."`);
  if (new RegExp(`\\b${field}\\??:`).test(match[1] ?? ''))
    throw new Error(
      `${file}: ${names.previousSchema} has a field "${field}" already; name another`,
    );
  const withoutLatestType = text.replace(
    new RegExp(`^export type ${names.data} = z\\.infer<typeof \\w+>;\\n`, 'm'),
    '',
  );
  const previousType = new RegExp(`^export type ${names.previousData} =`, 'm').test(text)
    ? ''
    : `export type ${names.previousData} = z.infer<typeof ${names.previousSchema}>;\n`;
  return (
    `${withoutLatestType.trimEnd()}\n\n` +
    `/**\n * ${type} v${from + 1} (pnpm gen event): v${from} and an optional \`${field}\`. Stored v${from}\n` +
    ` * events are read through ${names.upcaster}.\n */\n` +
    `export const ${names.schema} = ${names.previousSchema}.extend({\n` +
    `  ${field}: z.string().max(500).optional(),\n});\n` +
    previousType +
    `export type ${names.data} = z.infer<typeof ${names.schema}>;\n`
  );
}

/** Every `type: '<type>', schemaVersion: N` literal (deciders, tests) moved to the new version. */
export const bumpEventLiterals = (text: string, type: string, from: number): string =>
  text.replace(new RegExp(`(type: '${type}',\\s*schemaVersion: )${from}\\b`, 'g'), `$1${from + 1}`);

/** The event types a registry file defines, in order. */
export const definedEventTypes = (text: string): string[] =>
  [...text.matchAll(/defineEvent\(\{\s*type: '(\w+)'/g)].map((m) => m[1] ?? '');

/** A JSON Schema as docs/events holds them (the subset zod writes for event data). */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export const EXAMPLE_UUID = '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';

function exampleString(schema: JsonSchema): string {
  if (schema.format === 'uuid') return EXAMPLE_UUID;
  if (schema.format === 'date-time') return '2025-01-01T00:00:00.000Z';
  if (schema.format === 'email') return 'someone@example.com';
  const candidates = ['Stored', 'stored', 'EUR', 'ABC', 'a', 'A', '1', EXAMPLE_UUID];
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern);
  const fits = (s: string): boolean =>
    (pattern?.test(s) ?? true) &&
    s.length >= (schema.minLength ?? 0) &&
    s.length <= (schema.maxLength ?? Infinity);
  return candidates.find(fits) ?? 'Stored';
}

/**
 * A value that satisfies `schema`, for a test's stored payload: the required properties only,
 * each the simplest value of its type. A pattern no candidate fits gives 'Stored', which the
 * test then refuses loudly (edit the payload by hand).
 */
export function exampleOf(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const option = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (option) return exampleOf(option);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => t !== 'null') ?? types[0];
  switch (type) {
    case 'string':
      return exampleString(schema);
    case 'integer':
    case 'number':
      return schema.exclusiveMinimum !== undefined
        ? schema.exclusiveMinimum + 1
        : Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'array':
      return schema.minItems && schema.items
        ? Array.from({ length: schema.minItems }, () => exampleOf(schema.items ?? {}))
        : [];
    case 'null':
      return null;
    default:
      return Object.fromEntries(
        (schema.required ?? []).map((key) => [key, exampleOf(schema.properties?.[key] ?? {})]),
      );
  }
}

/** The upcaster test's `const v1Data = { ... };` replaced by a stored payload. */
export function withStoredData(text: string, data: unknown, file: string): string {
  const pattern = /^(const v\d+Data = )\{[^;]*\};$/m;
  if (!pattern.test(text)) throw new Error(`${file}: no "const v<N>Data = { ... };" to fill`);
  return text.replace(pattern, (_all, head: string) => `${head}${JSON.stringify(data)};`);
}

/**
 * A version part (written for v1 -> v2) for version `from` -> `from + 1`: V1/v1 and V2/v2 in
 * names and prose, and the `schemaVersion` literals.
 */
export const renameVersions = (text: string, from: number): string =>
  text.replace(/[Vv][12](?!\d)|schemaVersion: [12]\b/g, (token) => {
    const to = token.endsWith('1') ? from : from + 1;
    return token.slice(0, -1) + String(to);
  });
