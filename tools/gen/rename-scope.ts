/**
 * `pnpm gen rename-scope <@scope>`: the names a project inherits from the template, as data, and
 * the text rewrite that moves a project from one set of names to another. Pure: the generator
 * (rename-scope-actions.ts) reads the files, and this module decides what they become.
 *
 * Three names, all derived from the npm scope, so that one argument renames a project:
 * - the package scope of every workspace package (`@<scope>/events`): package.json names and
 *   dependencies, imports, tsconfig paths, jest's moduleNameMapper, Dockerfiles, docs, and the
 *   lockfile's dependency keys (rewritten as text, so pnpm links without registry metadata);
 * - the project name: the root package.json name, the problem+json type URI host
 *   (`https://<name>.dev/problems/<code>`), the local infrastructure's state directory
 *   (`~/.cache/<name>`), the licence holder and the consistency token's key label;
 * - the Kafka topic prefix (`<prefix>.<context>.events`, and the dead-letter topics after it).
 * For a scope `@s` the new project name and topic prefix are both `s`. The compose project name
 * is not among them: nothing sets it (Debian's docker-compose 1.29 rejects a top-level `name:`),
 * so compose takes the checkout's directory name, and two checkouts keep separate stacks.
 */
export interface ProjectNames {
  /** The npm scope, with its `@`. */
  readonly scope: string;
  /** The root package's name: problem URI host, state directory, licence. */
  readonly name: string;
  /** The first part of every event topic's name. */
  readonly topicPrefix: string;
}

/**
 * A subset of npm's scope names: the name after `@` is also a host name label (the problem
 * URIs), a Kafka topic part and a directory name, so it keeps to lower-case letters, digits and
 * inner hyphens, at most 63 characters (a DNS label).
 */
const SCOPE = /^@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The names a project gets from its scope: `@acme` -> scope `@acme`, name and prefix `acme`. */
export function namesForScope(scope: string): ProjectNames {
  const bare = scope.slice(1);
  return { scope, name: bare, topicPrefix: bare };
}

/** Why the workspace cannot be renamed to `scope`, or undefined when it can. */
export function scopeRefusal(scope: string, current: ProjectNames): string | undefined {
  if (scope === '') return 'give the new scope, e.g. `pnpm gen rename-scope @acme`';
  if (!SCOPE.test(scope))
    return (
      `"${scope}" is not a scope this workspace can take: "@" and a lower-case name of letters, ` +
      'digits and inner hyphens, at most 63 characters (it also names the Kafka topics and the ' +
      'problem URI host), e.g. @acme'
    );
  if (scope === current.scope) return `the workspace's scope is ${scope} already`;
  return undefined;
}

/** What a workspace's files say its names are now (the inputs of `currentNames`). */
export interface NameSources {
  /** The root package.json. */
  readonly rootPackageJson: string;
  /** The `name` of every workspace package. */
  readonly packageNames: readonly string[];
  /** libs/events/src/topics/topics.ts, where the topic names are made. */
  readonly topicsSource: string;
}

const stringField = (json: string, field: string): string | undefined => {
  const value: unknown = (JSON.parse(json) as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
};

/** The current names, or why they cannot be read (the generator then changes nothing). */
export function currentNames(sources: NameSources): ProjectNames | { refusal: string } {
  const scopes = [...new Set(sources.packageNames.map((name) => /^(@[^/]+)\//.exec(name)?.[1]))];
  const scope = scopes[0];
  if (scopes.length !== 1 || scope === undefined)
    return {
      refusal: `the workspace packages do not share one scope (${sources.packageNames.join(', ')})`,
    };
  const name = stringField(sources.rootPackageJson, 'name');
  if (name === undefined || !/^[a-z0-9][a-z0-9._-]*$/.test(name))
    return { refusal: 'the root package.json has no plain (unscoped) name' };
  const topicPrefix = /`([a-z0-9_-]+)\.\$\{context\}\.events`/.exec(sources.topicsSource)?.[1];
  if (topicPrefix === undefined)
    return {
      refusal: 'libs/events/src/topics/topics.ts names no `<prefix>.${context}.events` topic',
    };
  return { scope, name, topicPrefix };
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One pattern for the three names, applied in one pass, so a name already replaced is never
 * replaced again (the new project name may equal the old topic prefix, for example).
 * - scope: `@old/`, not inside a longer word or an e-mail address;
 * - name: the whole token (`~/.cache/old`, `https://old.dev/`), not part of a hyphenated word or
 *   a scope;
 * - topic prefix: only where a topic follows: `old.<context>.events`, `old.${context}.events`,
 *   `old.accounts.events` (the prefix is often an ordinary word, such as the example's domain).
 */
function renamePattern(from: ProjectNames): RegExp {
  const scope = `(?<![\\w.@-])(?<scope>${escaped(from.scope)}/)`;
  const name = `(?<![\\w@-])(?<name>${escaped(from.name)})(?![\\w-])`;
  const topic =
    `(?<![\\w.-])(?<topic>${escaped(from.topicPrefix)}\\.)` +
    '(?=(?:[\\w-]+|\\$\\{\\w+\\}|<[\\w-]+>)\\.events(?![\\w-]))';
  // The topic first: where the name and the prefix are one word (after a rename), a topic is a topic.
  return new RegExp(`${scope}|${topic}|${name}`, 'g');
}

/** `text` with every use of the names `from` replaced by the names `to`. */
export function renameText(text: string, from: ProjectNames, to: ProjectNames): string {
  return text.replace(renamePattern(from), (match, ...args: unknown[]) => {
    const groups = args.at(-1) as Record<'scope' | 'name' | 'topic', string | undefined>;
    if (groups.scope !== undefined) return `${to.scope}/`;
    if (groups.name !== undefined) return to.name;
    if (groups.topic !== undefined) return `${to.topicPrefix}.`;
    return match;
  });
}

/** The rename as lines for the generator's output (and the README's table of what changes). */
export const renameSummary = (from: ProjectNames, to: ProjectNames): string[] => [
  `package scope ${from.scope}/ -> ${to.scope}/`,
  `project name ${from.name} -> ${to.name} (problem URIs https://${to.name}.dev/problems/, state ~/.cache/${to.name})`,
  `Kafka topics ${from.topicPrefix}.<context>.events -> ${to.topicPrefix}.<context>.events`,
];
