import type { OpenAPIV3_1 } from 'openapi-types';

export interface RegisteredRoute {
  method: string | string[];
  url: string;
}

/** Served by the Swagger UI plugin and CORS: not API operations, never in the document. */
const NOT_OPERATIONS = /^(\/docs(\/|$)|\*$|\/\*$)/;

/** `GET /<context>/{<idParam>}` for each operation of the document. */
export function documentedOperations(document: OpenAPIV3_1.Document): string[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item ?? {})
      .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** The same notation for what the server registered (HEAD and OPTIONS are implied ones). */
export function servedOperations(routes: readonly RegisteredRoute[]): string[] {
  return routes.flatMap((route) =>
    (Array.isArray(route.method) ? route.method : [route.method])
      .filter((method) => method !== 'HEAD' && method !== 'OPTIONS')
      .filter(() => !NOT_OPERATIONS.test(route.url))
      .map((method) => `${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`),
  );
}

/** What one side has and the other lacks; both empty means the document matches the server. */
export function routeDrift(
  document: OpenAPIV3_1.Document,
  routes: readonly RegisteredRoute[],
): { undocumented: string[]; notServed: string[] } {
  const documented = new Set(documentedOperations(document));
  const served = new Set(servedOperations(routes));
  return {
    undocumented: [...served].filter((op) => !documented.has(op)).sort(),
    notServed: [...documented].filter((op) => !served.has(op)).sort(),
  };
}
