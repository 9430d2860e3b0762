/** A name as a word of an environment variable: `line-items` -> `LINE_ITEMS`. */
export const envWord = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/**
 * `<CONTEXT>_EVENTS_TOPIC`: the variable that names a context's event topic, read by its
 * command service (where the relay publishes) and its read side (what the projections consume).
 */
export const eventsTopicEnv = (contextName: string): string =>
  `${envWord(contextName)}_EVENTS_TOPIC`;
