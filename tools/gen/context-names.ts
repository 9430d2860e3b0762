/**
 * The spellings of a context's name the skeleton's placeholders turn into. The skeleton is the
 * `samples` context (aggregate `sample`); every spelling of those two words in its paths and
 * contents is replaced, case preserved, so the generated code is the skeleton's, renamed.
 */
export interface ContextNames {
  /** The context, plural (`orders`, `inventory`): packages, topics, tables, routes. */
  readonly plural: string;
  /** The aggregate (`order`, `inventory`): types, ids, events. */
  readonly singular: string;
}

/** The placeholder the skeleton is written with. */
export const SKELETON: ContextNames = { plural: 'samples', singular: 'sample' };

/** Names the generator refuses: they would clash with the platform's own packages and apps. */
const RESERVED = new Set(['gateway', 'events', 'context', 'testing', 'platform', 'projections']);

/** Why `name` cannot be a context name, or undefined when it can. */
export function invalidContextName(name: string): string | undefined {
  if (!/^[a-z]{3,30}$/.test(name))
    return `"${name}" is not a context name: one lower-case word of 3 to 30 letters, a plural noun (orders, inventory)`;
  if (RESERVED.has(name) || name.endsWith('domain'))
    return `"${name}" is reserved by the platform; pick another plural noun`;
  if (name === SKELETON.plural) return `"${name}" is the skeleton's placeholder; pick another`;
  return undefined;
}

/** `orders` -> `order`, `deliveries` -> `delivery`, `inventory` -> `inventory` (uncountable). */
export function contextNames(plural: string): ContextNames {
  const singular = plural.endsWith('ies')
    ? `${plural.slice(0, -3)}y`
    : plural.endsWith('s') && !plural.endsWith('ss')
      ? plural.slice(0, -1)
      : plural;
  return { plural, singular };
}

const capital = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * Replaces every spelling of the skeleton's names with the context's: `samples`, `Samples`,
 * `SAMPLES`, then `sample`, `Sample`, `SAMPLE` (plural first, as it contains the singular).
 */
export function renameSkeleton(text: string, names: ContextNames): string {
  const pairs: Array<[string, string]> = [];
  for (const key of ['plural', 'singular'] as const) {
    const from = SKELETON[key];
    const to = names[key];
    pairs.push([from, to], [capital(from), capital(to)], [from.toUpperCase(), to.toUpperCase()]);
  }
  const table = new Map(pairs);
  const pattern = new RegExp(pairs.map(([from]) => from).join('|'), 'g');
  return text.replace(pattern, (match) => table.get(match) ?? match);
}
