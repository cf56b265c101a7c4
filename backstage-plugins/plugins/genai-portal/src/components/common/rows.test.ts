import { withRowIds } from './rows';

describe('withRowIds', () => {
  it('gives every row a unique id, suffixing repeated keys', () => {
    const rows = withRowIds([{ m: 'a' }, { m: 'b' }, { m: 'a' }], r => r.m);
    expect(rows.map(r => r.id)).toEqual(['a', 'b', 'a#1']);
    expect(rows[2].m).toBe('a');
  });
});
