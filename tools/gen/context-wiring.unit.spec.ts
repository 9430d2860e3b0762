import { removeRootScripts } from './context-wiring';

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
