import { checkedProjectionName, checkedSchema } from '@cqrs/projections';

/** `<schema>.<name>_processes`, both parts checked: they are interpolated into SQL. */
export const processTable = (schema: string, name: string): string =>
  `${checkedSchema(schema)}.${checkedProjectionName(name)}_processes`;
