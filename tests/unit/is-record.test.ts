// The one JSON-object check that events, headers, rules files, templates and the local API share.
import { isRecord } from '../../src/is-record';

describe('isRecord', () => {
  it.each([
    ['an object literal', {}],
    ['an object with keys', { routes: [] }],
    ['an object without a prototype', Object.create(null) as object],
  ])('accepts %s', (_label, value) => {
    expect(isRecord(value)).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', []],
    ['a string', '{}'],
    ['a number', 1],
    ['a boolean', true],
  ])('refuses %s', (_label, value) => {
    expect(isRecord(value)).toBe(false);
  });
});
