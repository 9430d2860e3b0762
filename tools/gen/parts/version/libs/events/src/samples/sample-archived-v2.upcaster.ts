import type { SampleArchivedData, SampleArchivedV1Data } from './sample-archived.schema';

/**
 * SampleArchived v1 -> v2 (written by `pnpm gen event`): stored v1 events are read through
 * here. v2 added a field; derive it from what v1 knew, or leave it out while it is optional.
 * The registry validates the result against v2.
 */
export const upcastSampleArchivedV1ToV2 = (data: SampleArchivedV1Data): SampleArchivedData => ({
  ...data,
});
