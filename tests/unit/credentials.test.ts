// Credentials: the 401 set, and the spellings of a good credential that are accepted.
import { setup, type TestSetup } from '../helpers/authorizer';
import { requestEvent, tokenEvent } from '../helpers/events';
import { cognitoClaims, makeKey, OTHER_CLIENT_ID, OTHER_POOL_ID, signJwt } from '../helpers/issuer';
import type { Authorizer } from '../../src/authorizer';
import { policyOf } from '../helpers/policy';

describe('credentials', () => {
  let t: TestSetup;
  let authorizer: Authorizer;
  let good: string;

  beforeAll(async () => {
    t = await setup();
    authorizer = t.make();
    good = signJwt(t.key, cognitoClaims({ groups: ['readers'] }));
  });
  afterAll(() => t.stop());

  // Each value is the credential exactly as it arrives (TOKEN: authorizationToken; REQUEST: the header).
  const bearer = (jwt: string): string => `Bearer ${jwt}`;
  const unauthorized: [string, () => string | undefined][] = [
    ['a missing credential', () => undefined],
    ['an empty credential', () => ''],
    ['"Bearer " alone', () => 'Bearer '],
    ['a Basic credential', () => 'Basic dXNlcjpwYXNz'],
    ['garbage', () => 'Bearer not-a-jwt'],
    ['two tokens', () => `Bearer ${good} ${good}`],
    ['trailing text', () => `Bearer ${good} extra`],
    ['a token with a stray character', () => `Bearer ${good}!`],
    ['a token from another pool', () => bearer(signJwt(t.key, cognitoClaims({ poolId: OTHER_POOL_ID })))],
    ['a token for another client', () => bearer(signJwt(t.key, cognitoClaims({ clientId: OTHER_CLIENT_ID })))],
    ['an ID token where access tokens are required', () => bearer(signJwt(t.key, cognitoClaims({ tokenUse: 'id' })))],
    ['an expired token', () => bearer(signJwt(t.key, cognitoClaims({ ttl: -60 })))],
    ['a token signed by another key with the same kid', () => bearer(signJwt(makeKey(t.key.kid), cognitoClaims()))],
  ];

  it.each(unauthorized)('answers 401 (Unauthorized) to %s in a TOKEN event', async (_name, credential) => {
    // Prepare
    const event = tokenEvent(credential(), 'GET', '/pets');

    // Act
    const outcome = authorizer.handler(event);

    // Assess
    await expect(outcome).rejects.toThrow(/^Unauthorized$/);
  });

  it.each(unauthorized)('answers 401 (Unauthorized) to %s in a REQUEST event', async (_name, credential) => {
    // Prepare
    const event = requestEvent(credential(), 'GET', '/pets');

    // Act
    const outcome = authorizer.handler(event);

    // Assess
    await expect(outcome).rejects.toThrow(/^Unauthorized$/);
  });

  it.each([
    ['the scheme in lower case', (jwt: string) => `bearer ${jwt}`],
    ['the scheme in upper case', (jwt: string) => `BEARER ${jwt}`],
    ['a bare JWT', (jwt: string) => jwt],
    ['surrounding spaces', (jwt: string) => `  Bearer ${jwt} `],
  ])('accepts %s', async (_name, spell) => {
    // Prepare
    const event = tokenEvent(spell(good), 'GET', '/pets');

    // Act
    const result = policyOf(await authorizer.handler(event));

    // Assess
    expect(result.policyDocument.Statement.some((s) => s.Effect === 'Allow')).toBe(true);
  });

  it.each(['authorization', 'AUTHORIZATION', 'Authorization', 'aUtHoRiZaTiOn'])(
    'reads the %s header of a REQUEST event',
    async (headerName) => {
      // Prepare
      const event = requestEvent(`Bearer ${good}`, 'GET', '/pets', { headerName });

      // Act
      const result = policyOf(await authorizer.handler(event));

      // Assess
      expect(result.context?.['groups']).toBe('["readers"]');
    },
  );

  it('answers 401 when multiValueHeaders carries two Authorization values', async () => {
    // Prepare
    const event = requestEvent(`Bearer ${good}`, 'GET', '/pets');
    event.multiValueHeaders = { ...event.multiValueHeaders, Authorization: [`Bearer ${good}`, `Bearer ${good}x`] };

    // Act
    const outcome = authorizer.handler(event);

    // Assess
    await expect(outcome).rejects.toThrow(/^Unauthorized$/);
  });

  it('logs the reason class of a 401, not the credential', async () => {
    // Prepare
    const expired = signJwt(t.key, cognitoClaims({ ttl: -60 }));
    t.logs.length = 0;
    t.raw.length = 0;

    // Act
    await authorizer.handler(tokenEvent(`Bearer ${expired}`, 'GET', '/pets')).catch(() => undefined);

    // Assess
    expect(t.logs.find((l) => l['message'] === 'decision')).toMatchObject({ decision: 'unauthorized', reason: 'expired', level: 'WARN' });
    expect(t.raw.join('\n')).not.toContain(expired.split('.')[2]);
  });
});
