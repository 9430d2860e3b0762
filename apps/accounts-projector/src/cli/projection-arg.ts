import type { ProjectionSpec } from '../wiring/projector.wiring';

/** Refused by the CLIs: a name that is not one of the service's projections, or none given. */
export class UnknownProjectionError extends Error {
  override readonly name = 'UnknownProjectionError';
  readonly code = 'UNKNOWN_PROJECTION';
}

/** The projection a CLI acts on: the one named, or the only one when there is one. */
export function selectProjection(
  specs: readonly ProjectionSpec[],
  name: string | undefined,
): ProjectionSpec {
  const names = specs.map((s) => s.projection.name);
  if (name === undefined) {
    if (specs.length === 1 && specs[0] !== undefined) return specs[0];
    throw new UnknownProjectionError(`name a projection: ${names.join(', ')}`);
  }
  const spec = specs.find((s) => s.projection.name === name);
  if (spec === undefined) {
    throw new UnknownProjectionError(`no projection ${name}; known: ${names.join(', ')}`);
  }
  return spec;
}

/** `--projection <name>` or `--projection=<name>` on a CLI's command line. */
export function projectionArg(argv: readonly string[]): string | undefined {
  const index = argv.findIndex((a) => a === '--projection' || a.startsWith('--projection='));
  const arg = argv[index];
  if (index < 0 || arg === undefined) return undefined;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
}
