import { contextNames } from './context-names';
import {
  eventOfCommand,
  invalidProjectionName,
  invalidTypeName,
  kebabWords,
  pascalWords,
  pastTense,
  renamePart,
  spellings,
} from './part-names';

const inventory = contextNames('inventory');

describe('part names', () => {
  it('given PascalCase and kebab-case names, when split, then they give their words; other shapes give none', () => {
    expect(pascalWords('AdjustStock')).toEqual(['adjust', 'stock']);
    expect(pascalWords('adjust-stock')).toBeUndefined();
    expect(pascalWords('Adjust_Stock')).toBeUndefined();
    expect(kebabWords('stock-activity')).toEqual(['stock', 'activity']);
    expect(kebabWords('StockActivity')).toBeUndefined();
  });

  it('given a command, when its event is derived, then it is the object and the verb in the past', () => {
    expect(eventOfCommand(['adjust', 'stock'])).toEqual(['stock', 'adjusted']);
    expect(eventOfCommand(['archive', 'order'])).toEqual(['order', 'archived']);
    expect(['ship', 'empty', 'send', 'open', 'add', 'cancel'].map(pastTense)).toEqual([
      'shipped',
      'emptied',
      'sent',
      'opened',
      'added',
      'canceled',
    ]);
  });

  it('given bad command and event names, when validated, then each refusal says the expected shape', () => {
    expect(invalidTypeName('command', 'AdjustStock')).toBeUndefined();
    expect(invalidTypeName('command', 'adjust-stock')).toMatch(/PascalCase .*AdjustStock/);
    expect(invalidTypeName('command', 'Adjust')).toMatch(/2 to 5 words/);
    expect(invalidTypeName('event', 'SampleMoved')).toMatch(/placeholder/);
    expect(invalidTypeName('event', 'Stock2Moved')).toMatch(/PascalCase/);
  });

  it("given projection names, when validated, then kebab-case other than the context's own passes", () => {
    expect(invalidProjectionName('stock-activity', inventory)).toBeUndefined();
    expect(invalidProjectionName('inventory', inventory)).toMatch(/first projection/);
    expect(invalidProjectionName('stock_activity', inventory)).toMatch(/kebab-case/);
    expect(invalidProjectionName('x'.repeat(41), inventory)).toMatch(/at most 40/);
  });

  it('given words, when spelled, then every spelling a part uses comes out', () => {
    expect(spellings(['adjust', 'stock'])).toEqual([
      'AdjustStock',
      'adjustStock',
      'adjust-stock',
      'adjust_stock',
      'ADJUST_STOCK',
      'adjust stock',
      'Adjust stock',
    ]);
  });

  it('given a part, when renamed, then the context and each placeholder change in every spelling, once', () => {
    const part = [
      "import { SampleArchivedV1DataSchema } from '@cqrs/events';",
      "export const archiveSampleEndpoint = { path: '/samples/:sampleId/archive-sample' };",
      "// Archive sample records SampleArchived; sample_activity in 'sample-activity'.",
    ].join('\n');
    expect(
      renamePart(part, inventory, {
        command: ['adjust', 'stock'],
        event: ['stock', 'adjusted'],
        projection: ['stock', 'activity'],
      }),
    ).toBe(
      [
        "import { StockAdjustedV1DataSchema } from '@cqrs/events';",
        "export const adjustStockEndpoint = { path: '/inventory/:inventoryId/adjust-stock' };",
        "// Adjust stock records StockAdjusted; stock_activity in 'stock-activity'.",
      ].join('\n'),
    );
  });
});
