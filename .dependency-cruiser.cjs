/**
 * Layer rules (pnpm deps:check, run by pnpm lint and CI):
 * - apps wire, libs think: a lib never imports an app, an app never imports another app;
 * - libs are imported by package name through their root export, never by a path into src;
 * - the event-schema lib depends on nothing but its validator;
 * - domain code knows no NestJS, Kafka or SQL;
 * - the generic parts (gateway, platform, event-store, projections, process-manager, testing, context and
 *   command-service, projector-service libs) import no context's domain lib.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-imports-app',
      severity: 'error',
      comment: 'Libraries are reusable plumbing and must not depend on a service.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'app-imports-other-app',
      severity: 'error',
      comment: 'Services are deployed on their own; share code through a lib instead.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'deep-import-into-lib',
      severity: 'error',
      comment: 'Import a lib by its package name (@cqrs/x), which resolves to its root export.',
      from: { path: '^(apps|libs)/([^/]+)/' },
      to: { path: '^libs/([^/]+)/src/', pathNot: ['^libs/$2/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'events-lib-depends-on-validator-only',
      severity: 'error',
      comment: 'Event schemas are the shared contract; they may depend on zod and nothing else.',
      from: { path: '^libs/events/src/' },
      to: {
        dependencyTypes: [
          'npm',
          'npm-dev',
          'npm-optional',
          'npm-peer',
          'npm-no-pkg',
          'npm-unknown',
        ],
        pathNot: 'node_modules/zod/',
      },
    },
    {
      name: 'pure-domain',
      severity: 'error',
      comment: 'Deciders are pure: no framework, broker or database in domain code.',
      from: { path: '^libs/[^/]+-domain/src/' },
      to: { path: 'node_modules/(@nestjs|kafkajs|pg|typeorm|pino)(/|$)' },
    },
    {
      name: 'generic-part-imports-context',
      severity: 'error',
      comment:
        "The platform is generic: only the gateway's registration file (contexts.ts) and the services of a context import its domain lib.",
      from: {
        path: '^(apps/gateway|libs/(platform|event-store|projections|process-manager|testing|context|command-service|projector-service))/src/',
        pathNot: ['^apps/gateway/src/contexts\\.ts$', '\\.spec\\.ts$'],
      },
      to: { path: '^libs/[^/]+-domain/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
