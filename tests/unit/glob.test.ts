// IAM pattern analysis: the product-automaton answer agrees with brute force on small languages.
import fc from 'fast-check';
import { compileGlobs } from '../../src/policy/glob';
import { overlapWitness } from '../../src/policy/overlap';
import { templateGlob } from '../../src/policy/routes';
import { matchesPath, parseRoute, splitPath } from '../../src/rules/route';
import { iamMatch } from '../helpers/oracle';

const SEGMENT_VALUES = ['a', 'b', 'c', 'ab', 'zz'];
const PATHS: string[] = ['/'];
for (let depth = 1, layer = ['']; depth <= 4; depth++) {
  layer = layer.flatMap((p) => SEGMENT_VALUES.map((v) => `${p}/${v}`));
  PATHS.push(...layer);
}

const templateArb = fc
  .array(fc.constantFrom('a', 'b', 'ab', '{p}', '{q}'), { maxLength: 3 })
  .chain((segs) => fc.boolean().map((proxy) => (proxy ? [...segs, '{x+}'] : segs)))
  .map((segs) => {
    // Parameter names must differ within a path.
    const named = segs.map((s, i) => (s.startsWith('{') && !s.endsWith('+}') ? `{p${i}}` : s));
    return parseRoute(`GET /${named.join('/')}`, 'test');
  });

describe('IAM pattern analysis', () => {
  it('matches IAM wildcards across "/", as IAM does', () => {
    // Prepare
    const re = compileGlobs(['GET/pets/*', 'POST/a?c']);

    // Act
    const results = ['GET/pets/1/owner', 'GET/pets/', 'GET/pet', 'POST/abc', 'POST/a/c', 'POST/abbc'].map((s) => re.test(s));

    // Assess
    expect(results).toEqual([true, true, false, true, true, false]);
  });

  it('reports an overlap with a witness path in the template and the glob and in none of the excepted templates', () => {
    fc.assert(
      fc.property(templateArb, templateArb, fc.array(templateArb, { maxLength: 2 }), (inside, other, except) => {
        // Prepare
        const glob = templateGlob(other);
        const holds = (p: string): boolean =>
          matchesPath(inside, splitPath(p)) && iamMatch(glob, p) && !except.some((x) => matchesPath(x, splitPath(p)));

        // Act
        const witness = overlapWitness(inside, glob, except);

        // Assess: a witness is checked by independent matchers; no witness means brute force finds none.
        return witness !== undefined ? holds(witness) : PATHS.every((p) => !holds(p));
      }),
      { numRuns: 3000 },
    );
  });
});
