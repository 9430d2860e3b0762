import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** PromQL words that look like metric names but are not. */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and']);
for (const word of ['or', 'unless', 'bool', 'offset', 'inf', 'nan']) KEYWORDS.add(word);

/** Series Prometheus makes itself, not a service. */
const PROMETHEUS_SERIES = new Set(['up']);

/**
 * The expressions of a Prometheus rule file, read as text: `expr: <one line>` or a folded
 * `expr: >` block (its more-indented lines). Enough for the files under deploy/observability.
 */
export function ruleExpressions(text: string): string[] {
  const lines = text.split('\n');
  const exprs: string[] = [];
  lines.forEach((line, index) => {
    const match = /^(\s*)(?:- )?expr:\s*(.*)$/.exec(line);
    if (!match) return;
    const [, indent = '', rest = ''] = match;
    if (rest !== '>' && rest !== '|') return void exprs.push(rest);
    const block: string[] = [];
    for (const next of lines.slice(index + 1)) {
      if (next.trim() !== '' && next.search(/\S/) <= indent.length) break;
      block.push(next.trim());
    }
    exprs.push(block.join(' '));
  });
  return exprs;
}

/**
 * The metric names a PromQL expression reads: label matchers, ranges, groupings and strings
 * removed, then every identifier that is not a function call or a keyword. Histogram series
 * (_bucket, _count, _sum) are named by their metric.
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(\s*\()?/g)]
    .filter((m) => m[2] === undefined && !KEYWORDS.has(m[1]!.toLowerCase()))
    .map((m) => m[1]!.replace(/_(bucket|count|sum)$/, ''));
  return [...new Set(names)];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const file = path.join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist' || entry === 'test') return [];
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return file.endsWith('.ts') && !file.endsWith('.spec.ts') ? [file] : [];
  });
}

/** The PromQL of every panel target of a Grafana dashboard (rows nest panels one level). */
export function dashboardExpressions(json: string): string[] {
  interface Panel {
    targets?: { expr?: string }[];
    panels?: Panel[];
  }
  const panels = (JSON.parse(json) as { panels?: Panel[] }).panels ?? [];
  return panels
    .flatMap((p) => [p, ...(p.panels ?? [])])
    .flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
}

/**
 * The metric names of `exprs` that no service registers: a name that is not a string literal
 * in any source file under apps/ or libs/ (and not Prometheus' own `up`).
 */
export function unknownMetrics(root: string, exprs: readonly string[]): string[] {
  const sources = ['apps', 'libs']
    .flatMap((dir) => sourceFiles(path.join(root, dir)))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const used = exprs.flatMap(metricNames);
  return [...new Set(used)].filter(
    (name) => !PROMETHEUS_SERIES.has(name) && !sources.includes(`'${name}'`),
  );
}
