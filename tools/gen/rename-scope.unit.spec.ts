import {
  currentNames,
  namesForScope,
  renameText,
  scopeRefusal,
  type ProjectNames,
} from './rename-scope';

/**
 * The fixtures spell names the workspace does not use (`@shop`, `shop-template`, `orders`), so
 * that renaming this workspace leaves them, and these tests, as they are.
 */
const SHOP: ProjectNames = { scope: '@shop', name: 'shop-template', topicPrefix: 'orders' };
const ACME = namesForScope('@acme');

const topicsSource =
  'export function eventTopic(context: string): string {\n' +
  '  return checkedTopic(`orders.${context}.events`);\n}\n';

describe('namesForScope', () => {
  it('given @acme, when deriving the names, then the project name and topic prefix are acme', () => {
    expect(ACME).toEqual({ scope: '@acme', name: 'acme', topicPrefix: 'acme' });
  });
});

describe('scopeRefusal', () => {
  it.each(['@acme', '@a', '@acme-corp', '@9lives'])('accepts %s', (scope) => {
    expect(scopeRefusal(scope, SHOP)).toBeUndefined();
  });

  it.each([
    'acme',
    '@',
    '@Acme',
    '@acme/',
    '@acme/events',
    '@-acme',
    '@acme-',
    '@ac_me',
    '@ac.me',
    '@ac~me',
    ' @acme',
    `@${'a'.repeat(64)}`,
  ])('refuses %p with the rule and an example', (scope) => {
    expect(scopeRefusal(scope, SHOP)).toMatch(
      /is not a scope this workspace can take.*e\.g\. @acme/,
    );
  });

  it('refuses nothing given, asking for the scope', () => {
    expect(scopeRefusal('', SHOP)).toMatch(/give the new scope/);
  });

  it('refuses the scope the workspace has already', () => {
    expect(scopeRefusal('@shop', SHOP)).toBe("the workspace's scope is @shop already");
  });
});

describe('currentNames', () => {
  const sources = {
    rootPackageJson: JSON.stringify({ name: 'shop-template', private: true }),
    packageNames: ['@shop/events', '@shop/platform'],
    topicsSource,
  };

  it('given the package files and the topic source, when reading, then it finds the three names', () => {
    expect(currentNames(sources)).toEqual(SHOP);
  });

  it('refuses packages of two scopes', () => {
    expect(currentNames({ ...sources, packageNames: ['@shop/events', '@other/platform'] })).toEqual(
      {
        refusal: expect.stringMatching(/do not share one scope/) as unknown,
      },
    );
  });

  it('refuses an unscoped workspace package', () => {
    expect(currentNames({ ...sources, packageNames: ['@shop/events', 'platform'] })).toHaveProperty(
      'refusal',
    );
  });

  it('refuses a scoped or missing root name', () => {
    for (const rootPackageJson of ['{"name":"@shop/root"}', '{"private":true}'])
      expect(currentNames({ ...sources, rootPackageJson })).toHaveProperty('refusal');
  });

  it('refuses a topic source without the topic pattern', () => {
    expect(currentNames({ ...sources, topicsSource: 'export {}' })).toHaveProperty(
      'refusal',
      expect.stringMatching(/topics\.ts names no/) as unknown,
    );
  });
});

describe('renameText', () => {
  const rename = (text: string): string => renameText(text, SHOP, ACME);

  it('renames the scope in imports, manifests, lockfiles, path maps and Dockerfiles', () => {
    expect(rename("import { topics } from '@shop/events';")).toBe(
      "import { topics } from '@acme/events';",
    );
    expect(rename('"@shop/platform": "workspace:*"')).toBe('"@acme/platform": "workspace:*"');
    expect(rename("      '@shop/events':\n        specifier: workspace:*")).toBe(
      "      '@acme/events':\n        specifier: workspace:*",
    );
    expect(rename('"paths": { "@shop/*": ["libs/*/src"] }')).toBe(
      '"paths": { "@acme/*": ["libs/*/src"] }',
    );
    expect(rename("{ '^@shop/([a-z0-9-]+)$': '<rootDir>/libs/$1/src' }")).toBe(
      "{ '^@acme/([a-z0-9-]+)$': '<rootDir>/libs/$1/src' }",
    );
    expect(rename('RUN pnpm --filter @shop/gateway... build')).toBe(
      'RUN pnpm --filter @acme/gateway... build',
    );
  });

  it('leaves a scope that only starts like the old one, and e-mail addresses', () => {
    const text = "'@shopping/cart', '@shop-x/y', 'orders@shop/a', 'x.@shop/b'";
    expect(rename(text)).toBe(text);
  });

  it('renames the project name where it is a whole name: package, problem URIs, state directory', () => {
    expect(rename('"name": "shop-template",')).toBe('"name": "acme",');
    expect(rename('type: `https://shop-template.dev/problems/${code}`')).toBe(
      'type: `https://acme.dev/problems/${code}`',
    );
    expect(rename("path.join(cacheHome, 'shop-template')")).toBe("path.join(cacheHome, 'acme')");
    expect(rename('`~/.cache/shop-template/kafka-4.1.2/`')).toBe('`~/.cache/acme/kafka-4.1.2/`');
  });

  it('leaves longer names that contain the project name', () => {
    const text = 'shop-template-docs, my-shop-template, shop-templates, @shop-template';
    expect(rename(text)).toBe(text);
  });

  it('renames the topic prefix where a topic follows, and nowhere else', () => {
    expect(rename('checkedTopic(`orders.${context}.events`)')).toBe(
      'checkedTopic(`acme.${context}.events`)',
    );
    expect(rename('`orders.<context>.events`, orders.accounts.events.dlq.read-model')).toBe(
      '`acme.<context>.events`, acme.accounts.events.dlq.read-model',
    );
    const prose =
      'orders.json, the orders. Orders.x.events, reorders.a.events, orders.a.eventsourced';
    expect(rename(prose)).toBe(prose);
  });

  it('renames each name once when the new names equal the old ones of another kind', () => {
    const from: ProjectNames = { scope: '@shop', name: 'acme', topicPrefix: 'shop' };
    expect(renameText('@shop/x acme shop.a.events', from, namesForScope('@zeta'))).toBe(
      '@zeta/x zeta zeta.a.events',
    );
    const swap: ProjectNames = { scope: '@old', name: 'zeta', topicPrefix: 'acme' };
    expect(
      renameText('zeta acme.a.events', swap, { ...swap, name: 'acme', topicPrefix: 'zeta' }),
    ).toBe('acme zeta.a.events');
  });

  it('given a text renamed forwards, when renamed back, then it is the original', () => {
    const text = [
      "import { x } from '@shop/events';",
      '"name": "shop-template"',
      'https://shop-template.dev/problems/not-found',
      'orders.accounts.events',
    ].join('\n');
    expect(renameText(renameText(text, SHOP, ACME), ACME, SHOP)).toBe(text);
  });
});
