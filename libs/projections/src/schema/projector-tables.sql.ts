const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names are interpolated into SQL, so only plain lower-case identifiers are accepted. */
export function checkedSchema(schema: string): string {
  if (!IDENTIFIER.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}

/** Projection names name channels, metric labels and rows: the same plain identifiers. */
export const checkedProjectionName = (name: string): string => {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid projection name: ${name}`);
  return name;
};

/** One channel per projection; the payload stays empty (NOTIFY payloads are capped at 8 kB). */
export const positionsChannel = (projection: string): string =>
  `projection_${checkedProjectionName(projection)}`;
