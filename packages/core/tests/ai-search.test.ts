import { describe, expect, it } from 'vitest';
import { compactCode, matchScore, searchTokens } from '../src/ai/search.js';

/** Turkish search folding: the words customers type meet the words merchants write. */
describe('searchTokens', () => {
  it.each([
    ['GÖMLEĞİM', ['gomlek']],
    ['gomlegim', ['gomlek']],
    ['gömlekler', ['gomlek']],
    ['Gömlek', ['gomlek']],
    ['gömleklerimiz', ['gomlek']],
    ['ışık', ['isik']],
    ['isik', ['isik']],
    ['IŞIK', ['isik']],
    ['ışığı', ['isik']],
    ['kargom nerede', ['kargo']],
    ['Kargom nerede acaba?', ['kargo']],
    ['siparişlerim', ['siparis']],
    ['kitabım', ['kitap']],
    ['#1042', ['1042']],
    ['keten', ['keten']],
    ['beden', ['beden']],
  ])('%s → %j', (text, tokens) => {
    expect(searchTokens(text)).toEqual(tokens);
  });

  it('makes the four spellings of "my shirt / shirts / shirt" one term', () => {
    const forms = ['GÖMLEĞİM', 'gomlegim', 'gömlekler', 'Gömlek'].map((word) => searchTokens(word));
    expect(new Set(forms.flat()).size).toBe(1);
  });

  it('drops filler words and keeps each term once', () => {
    expect(searchTokens('Where is my order? order!')).toEqual(['order']);
    expect(searchTokens('bir de mi var')).toEqual([]);
  });

  it('never strips a word below three letters', () => {
    for (const token of searchTokens('ada ata eve iade kedi')) expect(token.length).toBeGreaterThanOrEqual(3);
  });

  it('"kargom nerede" meets a knowledge title about shipping', () => {
    expect(matchScore(searchTokens('kargom nerede'), searchTokens('Kargo ve teslimat'))).toBeGreaterThan(0);
    expect(matchScore(searchTokens('kargom nerede'), searchTokens('Çalışma saatleri'))).toBe(0);
  });

  it('scores a whole term above a prefix, and a short prefix not at all', () => {
    const record = searchTokens('Keten Gömlek');
    expect(matchScore(searchTokens('gömlek'), record)).toBe(2);
    expect(matchScore(['goml'], record)).toBe(1);
    expect(matchScore(['go'], record)).toBe(0);
  });

  it('compares codes as typed, without separators or case', () => {
    expect(compactCode('gml-ktn s')).toBe(compactCode('GML-KTN-S'));
  });
});
