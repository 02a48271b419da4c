// Transport attacks: the credential's size, shape and characters — oversized, extra segments,
// foreign alphabets, whitespace and control characters, two credentials at once — all 401.
import { MAX_TOKEN_LENGTH } from '../../src/credentials';
import { ADMIN, attackTarget } from '../helpers/attack';
import { requestEvent, tokenEvent } from '../helpers/events';
import { b64url } from '../helpers/issuer';

describe('transport attacks', () => {
  const target = attackTarget();
  let good: string;

  beforeAll(() => {
    good = target.token();
  });

  const parts = (): [string, string, string] => good.split('.') as [string, string, string];
  const garbage = (bytes: number): string => `${b64url('{"alg":"RS256"}')}.${b64url('x'.repeat(bytes))}.${b64url('sig')}`;

  // Each builds the whole credential value (TOKEN: authorizationToken; REQUEST: the header).
  const cases: [string, () => unknown][] = [
    ['a 10 KB token of garbage', () => `Bearer ${garbage(7_500)}`],
    ['a token just over the 16 KB limit', () => `Bearer ${garbage(Math.ceil((MAX_TOKEN_LENGTH * 3) / 4))}`],
    ['a 1 MB token', () => `Bearer ${garbage(768 * 1024)}`],
    ['a 1 MB run of spaces before the token', () => `Bearer ${' '.repeat(1024 * 1024)}${good}`],
    // The limit applies to what was sent, not to what is left after trimming.
    ['a 1 MB run of spaces, then the whole credential', () => `${' '.repeat(1024 * 1024)}Bearer ${good}`],
    ['the whole credential, then 1 MB of tabs', () => `Bearer ${good}${'\t'.repeat(1024 * 1024)}`],
    ['four segments', () => `Bearer ${good}.${parts()[2]}`],
    ['five segments', () => `Bearer ${parts()[0]}.${parts()[1]}.${parts()[1]}.${parts()[1]}.${parts()[2]}`],
    ['a hundred segments', () => `Bearer ${Array.from({ length: 100 }, () => 'abc').join('.')}`],
    ['two segments', () => `Bearer ${parts()[0]}.${parts()[1]}`],
    ['an empty middle segment', () => `Bearer ${parts()[0]}..${parts()[2]}`],
    ['base64 "+" and "/" instead of base64url', () => `Bearer ${good.replace(/-/g, '+').replace(/_/g, '/')}+/`],
    ['base64 padding', () => `Bearer ${good}==`],
    ['padding inside a segment', () => `Bearer ${parts()[0]}=.${parts()[1]}.${parts()[2]}`],
    ['a percent-encoded token', () => `Bearer ${encodeURIComponent(good + '=')}`],
    ['a Cyrillic letter in the token', () => `Bearer ${good.replace('e', '\u0435')}`],
    ['a full-width letter in the token', () => `Bearer ${good.replace('A', '\uff21')}`],
    ['an emoji in the token', () => `Bearer ${good}\ud83d\ude00`],
    ['a zero-width space in the token', () => `Bearer ${parts()[0]}\u200b.${parts()[1]}.${parts()[2]}`],
    ['a Cyrillic scheme', () => `B\u0435arer ${good}`],
    ['a tab between scheme and token', () => `Bearer\t${good}`],
    ['a no-break space between scheme and token', () => `Bearer\u00a0${good}`],
    ['a newline inside the token', () => `Bearer ${parts()[0]}\n.${parts()[1]}.${parts()[2]}`],
    ['a CRLF and an injected header', () => `Bearer ${good}\r\nX-Admin: true`],
    ['a leading newline', () => `\nBearer ${good}`],
    ['a trailing NUL', () => `Bearer ${good}\u0000`],
    ['a NUL inside the token', () => `Bearer ${parts()[0]}.${parts()[1]}\u0000.${parts()[2]}`],
    ['a vertical tab', () => `Bearer ${good}\u000b`],
    ['an escape sequence', () => `Bearer \u001b[2J${good}`],
    ['two Bearer credentials separated by a comma', () => `Bearer ${good}, Bearer ${good}`],
    ['two Bearer credentials separated by a space', () => `Bearer ${good} Bearer ${good}`],
    ['two tokens after one scheme, comma-separated', () => `Bearer ${good},${good}`],
    ['the scheme twice', () => `Bearer Bearer ${good}`],
    ['a Basic credential and a Bearer one', () => `Basic dXNlcjpwYXNz, Bearer ${good}`],
    ['the token quoted', () => `Bearer "${good}"`],
    ['a number', () => 42],
    ['an array of the credential', () => [`Bearer ${good}`]],
    ['an object', () => ({ toString: () => `Bearer ${good}` })],
    ['a boolean', () => true],
  ];

  it('accepts the genuine admin token, so each refusal below is about the transport', async () => {
    // Act
    const outcome = await target.attempt(good, 'DELETE', '/pets/17');

    // Assess
    expect(outcome.kind).toBe('allow');
  });

  it('accepts a genuine 10 KB token (the size limit leaves room for many groups)', async () => {
    // Prepare
    const big = target.token({ ...ADMIN, extra: { pad: 'x'.repeat(7_000) } });

    // Act
    const outcome = await target.attempt(big, 'DELETE', '/pets/17');

    // Assess
    expect(big.length).toBeGreaterThan(10_000);
    expect(outcome.kind).toBe('allow');
  });

  it.each(cases)('answers 401 to %s in a TOKEN event', async (_name, credential) => {
    // Prepare
    const event = { ...tokenEvent(undefined, 'DELETE', '/pets/17'), authorizationToken: credential() };

    // Act
    const outcome = await target.run(event);

    // Assess
    expect(outcome.kind).toBe('unauthorized');
  });

  it.each(cases)('answers 401 to %s in a REQUEST event', async (_name, credential) => {
    // Prepare
    const event = requestEvent('placeholder', 'DELETE', '/pets/17');
    const value = credential();
    (event.headers as Record<string, unknown>)['Authorization'] = value;
    (event.multiValueHeaders as Record<string, unknown>)['Authorization'] = [value];

    // Act
    const outcome = await target.run(event);

    // Assess
    expect(outcome.kind).toBe('unauthorized');
  });

  it.each([
    ['spaces inside', (n: number) => `Bearer ${' '.repeat(n)}x`],
    ['spaces then a newline', (n: number) => `Bearer${' '.repeat(n)}x\n`],
    ['tabs at both ends', (n: number) => `${'\t'.repeat(n)}Bearer x${'\t'.repeat(n)}`],
  ])('refuses a 1 MB credential of %s in linear time (no regex backtracking)', async (_name, build) => {
    // Prepare
    const event = tokenEvent(build(1024 * 1024), 'GET', '/pets');
    const started = performance.now();

    // Act
    const outcome = await target.run(event);

    // Assess: quadratic trimming or matching would take minutes here.
    expect(outcome.kind).toBe('unauthorized');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a 1 MB token before any cryptography (reason malformed)', async () => {
    // Prepare
    target.t.logs.length = 0;

    // Act
    await target.attempt(garbage(768 * 1024), 'DELETE', '/pets/17');

    // Assess
    expect(target.t.logs.find((l) => l['message'] === 'decision')).toMatchObject({ decision: 'unauthorized', reason: 'malformed' });
  });
});
