import { describe, expect, it } from 'vitest';
import { units } from '../../../src/core/search/units.ts';

describe('units', () => {
  it('splits lines and sentences, keeping list items whole', () => {
    expect(units('First one. Second one.\n- a bullet. Still the bullet.\n\nLast')).toEqual(['First one.', 'Second one.', '- a bullet. Still the bullet.', 'Last']);
  });
});
