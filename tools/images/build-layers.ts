import { podman } from './podman';

/** A step of a multi-stage build and the image (layer) it left, read from podman's output. */
export interface BuildStep {
  stage: number;
  stages: number;
  instruction: string;
  imageId: string;
}

/**
 * The steps of `podman build` output: each `[k/n] STEP i/m: <instruction>` line is followed by
 * `--> <id>` lines, the last of which names the image that step made (or reused).
 */
export function buildSteps(output: string): BuildStep[] {
  const steps: BuildStep[] = [];
  let current: Omit<BuildStep, 'imageId'> | undefined;
  for (const line of output.split('\n')) {
    const step = /^\[(\d+)\/(\d+)\] STEP \d+\/\d+: (.*)$/.exec(line);
    if (step) {
      current = { stage: Number(step[1]), stages: Number(step[2]), instruction: step[3]! };
      continue;
    }
    const id = /^--> (?:Using cache )?([0-9a-f]{11,64})$/.exec(line)?.[1];
    if (id && current) {
      const last = steps.at(-1);
      if (last && last.instruction === current.instruction && last.stage === current.stage)
        last.imageId = id;
      else steps.push({ ...current, imageId: id });
    }
  }
  return steps;
}

/**
 * Keeps the disk in check between runs without losing the cache that makes them fast. The
 * dependency layer (`pnpm fetch`, the same for every app while the lockfile stays) gets a tag,
 * so nothing removes it; the end of every earlier stage (the whole workspace installed and
 * built, about 1-2 GB, useful only for an identical context) is removed with its untagged
 * parents down to that tag, as is the image a tag pointed at before this build.
 */
export async function pruneBuildLayers(
  steps: readonly BuildStep[],
  depsTag: string,
  previousImageId: string | undefined,
  imageId: string,
): Promise<void> {
  const fetch = steps.find((s) => s.stage < s.stages && /\bpnpm fetch\b/.test(s.instruction));
  if (fetch) await podman(['tag', fetch.imageId, depsTag]);
  const stageEnds = steps.filter((s, i) => s.stage < s.stages && steps[i + 1]?.stage !== s.stage);
  for (const end of stageEnds) await podman(['rmi', end.imageId]);
  if (
    previousImageId &&
    !imageId.startsWith(previousImageId) &&
    !previousImageId.startsWith(imageId)
  )
    await podman(['rmi', previousImageId]);
}
