import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NodePlopAPI } from 'plop';
import { contextNames, invalidContextName, type ContextNames } from './context-names';
import {
  editText,
  filesUnder,
  formatFiles,
  refuse,
  ROOT,
  run,
  writeNew,
  type Action,
} from './gen-actions';
import {
  addImport,
  addNamedImport,
  addToStringList,
  addUnionMember,
  addVersionSchema,
  appendLine,
  bumpEventLiterals,
  definedEventTypes,
  exampleOf,
  findEventDefinition,
  insertAtAnchor,
  renameVersions,
  versionEventDefinition,
  versionNames,
  withStoredData,
  type JsonSchema,
} from './part-edits';
import {
  camel,
  eventOfCommand,
  invalidProjectionName,
  invalidTypeName,
  kebab,
  kebabWords,
  pascal,
  pascalWords,
  renamePart,
  snake,
  type Words,
} from './part-names';

/**
 * `pnpm gen command | event | projection`: parts added to a generated context. A part's new
 * files are real TypeScript in tools/gen/parts/<kind> (written for the skeleton's `samples`
 * context, renamed like it); the existing files are edited at the `// gen:` anchors the
 * skeleton carries (part-edits.ts). Each generator ends with the documents regenerated and
 * prettier over what it touched; `pnpm gen:check` runs all three on a generated context.
 */
const PARTS_DIR = path.join(__dirname, 'parts');

/** Where a context's files are, from its names. */
function filesOf(n: ContextNames) {
  const { plural: p, singular: s } = n;
  return {
    domain: `libs/${p}-domain`,
    commands: `libs/${p}-domain/src/${s}.commands.ts`,
    decider: `libs/${p}-domain/src/${s}.decider.ts`,
    state: `libs/${p}-domain/src/${s}.state.ts`,
    index: `libs/${p}-domain/src/index.ts`,
    descriptor: `libs/${p}-domain/src/context/${p}.context.ts`,
    eventsDir: `libs/events/src/${p}`,
    registry: `libs/events/src/${p}/${s}-events.ts`,
    eventSchemas: `libs/events/src/${p}/${s}-events.schema.ts`,
    projector: `apps/${p}-projector`,
    projectorService: `apps/${p}-projector/src/${p}-projector.service.ts`,
    homes: [`libs/${p}-domain`, `apps/${p}-command`, `apps/${p}-projector`],
  };
}

const read = (relative: string): string => readFileSync(path.join(ROOT, relative), 'utf8');
const exists = (relative: string): boolean => existsSync(path.join(ROOT, relative));
const tsFilesUnder = (relative: string): string[] =>
  exists(relative)
    ? filesUnder(path.join(ROOT, relative))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.relative(ROOT, f))
    : [];

/** Why `name` is not a context these generators can add to (generated, with its anchors). */
function contextRefusal(name: string): string | undefined {
  const invalid = invalidContextName(name);
  if (invalid) return invalid;
  const files = filesOf(contextNames(name));
  if (!exists(files.descriptor) || !exists(files.registry)) return `there is no context "${name}"`;
  if (!read(files.decider).includes('// gen:decide-cases'))
    return `context "${name}" was not written by pnpm gen context (no "// gen:" anchors); add to it by hand`;
  return undefined;
}

/** The new files of part `kind`, renamed for the context: [path in the repository, text]. */
function partFiles(
  kind: 'command' | 'event' | 'version' | 'projection',
  rename: (text: string) => string,
): Array<[string, () => string]> {
  const dir = path.join(PARTS_DIR, kind);
  return filesUnder(dir)
    .sort()
    .map((file) => [rename(path.relative(dir, file)), () => rename(readFileSync(file, 'utf8'))]);
}

/** A case of `evolve` for a new event: it counts in the version; its data is for the user to fold. */
const evolveCase = `case 'SampleArchived':
  // Added by pnpm gen event: it counts in the version; fold its data into the state here.
  return state.status === 'none' ? state : { ...state, version: state.version + 1 };`;

/** A case of the first projection for a new event: the row follows the stream's version. */
const applyCase = `case 'SampleArchived':
  // Added by pnpm gen event: the row follows the stream's version; project its data here.
  await tx.query(
    \`UPDATE \${s}.samples SET version = $2, updated_at = $3 WHERE sample_id = $1 AND version < $2\`,
    [event.streamId, event.streamVersion, event.occurredAt],
  );
  return;`;

/** A new event type: its v1 schema and registry entry, and a case wherever events are switched on. */
function newEventActions(n: ContextNames, event: Words): { actions: Action[]; touched: string[] } {
  const files = filesOf(n);
  const type = pascal(event);
  const rename = (text: string): string => renamePart(text, n, { event });
  const written = partFiles('event', rename);
  const projections = tsFilesUnder(`${files.projector}/src`).filter((f) =>
    read(f).includes('// gen:apply-cases'),
  );
  const schemaModule = `./${kebab(event)}.schema`;
  const actions: Action[] = [
    ...written.map(([to, text]) => writeNew(to, text)),
    editText(files.eventSchemas, (text) => appendLine(text, `export * from '${schemaModule}';`)),
    editText(files.registry, (text) =>
      insertAtAnchor(
        addImport(text, `import { ${type}V1DataSchema } from '${schemaModule}';`),
        'event-definitions',
        `defineEvent({ type: '${type}', schemaVersion: 1, schema: ${type}V1DataSchema }),`,
        files.registry,
      ),
    ),
    editText(files.state, (text) =>
      insertAtAnchor(text, 'evolve-cases', rename(evolveCase), files.state),
    ),
    ...projections.map((file) =>
      editText(file, (text) => insertAtAnchor(text, 'apply-cases', rename(applyCase), file)),
    ),
  ];
  return {
    actions,
    touched: [
      ...written.map(([to]) => to),
      files.eventSchemas,
      files.registry,
      files.state,
      ...projections,
    ],
  };
}

/** A new version of an existing event: schema, registry entry with upcaster, literals, test. */
function versionActions(n: ContextNames, event: Words, field: string): Action[] | string {
  const files = filesOf(n);
  const type = pascal(event);
  const at = findEventDefinition(read(files.registry), type);
  if (!at) return `${files.registry}: no defineEvent({ type: '${type}', ... })`;
  const from = at.version;
  const names = versionNames(type, from);
  const imported = new RegExp(
    `import \\{[^}]*\\b${names.previousSchema}\\b[^}]*\\} from '(\\./[\\w.-]+)';`,
  ).exec(read(files.registry));
  const module = imported?.[1];
  if (!module) return `${files.registry}: does not import ${names.previousSchema}`;
  const schemaFile = `${files.eventsDir}/${module.slice(2)}.ts`;
  const doc = `docs/events/${type}.v${from}.json`;
  if (!exists(doc)) return `${doc} is missing: run pnpm events:generate first`;
  const stored = exampleOf(JSON.parse(read(doc)) as JsonSchema);
  const rename = (text: string): string =>
    renameVersions(renamePart(text, n, { event }), from).replace(
      `from './${kebab(event)}.schema'`,
      `from '${module}'`,
    );
  const written = partFiles('version', rename);
  const literals = files.homes.flatMap(tsFilesUnder);
  return [
    editText(schemaFile, (text) => addVersionSchema(text, type, from, field, schemaFile)),
    editText(files.registry, (text) =>
      addImport(
        addNamedImport(
          addNamedImport(
            versionEventDefinition(text, type, files.registry),
            '../registry/event-definition',
            'legacyVersion',
            files.registry,
          ),
          module,
          names.schema,
          files.registry,
        ),
        `import { ${names.upcaster} } from './${kebab(event)}-v${from + 1}.upcaster';`,
      ),
    ),
    // The code that writes this event (decider, tests) writes the new version from now on.
    ...literals
      .filter((file) => bumpEventLiterals(read(file), type, from) !== read(file))
      .map((file) => editText(file, (text) => bumpEventLiterals(text, type, from))),
    ...written.map(([to, text]) =>
      writeNew(to, () => (to.endsWith('.spec.ts') ? withStoredData(text(), stored, to) : text())),
    ),
    run('JSON Schema of the new version', 'pnpm', ['-s', 'events:generate']),
    formatFiles([files.eventsDir, ...files.homes]),
  ];
}

/** A new command: the command, its rule, its endpoint and test, and the event it records. */
function commandActions(n: ContextNames, command: Words, event: Words): Action[] {
  const files = filesOf(n);
  const type = pascal(command);
  const slice = kebab(command);
  const rename = (text: string): string => renamePart(text, n, { command, event });
  const written = partFiles('command', rename);
  const newEvent = newEventActions(n, event);
  return [
    ...newEvent.actions,
    ...written.map(([to, text]) => writeNew(to, text)),
    editText(files.commands, (text) =>
      addUnionMember(
        addImport(text, `import type { ${type} } from './${slice}/${slice}.command';`),
        `${pascal([n.singular])}Command`,
        type,
        files.commands,
      ),
    ),
    editText(files.decider, (text) =>
      insertAtAnchor(
        addImport(text, `import { decide${type} } from './${slice}/${slice}.decider';`),
        'decide-cases',
        `case '${type}':\n  return decide${type}(command, state);`,
        files.decider,
      ),
    ),
    editText(files.index, (text) =>
      appendLine(text, `export * from './${slice}/${slice}.command';`),
    ),
    editText(files.descriptor, (text) =>
      insertAtAnchor(
        addImport(
          text,
          `import { ${camel(command)}Endpoint } from '../${slice}/${slice}.endpoint';`,
        ),
        'commands',
        `${camel(command)}Endpoint,`,
        files.descriptor,
      ),
    ),
    run('JSON Schema of the new event', 'pnpm', ['-s', 'events:generate']),
    run('the API collection', 'pnpm', ['-s', 'http:write']),
    formatFiles([files.eventsDir, ...files.homes]),
  ];
}

function projectionActions(n: ContextNames, projection: Words): Action[] {
  const files = filesOf(n);
  const rename = (text: string): string => renamePart(text, n, { projection });
  const written = partFiles('projection', rename);
  const name = camel(projection);
  return [
    ...written.map(([to, text]) => writeNew(to, text)),
    editText(files.projectorService, (text) =>
      insertAtAnchor(
        addImport(
          text,
          `import { ${name}Projection } from './${kebab(projection)}/${kebab(projection)}.projection';`,
        ),
        'projections',
        `${name}Projection(),`,
        files.projectorService,
      ),
    ),
    editText(files.descriptor, (text) =>
      addToStringList(text, 'projections', snake(projection), files.descriptor),
    ),
    formatFiles([files.projector, files.descriptor]),
  ];
}

const answer = (answers: unknown, key: string): string => {
  const given: unknown = (answers as Record<string, unknown> | undefined)?.[key];
  return typeof given === 'string' ? given : '';
};

const contextPrompt = {
  type: 'input',
  name: 'context',
  message: 'context (generated by pnpm gen context)',
  validate: (name: string) => contextRefusal(name) ?? true,
} as const;

/** Why a command cannot be added, or its words and its event's. */
export function commandPlan(
  context: string,
  name: string,
  eventName: string,
): string | { command: Words; event: Words } {
  const refused = contextRefusal(context) ?? invalidTypeName('command', name);
  if (refused) return refused;
  const command = pascalWords(name) ?? [];
  if (eventName !== '' && invalidTypeName('event', eventName))
    return invalidTypeName('event', eventName) ?? '';
  const event = eventName === '' ? eventOfCommand(command) : (pascalWords(eventName) ?? []);
  const files = filesOf(contextNames(context));
  if (
    new RegExp(`'${name}'`).test(read(files.commands)) ||
    exists(`${files.domain}/src/${kebab(command)}`)
  )
    return `command ${name} exists already in context "${context}"`;
  if (definedEventTypes(read(files.registry)).includes(pascal(event)))
    return `event ${pascal(event)} exists already; name the command's event as a third argument (pnpm gen command ${context} ${name} <Event>)`;
  return { command, event };
}

export function registerPartGenerators(plop: NodePlopAPI): void {
  plop.setGenerator('command', {
    description: 'a command of a generated context: type, rule, endpoint, test, and its new event',
    prompts: [
      contextPrompt,
      {
        type: 'input',
        name: 'name',
        message: 'command, PascalCase verb and object (AdjustStock)',
        validate: (name: string) => invalidTypeName('command', name) ?? true,
      },
      // Given as a third argument only; by default the command's object and verb (StockAdjusted).
      { type: 'input', name: 'event', message: 'event it records', when: false },
    ],
    actions: (answers) => {
      const plan = commandPlan(
        answer(answers, 'context'),
        answer(answers, 'name'),
        answer(answers, 'event'),
      );
      if (typeof plan === 'string') return refuse(plan);
      return commandActions(contextNames(answer(answers, 'context')), plan.command, plan.event);
    },
  });

  plop.setGenerator('event', {
    description: 'a new event type of a generated context, or a new version of an existing one',
    prompts: [
      contextPrompt,
      {
        type: 'input',
        name: 'name',
        message: 'event, PascalCase (StockAdjusted); an existing one gets a new version',
        validate: (name: string) => invalidTypeName('event', name) ?? true,
      },
      // Given as a third argument only: the field a new version adds (default `comment`).
      { type: 'input', name: 'field', message: 'field the new version adds', when: false },
    ],
    actions: (answers) => {
      const context = answer(answers, 'context');
      const name = answer(answers, 'name');
      const refused = contextRefusal(context) ?? invalidTypeName('event', name);
      if (refused) return refuse(refused);
      const n = contextNames(context);
      const event = pascalWords(name) ?? [];
      const files = filesOf(n);
      if (definedEventTypes(read(files.registry)).includes(name)) {
        const field = answer(answers, 'field') || 'comment';
        if (!/^[a-z][A-Za-z]{0,40}$/.test(field))
          return refuse(`"${field}" is not a field name: camelCase letters (comment)`);
        const actions = versionActions(n, event, field);
        return typeof actions === 'string' ? refuse(actions) : actions;
      }
      const { actions } = newEventActions(n, event);
      return [
        ...actions,
        run('JSON Schema of the new event', 'pnpm', ['-s', 'events:generate']),
        formatFiles([files.eventsDir, ...files.homes]),
      ];
    },
  });

  plop.setGenerator('projection', {
    description: "a second named projection in a generated context's projector, with its table",
    prompts: [
      contextPrompt,
      {
        type: 'input',
        name: 'name',
        message: 'projection, kebab-case (stock-activity)',
      },
    ],
    actions: (answers) => {
      const context = answer(answers, 'context');
      const name = answer(answers, 'name');
      const refused = contextRefusal(context);
      if (refused) return refuse(refused);
      const n = contextNames(context);
      const invalid = invalidProjectionName(name, n);
      if (invalid) return refuse(invalid);
      const words = kebabWords(name) ?? [];
      const files = filesOf(n);
      if (
        exists(`${files.projector}/src/${name}`) ||
        read(files.projectorService).includes(`${camel(words)}Projection`)
      )
        return refuse(`projection ${name} exists already in context "${context}"`);
      return projectionActions(n, words);
    },
  });
}
