import { buildSteps } from './build-layers';

const output = `[1/2] STEP 1/4: FROM localhost/node:26.12-bookworm-slim AS build
[1/2] STEP 2/4: RUN pnpm fetch --frozen-lockfile
--> Using cache adce6f00f2518d2e97eb5183f94f4e0bd5098e933b92fd34f92a962f8c464af6
--> adce6f00f25
[1/2] STEP 3/4: COPY . .
--> f6576c11b68
[1/2] STEP 4/4: RUN pnpm install --offline && pnpm deploy /out
Progress: resolved 727, reused 727, downloaded 0, added 727
--> 425f167cf6c
[2/2] STEP 1/2: FROM localhost/node:26.12-bookworm-slim AS runtime
[2/2] STEP 2/2: COPY --from=build /out ./
[2/2] COMMIT localhost/cqrs-template/gateway:check
--> 2ec1bc7852d`;

describe('buildSteps', () => {
  it('gives each step of podman build output the image it made or reused', () => {
    // given the output of a two-stage build, when it is read
    const steps = buildSteps(output);
    // then every step with a layer is listed once, with its stage and last image id
    expect(steps.map((s) => [s.stage, s.instruction.split(' ')[1], s.imageId])).toEqual([
      [1, 'pnpm', 'adce6f00f25'],
      [1, '.', 'f6576c11b68'],
      [1, 'pnpm', '425f167cf6c'],
      [2, '--from=build', '2ec1bc7852d'],
    ]);
  });

  it('reads nothing from output without steps', () => {
    expect(buildSteps('Error: no such file\n--> deadbeef0000')).toEqual([]);
  });
});
