export type { AnyContext } from './any-context';
export type { Decider, DomainError } from './decider';
export { INTERNAL_PATH_PREFIX } from './context-descriptor';
export type {
  AggregateDescriptor,
  AggregateSummary,
  CommandAccess,
  CommandDescriptor,
  CommandInput,
  CommandMethod,
  CommandSpec,
  CommandSuccess,
  ContextDescriptor,
  QueryDescriptor,
} from './context-descriptor';
export { commandsOf, defineContext, pathParams } from './define-context';
export { envWord, eventsTopicEnv } from './env-names';
export {
  PAGE_LIMIT,
  PageParamsSchema,
  PageQuerySchema,
  type PageParams,
} from './contract/page-query.schema';
