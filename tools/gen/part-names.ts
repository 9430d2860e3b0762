import { renameSkeleton, SKELETON, type ContextNames } from './context-names';

/**
 * Names of what `pnpm gen command | event | projection` add to a context, and how the parts in
 * tools/gen/parts are renamed. A part is written for the skeleton's `samples` context with a
 * placeholder (command `ArchiveSample`, event `SampleArchived`, projection `sample-activity`);
 * it is renamed like the skeleton first, then its placeholder, in every spelling, becomes the
 * given name.
 */

/** A name as its words, lower case: `AdjustStock` -> ['adjust', 'stock']. */
export type Words = readonly string[];

const capital = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** Every spelling a part uses: AdjustStock, adjustStock, adjust-stock, adjust_stock, ADJUST_STOCK, adjust stock, Adjust stock. */
export function spellings(words: Words): string[] {
  const [first = '', ...rest] = words;
  return [
    words.map(capital).join(''),
    first + rest.map(capital).join(''),
    words.join('-'),
    words.join('_'),
    words.join('_').toUpperCase(),
    words.join(' '),
    capital(words.join(' ')),
  ];
}

export const pascal = (words: Words): string => words.map(capital).join('');
export const camel = (words: Words): string => spellings(words)[1] ?? '';
export const kebab = (words: Words): string => words.join('-');
export const snake = (words: Words): string => words.join('_');

/** `AdjustStock` -> ['adjust', 'stock']; undefined for anything but PascalCase letters. */
export function pascalWords(name: string): Words | undefined {
  if (!/^(?:[A-Z][a-z]+)+$/.test(name)) return undefined;
  return (name.match(/[A-Z][a-z]+/g) ?? []).map((w) => w.toLowerCase());
}

/** `stock-activity` -> ['stock', 'activity']; undefined for anything but kebab-case letters. */
export function kebabWords(name: string): Words | undefined {
  if (!/^[a-z]+(?:-[a-z]+)*$/.test(name)) return undefined;
  return name.split('-');
}

/** The placeholders of the parts, per kind, in the skeleton's names. */
export const PLACEHOLDER = {
  command: ['archive', SKELETON.singular],
  event: [SKELETON.singular, 'archived'],
  projection: [SKELETON.singular, 'activity'],
} as const satisfies Record<string, Words>;

/**
 * A part's text (or path) for context `n`: the skeleton's names renamed, then each placeholder
 * (renamed with them) replaced by its given name, every spelling at once so that no
 * replacement is replaced again.
 */
export function renamePart(
  text: string,
  n: ContextNames,
  given: Partial<Record<keyof typeof PLACEHOLDER, Words>>,
): string {
  const table = new Map<string, string>();
  for (const [kind, words] of Object.entries(given) as [keyof typeof PLACEHOLDER, Words][]) {
    const placeholder = PLACEHOLDER[kind].map((w) => renameSkeleton(w, n));
    const from = spellings(placeholder);
    const to = spellings(words);
    from.forEach((spelling, i) => table.set(spelling, to[i] ?? spelling));
  }
  const renamed = renameSkeleton(text, n);
  if (table.size === 0) return renamed;
  const keys = [...table.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(keys.map((k) => k.replace(/[-_ ]/g, '\\$&')).join('|'), 'g');
  return renamed.replace(pattern, (match) => table.get(match) ?? match);
}

/** Irregular past tenses a command's verb may have; the rest follow the regular rules. */
const IRREGULAR: Readonly<Record<string, string>> = {
  buy: 'bought',
  hold: 'held',
  pay: 'paid',
  put: 'put',
  reset: 'reset',
  sell: 'sold',
  send: 'sent',
  set: 'set',
  split: 'split',
  withdraw: 'withdrawn',
};

/** archive -> archived, adjust -> adjusted, ship -> shipped, empty -> emptied, send -> sent. */
export function pastTense(verb: string): string {
  const irregular = IRREGULAR[verb];
  if (irregular) return irregular;
  if (verb.endsWith('e')) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  // One syllable ending consonant-vowel-consonant doubles its last letter: stop -> stopped.
  const syllables = verb.match(/[aeiouy]+/g)?.length ?? 0;
  if (syllables === 1 && /[^aeiou][aeiou][^aeiouwxy]$/.test(verb))
    return `${verb}${verb.slice(-1)}ed`;
  return `${verb}ed`;
}

/** The event a command records by default: AdjustStock -> StockAdjusted. */
export function eventOfCommand(command: Words): Words {
  const [verb = '', ...object] = command;
  return [...object, pastTense(verb)];
}

/** Why `name` cannot name a command or an event, or undefined when it can. */
export function invalidTypeName(kind: 'command' | 'event', name: string): string | undefined {
  const example = kind === 'command' ? 'AdjustStock' : 'StockAdjusted';
  const words = pascalWords(name);
  const notA = `"${name}" is not ${kind === 'event' ? 'an' : 'a'} ${kind} name`;
  if (!words) return `${notA}: PascalCase letters, as its type is spelled (${example})`;
  if (words.length < 2 || words.length > 5) return `${notA}: 2 to 5 words (${example})`;
  if (words.includes(SKELETON.singular) || words.includes(SKELETON.plural))
    return `"${name}" contains the skeleton's placeholder "${SKELETON.singular}"; pick another name`;
  return undefined;
}

/** Why `name` cannot name a projection, or undefined when it can. */
export function invalidProjectionName(name: string, n: ContextNames): string | undefined {
  const words = kebabWords(name);
  if (!words || name.length > 40)
    return `"${name}" is not a projection name: kebab-case letters, at most 40 (${n.singular}-activity)`;
  if (snake(words) === n.plural)
    return `"${name}" is the context's first projection; pick another name`;
  if (words.includes(SKELETON.singular) || words.includes(SKELETON.plural))
    return `"${name}" contains the skeleton's placeholder "${SKELETON.singular}"; pick another name`;
  return undefined;
}
