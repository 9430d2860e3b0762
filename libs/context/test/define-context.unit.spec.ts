import { z } from 'zod';
import { commandsOf, defineContext, pathParams } from '@cqrs/context';

type NoteCommand = { type: 'WriteNote'; noteId: string; text: string };
const command = commandsOf<NoteCommand>();

const write = command({
  operationId: 'writeNote',
  name: 'WriteNote',
  method: 'POST',
  path: '/notes',
  summary: 'Write a note',
  body: z.strictObject({ text: z.string() }),
  success: { description: 'Written.' },
  problems: [],
  toCommand: ({ streamId, body }) => ({ type: 'WriteNote', noteId: streamId, text: body.text }),
});
const edit = { ...write, operationId: 'editNote', path: '/notes/:noteId/edits' };

const context = (overrides: Partial<Parameters<typeof defineContext>[0]> = {}) =>
  defineContext({
    name: 'notes',
    description: 'Notes.',
    aggregate: {
      name: 'note',
      idParam: 'noteId',
      idSchema: z.guid(),
      decider: {
        initialState: () => ({}),
        decide: () => ({ ok: true, events: [] }),
        evolve: (state) => state,
      },
      events: {
        parseEvent: () => ({ ok: false, error: { code: 'EVENT_UNKNOWN_TYPE', message: '' } }),
      },
      isNotFound: () => false,
    },
    errorStatus: {},
    commands: [write, edit],
    queries: [
      {
        operationId: 'getNote',
        method: 'GET',
        path: '/notes/:noteId',
        summary: 'One note',
        params: z.strictObject({ noteId: z.guid() }),
        success: { status: 200, schema: 'Note', description: 'The note.' },
        problems: [404],
      },
    ],
    schemas: { Note: z.object({ text: z.string() }) },
    projections: ['notes'],
    ...overrides,
  });

describe('defineContext', () => {
  it('given a success Location, when it does not name the id parameter, then the descriptor is refused', () => {
    const located = { ...write, success: { description: 'd', location: '/notes/:noteId' } };
    expect(context({ commands: [located] }).commands[0]?.success.location).toBe('/notes/:noteId');
    const lost = { ...write, success: { description: 'd', location: '/notes/latest' } };
    expect(() => context({ commands: [lost] })).toThrow('success.location must name :noteId');
  });

  it('given success fields, when one would replace the id, version or token, then the descriptor is refused', () => {
    for (const field of ['noteId', 'version', 'consistencyToken']) {
      const spec = { ...write, success: { description: 'd', fields: { [field]: 'x' } } };
      expect(() => context({ commands: [spec] })).toThrow(`must not replace the answer's ${field}`);
    }
    const pending = {
      ...write,
      success: { description: 'd', status: 202 as const, fields: { status: 'pending' } },
    };
    expect(context({ commands: [pending] }).commands[0]?.success.fields).toEqual({
      status: 'pending',
    });
  });

  it('given a path without the id parameter, when defined, then the command creates a stream', () => {
    const [created, edited] = context().commands;
    expect(created?.creates).toBe(true);
    expect(created?.params).toBeUndefined();
    expect(edited?.creates).toBe(false);
    expect(Object.keys(edited?.params?.shape ?? {})).toEqual(['noteId']);
  });

  it('given path parameters, when listed, then they come in order', () => {
    expect(pathParams('/a/:x/b/:yId')).toEqual(['x', 'yId']);
  });

  it.each([
    ['a name that is not one lower-case word', { name: 'Notes-2' }, /name must match/],
    [
      'a query answering an unknown schema',
      { schemas: {} },
      /getNote answers "Note", which is not in schemas/,
    ],
    [
      'two routes with one operationId',
      { commands: [write, { ...edit, operationId: 'writeNote' }] },
      /operationId writeNote is used twice/,
    ],
    [
      'two routes on one method and path',
      { commands: [write, { ...write, operationId: 'other' }] },
      /POST \/notes is declared twice/,
    ],
    [
      'path parameters the params schema lacks',
      {
        queries: [
          {
            operationId: 'getNote',
            method: 'GET' as const,
            path: '/notes/:noteId/:part',
            summary: 'x',
            params: z.strictObject({ noteId: z.guid() }),
            success: { status: 200, schema: 'Note', description: 'x' },
            problems: [],
          },
        ],
      },
      /path parameters \[noteId, part\] and params schema \[noteId\] differ/,
    ],
    [
      'an internal command outside /internal/',
      { commands: [{ ...edit, access: 'internal' as const }] },
      /editNote: internal commands must have a path under \/internal\//,
    ],
    [
      'a public command under /internal/',
      { commands: [{ ...edit, path: '/internal/notes/:noteId/edits' }] },
      /editNote: public commands must not have a path under \/internal\//,
    ],
  ])('given %s, when defined, then it throws at load', (_what, overrides, message) => {
    expect(() => context(overrides)).toThrow(message);
  });

  it('given no access, when defined, then a command is public; internal when it says so', () => {
    const internal = { ...edit, access: 'internal' as const, path: '/internal/notes/:noteId/x' };
    const [created, marked] = context({ commands: [write, internal] }).commands;
    expect(created?.access).toBe('public');
    expect(marked?.access).toBe('internal');
  });

  it.each([
    ['a public path', '/notes/:noteId/summary'],
    ['no id parameter', '/internal/notes/summary'],
    ['another parameter', '/internal/notes/:noteId/:part'],
  ])('given a summary with %s, when defined, then it throws at load', (_what, path) => {
    const base = context().aggregate;
    expect(() => context({ aggregate: { ...base, summary: { path, of: () => ({}) } } })).toThrow(
      /aggregate.summary: path must/,
    );
  });
});
