import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { buildSteps, pruneBuildLayers } from './build-layers';
import { imageBytes, podman, podmanOut } from './podman';
import { SOURCE_LABEL } from './source-state';

/** One app image as built: its tag, its build time and what it adds to the base image. */
export interface BuiltImage {
  app: string;
  image: string;
  ok: boolean;
  buildSeconds: number;
  /** Bytes of the layers over the base image (the app, its libs, its production packages). */
  appBytes: number;
  totalBytes: number;
  error?: string;
}

/** The apps that ship an image: every apps/<app>/Dockerfile. */
export const appsWithDockerfile = (root: string): string[] =>
  readdirSync(path.join(root, 'apps'))
    .filter((app) => existsSync(path.join(root, 'apps', app, 'Dockerfile')))
    .sort();

/** Where a registry would put it; localhost/ keeps a check's image from shadowing a pushed one. */
export const imageTag = (app: string): string => `localhost/cqrs-template/${app}:check`;

/** The shared dependency layer of every app's build stage, tagged so that it stays cached. */
const DEPS_TAG = 'localhost/cqrs-template/build-deps:check';

/**
 * Builds apps/<app>/Dockerfile from the repository root as a deployment would, on `baseImage`.
 * The CA bundle, when given, reaches only the network steps (a secret mount, never a layer).
 * `source` (sourceState) labels the image with the tree it was built from.
 */
export async function buildAppImage(
  root: string,
  app: string,
  baseImage: string,
  caBundle: string | undefined,
  source?: string,
): Promise<BuiltImage> {
  const image = imageTag(app);
  const args = ['build', '-f', path.join(root, 'apps', app, 'Dockerfile')];
  // Docker's image format: the OCI one has no HEALTHCHECK, and podman would drop it.
  args.push('--format', 'docker', '--build-arg', `NODE_IMAGE=${baseImage}`, '-t', image);
  if (caBundle) args.push('--secret', `id=ca,src=${caBundle}`);
  if (source) args.push('--label', `${SOURCE_LABEL}=${source}`);
  process.stdout.write(`\n--- podman ${args.join(' ')} .\n`);
  const previous = await podman(['image', 'inspect', '--format', '{{.Id}}', image]);
  const build = await podman([...args, root], { echo: true });
  const result = { app, image, buildSeconds: build.seconds, appBytes: 0, totalBytes: 0 };
  if (build.code !== 0) return { ...result, ok: false, error: `podman build exited ${build.code}` };
  const imageId = await podmanOut(['image', 'inspect', '--format', '{{.Id}}', image]);
  const previousId = previous.code === 0 ? previous.stdout.trim() : undefined;
  await pruneBuildLayers(buildSteps(build.stdout), DEPS_TAG, previousId, imageId);
  const [total, base] = [await imageBytes(image), await imageBytes(baseImage)];
  return { ...result, ok: true, totalBytes: total, appBytes: total - base };
}

/**
 * Whether the app's image was built from this source state (its label): then a later step of
 * the same run (compose:run-check after images:check) runs it instead of building it again, as
 * the build stage it would need for a cache hit is pruned after every build.
 */
export async function builtFrom(app: string, source: string | undefined): Promise<boolean> {
  if (!source) return false;
  const format = `{{ index .Config.Labels "${SOURCE_LABEL}" }}`;
  const label = await podman(['image', 'inspect', '--format', format, imageTag(app)]);
  return label.code === 0 && label.stdout.trim() === source;
}
