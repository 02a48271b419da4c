// Claim attacks: tampering, time claims, look-alike issuers, wrong client or token use, claims of
// the wrong shape, prototype keys, duplicate keys and huge values — 401, or a Deny, never an Allow.
import { ADMIN, attackTarget } from '../helpers/attack';
import { b64url, cognitoClaims, OTHER_CLIENT_ID, OTHER_POOL_ID, POOL_ID, REGION, signJwt } from '../helpers/issuer';

const now = (): number => Math.floor(Date.now() / 1000);
const without = (claims: Record<string, unknown>, name: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(claims).filter(([key]) => key !== name));

describe('claim attacks', () => {
  const target = attackTarget();
  const attempt = target.attempt;

  it('allows the genuine admin token, so each refusal below is about the attack', async () => {
    // Act
    const outcome = await attempt(target.token());

    // Assess
    expect(outcome.kind).toBe('allow');
  });

  it('refuses a reader token whose payload was edited to the admins group', async () => {
    // Prepare
    const [head, , signature] = target.token({ groups: ['readers'], sub: 'sub-r' }).split('.') as [string, string, string];
    const edited = b64url(JSON.stringify(cognitoClaims({ groups: ['admins'], sub: 'sub-r' })));

    // Act
    const outcome = await attempt(`${head}.${edited}.${signature}`);

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'bad-signature' });
  });

  it('refuses a token whose header was edited (the signature covers it)', async () => {
    // Prepare
    const [, body, signature] = target.token().split('.') as [string, string, string];
    const head = b64url(JSON.stringify({ alg: 'RS256', kid: target.t.key.kid, typ: 'JWT' }));

    // Act
    const outcome = await attempt(`${head}.${body}.${signature}`);

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'bad-signature' });
  });

  it.each([
    ['an hour ago', -3600],
    ['a second ago', -1],
  ])('refuses a token that expired %s', async (_name, ttl) => {
    // Act
    const outcome = await attempt(target.token({ ...ADMIN, ttl }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'expired' });
  });

  it('refuses a token whose nbf is in the future', async () => {
    // Act
    const outcome = await attempt(target.token({ ...ADMIN, extra: { nbf: now() + 600 } }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'not-yet-valid' });
  });

  it('accepts a token whose iat is in the future, as aws-jwt-verify does (a known limit: README.md, Security model)', async () => {
    // Prepare: Cognito never issues these; only the pool key could sign one. Pinned so a change is deliberate.
    const token = target.token({ ...ADMIN, extra: { iat: now() + 86_400, auth_time: now() + 86_400 } });

    // Act
    const outcome = await attempt(token);

    // Assess
    expect(outcome.kind).toBe('allow');
  });

  it('refuses a token without exp (a credential that would never expire)', async () => {
    // Prepare
    const claims = without(cognitoClaims(ADMIN), 'exp');

    // Act
    const outcome = await attempt(signJwt(target.t.key, claims));

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'invalid-claims' });
  });

  it.each([
    ['a string', 'tomorrow'],
    ['null', null],
    ['infinite (as a huge exponent)', '1e999'],
  ])('refuses a token whose exp is %s', async (_name, exp) => {
    // Prepare: JSON cannot say Infinity, but 1e999 parses to it.
    const claims = JSON.stringify({ ...cognitoClaims(ADMIN), exp: 0 }).replace('"exp":0', `"exp":${exp === '1e999' ? '1e999' : JSON.stringify(exp)}`);

    // Act
    const outcome = await attempt(signJwt(target.t.key, claims));

    // Assess
    expect(outcome.kind).toBe('unauthorized');
  });

  it.each([
    ['the other pool', `https://cognito-idp.${REGION}.amazonaws.com/${OTHER_POOL_ID}`],
    ['the pool with a trailing slash', `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}/`],
    ['the pool over http', `http://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`],
    ['the pool in another region', `https://cognito-idp.us-west-2.amazonaws.com/${POOL_ID}`],
    ['the pool with an upper-case host', `https://COGNITO-IDP.${REGION}.amazonaws.com/${POOL_ID}`],
    ['the pool id in lower case', `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID.toLowerCase()}`],
    ['the pool with a path suffix', `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}/x`],
    ['the pool with a query', `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}?a=b`],
    ['a look-alike domain', `https://cognito-idp.${REGION}.amazonaws.com.evil.example/${POOL_ID}`],
    ['the multi-region form of an unconfigured pool', `https://issuer-cognito-idp.${REGION}.amazonaws.com/${OTHER_POOL_ID}`],
    ['the multi-region form in another region', `https://issuer-cognito-idp.us-west-2.amazonaws.com/${POOL_ID}`],
    ['an empty string', ''],
  ])('refuses an issuer that is %s', async (_name, iss) => {
    // Act
    const outcome = await attempt(signJwt(target.t.key, { ...cognitoClaims(ADMIN), iss }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'wrong-issuer' });
  });

  it('refuses a token without an issuer', async () => {
    // Prepare
    const claims = without(cognitoClaims(ADMIN), 'iss');

    // Act
    const outcome = await attempt(signJwt(target.t.key, claims));

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'wrong-issuer' });
  });

  it('accepts the multi-region issuer form of the configured pool (Cognito issues it; same pool key)', async () => {
    // Act
    const outcome = await attempt(signJwt(target.t.key, { ...cognitoClaims(ADMIN), iss: `https://issuer-cognito-idp.${REGION}.amazonaws.com/${POOL_ID}` }));

    // Assess
    expect(outcome.kind).toBe('allow');
  });

  it.each([
    ['another client', { client_id: OTHER_CLIENT_ID }],
    ['a client id differing in case', { client_id: 'TESTCLIENT0000000000000001' }],
    ['a client id list', { client_id: [OTHER_CLIENT_ID, 'testclient0000000000000001'] }],
    ['no client id but the right aud', { client_id: undefined, aud: 'testclient0000000000000001' }],
  ])('refuses an access token for %s', async (_name, extra) => {
    // Act
    const outcome = await attempt(signJwt(target.t.key, { ...cognitoClaims(ADMIN), ...extra }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'wrong-client' });
  });

  it.each([
    ['an ID token', 'id'],
    ['token_use "Access"', 'Access'],
    ['token_use "refresh"', 'refresh'],
    ['no token_use', undefined],
  ])('refuses %s where access tokens are required', async (_name, tokenUse) => {
    // Prepare
    const claims = tokenUse === 'id' ? cognitoClaims({ ...ADMIN, tokenUse: 'id' }) : { ...cognitoClaims(ADMIN), token_use: tokenUse };

    // Act
    const outcome = await attempt(signJwt(target.t.key, claims));

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'wrong-token-use' });
  });

  it.each([
    ['a string', 'admins'],
    ['a nested array', [['admins']]],
    ['an object', { admins: true }],
    ['an array mixing a number in', ['admins', 1]],
    ['null', null],
  ])('grants no group when cognito:groups is %s', async (_name, groups) => {
    // Act
    const outcome = await attempt(signJwt(target.t.key, { ...cognitoClaims({ sub: 's' }), 'cognito:groups': groups }));

    // Assess
    expect(outcome.kind).toBe('deny');
    expect(outcome.kind === 'deny' && outcome.result.context?.['groups']).toBe('[]');
  });

  it('refuses a scope claim that is an array', async () => {
    // Act
    const outcome = await attempt(signJwt(target.t.key, { ...cognitoClaims({ sub: 's' }), scope: ['pets/write'] }), 'POST', '/pets');

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'malformed' });
  });

  it('refuses a token without sub', async () => {
    // Prepare
    const claims = without(cognitoClaims(ADMIN), 'sub');

    // Act
    const outcome = await attempt(signJwt(target.t.key, claims));

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'invalid-claims' });
  });

  it.each([
    ['__proto__', `"__proto__":{"cognito:groups":["admins"],"scope":"pets/write"}`],
    ['constructor', `"constructor":{"prototype":{"cognito:groups":["admins"]}}`],
    ['nested __proto__', `"x":{"__proto__":{"cognito:groups":["admins"]}}`],
  ])('a %s key in the payload grants nothing and pollutes no prototype', async (_name, fragment) => {
    // Prepare
    const base = JSON.stringify(cognitoClaims({ sub: 's-proto' }));
    const payload = `{${fragment},${base.slice(1)}`;

    // Act
    const outcome = await attempt(signJwt(target.t.key, payload));

    // Assess
    expect(outcome.kind).toBe('deny');
    expect(({} as Record<string, unknown>)['cognito:groups']).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'cognito:groups')).toBe(false);
  });

  it('decides a duplicated cognito:groups key by the same value it puts in the context', async () => {
    // Prepare: JSON.parse keeps the last value; what matters is one reading, used everywhere.
    const base = JSON.stringify(cognitoClaims({ groups: ['readers'], sub: 's-dup' }));
    const payload = base.replace(/}$/, ',"cognito:groups":["admins"]}');

    // Act
    const outcome = await attempt(signJwt(target.t.key, payload));

    // Assess
    expect(outcome.kind).toBe('allow');
    expect(outcome.kind === 'allow' && outcome.result.context?.['groups']).toBe('["admins"]');
  });

  it('decides a duplicated sub key by the same value it answers as principalId and context', async () => {
    // Prepare
    const payload = JSON.stringify(cognitoClaims(ADMIN)).replace(/}$/, ',"sub":"second-sub"}');

    // Act
    const outcome = await attempt(signJwt(target.t.key, payload));

    // Assess
    expect(outcome.kind === 'allow' && [outcome.result.principalId, outcome.result.context?.['sub']]).toEqual(['second-sub', 'second-sub']);
  });

  it('refuses a token whose claims make it longer than the credential limit (16 KB)', async () => {
    // Act
    const outcome = await attempt(target.token({ ...ADMIN, extra: { pad: 'x'.repeat(13_000) } }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'malformed' });
  });

  it('decides a token with 300 groups by its groups, not by their size', async () => {
    // Prepare
    const groups = [...Array.from({ length: 299 }, (_, i) => `group-${i}`), 'readers'];

    // Act
    const outcome = await attempt(target.token({ groups, sub: 's-many' }));

    // Assess
    expect(outcome.kind).toBe('deny');
    expect(outcome.kind === 'deny' && JSON.parse(outcome.result.context?.['groups'] as string)).toHaveLength(300);
  });

  it.each([
    ['a very long group name', { groups: ['admins'.padEnd(5000, 'x')] }],
    ['a very long sub', { sub: 's'.repeat(5000) }],
    ['a huge exp', { extra: { exp: Number.MAX_SAFE_INTEGER } }],
  ])('never allows the admin route for %s', async (_name, spec) => {
    // Act
    const outcome = await attempt(target.token({ ...spec }));

    // Assess
    expect(outcome.kind).not.toBe('allow');
  });
});

describe('claim attacks with TOKEN_USE=id', () => {
  const target = attackTarget({ env: { TOKEN_USE: 'id' } });

  it('allows a genuine admin ID token', async () => {
    // Act
    const outcome = await target.attempt(target.token({ ...ADMIN, tokenUse: 'id' }), 'DELETE', '/pets/17');

    // Assess
    expect(outcome.kind).toBe('allow');
  });

  it('refuses an access token', async () => {
    // Act
    const outcome = await target.attempt(target.token(), 'DELETE', '/pets/17');

    // Assess
    expect(outcome.kind).toBe('unauthorized');
  });

  it('refuses an ID token whose aud is another client', async () => {
    // Act
    const outcome = await target.attempt(target.token({ ...ADMIN, tokenUse: 'id', clientId: OTHER_CLIENT_ID }), 'DELETE', '/pets/17');

    // Assess
    expect(outcome.kind).toBe('unauthorized');
  });

  it('refuses an ID token that carries the right client only in client_id', async () => {
    // Prepare
    const claims = { ...cognitoClaims({ ...ADMIN, tokenUse: 'id', clientId: OTHER_CLIENT_ID }), client_id: 'testclient0000000000000001' };

    // Act
    const outcome = await target.attempt(signJwt(target.t.key, claims), 'DELETE', '/pets/17');

    // Assess
    expect(outcome.kind).toBe('unauthorized');
  });
});
