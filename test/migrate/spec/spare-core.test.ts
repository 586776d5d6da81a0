import { describe, expect, it } from 'vitest';
import { helperThreadsPay } from '../../../src/migrate/routes/spare-core.js';

describe('helperThreadsPay: --spec starts its helper threads unless the machine is busy', () => {
  it.each([
    { load: 0, cores: 2, pays: true }, // idle (also: no load average, as on Windows)
    { load: 1.5, cores: 2, pays: true },
    { load: 3.9, cores: 2, pays: true },
    { load: 4, cores: 2, pays: false }, // twice the cores (BUSY_LOAD_PER_CORE): in place
    { load: 12.5, cores: 2, pays: false },
    { load: 12.5, cores: 8, pays: true },
    { load: 16, cores: 8, pays: false },
  ])('load $load on $cores cores: $pays', ({ load, cores, pays }) => {
    expect(helperThreadsPay(load, cores)).toBe(pays);
  });
});
