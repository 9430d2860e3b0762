/**
 * Commands are plain data, discriminated by `type`. `actorId` is the authenticated subject
 * (the token's `sub`), set by the HTTP layer, never taken from a request body.
 */
interface SampleCommandBase {
  readonly sampleId: string;
  readonly actorId: string;
}

export interface CreateSample extends SampleCommandBase {
  readonly type: 'CreateSample';
  readonly ownerId: string;
  readonly title: string;
}

export interface RenameSample extends SampleCommandBase {
  readonly type: 'RenameSample';
  readonly title: string;
}

export type SampleCommand = CreateSample | RenameSample;
export type SampleCommandType = SampleCommand['type'];
