import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalogueSource, representativeSubset } from '../../src/node/catalog/dataset-reader.ts';
import { derivedPriceInr } from '../../src/node/catalog/demo-prices.ts';

const dir = mkdtempSync(join(tmpdir(), 'drishti-dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('catalogue sources', () => {
  it('reads a styles.csv dataset, folding unquoted commas back into the name and cleaning fields', () => {
    const ds = join(dir, 'styles');
    mkdirSync(join(ds, 'images'), { recursive: true });
    for (const id of ['1', '2', '3', '5']) writeFileSync(join(ds, 'images', `${id}.jpg`), 'x');
    writeFileSync(
      join(ds, 'styles.csv'),
      [
        'id,gender,masterCategory,subCategory,articleType,baseColour,season,usage,productDisplayName,colorgroup',
        '1,Women,Apparel,Topwear,Kurtas,Red,Fall,Ethnic,Biba Women Red Kurta,Red',
        '2,Men,Apparel,Topwear,Tshirts,Navy Blue,Summer,Casual,Puma Men, Navy, Tshirt,Blue',
        '3,Men,Apparel,Topwear,Shirts,  Blue ,NA,,   ,Blue',
        '4,Men,Apparel,Topwear,Shirts,Blue,Fall,Casual,No photo for this one,Blue',
        'abc,Men,Apparel,Topwear,Shirts,Blue,Fall,Casual,Bad id,Blue',
        '1,Women,Apparel,Topwear,Kurtas,Red,Fall,Ethnic,Duplicate,Red',
        '5,Men,Apparel',
      ].join('\n'),
    );
    const r = readCatalogueSource(ds);
    expect(r.kind).toBe('styles');
    expect(r.rows.map((x) => x.id)).toEqual(['1', '2', '3']);
    expect(r.rows[1]!.title).toBe('Puma Men, Navy, Tshirt');
    expect(r.rows[1]!.attributes).toEqual({ gender: 'Men', articleType: 'Tshirts', colour: 'Navy Blue', season: 'Summer', usage: 'Casual' });
    // Blank and "NA" fields are unknown; a missing name falls back to colour + type.
    expect(r.rows[2]!.attributes).toEqual({ gender: 'Men', articleType: 'Shirts', colour: 'Blue' });
    expect(r.rows[2]!.title).toBe('Blue Shirts');
    expect(r.withoutImage).toBe(1);
    expect(r.bad.map((b) => `${b.line}: ${b.reason}`)).toEqual([
      '6: id "abc" is not a product number',
      '7: id 1 appears twice',
      '8: has 3 fields, expected 10',
    ]);
  });

  it('picks a subset that covers every article type before repeating any', () => {
    const rows = ['A', 'A', 'A', 'A', 'B', 'B', 'C'].map((t, i) => ({ line: i + 2, id: String(i), title: t, image: '', attributes: { articleType: t }, priceInr: null }));
    expect(representativeSubset(rows, 3).map((r) => r.attributes.articleType)).toEqual(['A', 'B', 'C']);
    expect(representativeSubset(rows, 5).map((r) => r.attributes.articleType)).toEqual(['A', 'B', 'C', 'A', 'B']);
    expect(representativeSubset(rows, 99)).toHaveLength(7);
  });

  it('derives the same plausible price for the same item every time', () => {
    const p = derivedPriceInr('Sarees', '12345');
    expect(p).toBe(derivedPriceInr('Sarees', '12345'));
    expect(p).toBeGreaterThanOrEqual(999);
    expect(p).toBeLessThanOrEqual(7999);
    expect(p % 100).toBe(99);
    expect(derivedPriceInr(undefined, 'x')).toBeGreaterThanOrEqual(399);
  });
});
