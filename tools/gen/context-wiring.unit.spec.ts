import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contextNames } from './context-names';
import { addComposeServices, removeComposeServices, removeRootScripts } from './context-wiring';

const pkg = (scripts: Record<string, string>) => `${JSON.stringify({ scripts }, null, 2)}\n`;

describe('removeRootScripts', () => {
  const demo =
    'pnpm build && tsx libs/a-domain/scripts/demo.ts && tsx libs/b-domain/scripts/demo.ts';

  it('keeps the other context’s part of a chained demo', () => {
    const out = JSON.parse(removeRootScripts(pkg({ demo }), ['libs/b-domain'])) as {
      scripts: Record<string, string>;
    };
    expect(out.scripts['demo']).toBe('pnpm build && tsx libs/a-domain/scripts/demo.ts');
  });

  it('drops a script left with its build step alone, and one wholly in the context', () => {
    const text = pkg({ demo, 'bench:a': 'tsx libs/a-domain/scripts/bench.ts', test: 'jest' });
    const out = JSON.parse(removeRootScripts(text, ['libs/a-domain', 'libs/b-domain'])) as {
      scripts: Record<string, string>;
    };
    expect(out.scripts).toEqual({ test: 'jest' });
  });

  it('changes nothing when no script names the context', () => {
    const text = pkg({ demo, test: 'jest' });
    expect(removeRootScripts(text, ['libs/c-domain'])).toBe(text);
  });
});

describe("docker-compose.yml's wiring of a context", () => {
  const compose = readFileSync(path.resolve(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');
  const targets = (text: string): string[] =>
    /^ {6}SCRAPE_TARGETS: >-\n((?: {8}\S+\n)+)/m.exec(text)![1]!.trim().split(/\s+/);

  it("adds the context's three services to Prometheus' scrape targets, and removes them", () => {
    const added = addComposeServices(compose, contextNames('parcels'));
    expect(targets(added)).toEqual([
      ...targets(compose),
      'parcels-command:3000',
      'parcels-projector:3000',
      'parcels-query:3000',
    ]);
    expect(removeComposeServices(added, contextNames('parcels'))).toBe(compose);
  });

  it('leaves the gateway alone when the last context goes', () => {
    const contexts = [...compose.matchAll(/^ {2}# The ([a-z]+) context \(pnpm gen context/gm)];
    let left = compose;
    for (const [, plural] of contexts) left = removeComposeServices(left, contextNames(plural!));
    const first = /^ {2}([a-z]+)-command:$/m.exec(left)?.[1];
    if (first) left = removeComposeServices(left, contextNames(first));
    expect(targets(left)).toEqual(['gateway:8080']);
  });
});
