// The verifier room: aws-jwt-verify's errors sorted by base class (every exported class), the
// issuers of each partition, and Cognito's token-use and client checks.
import * as libraryErrors from 'aws-jwt-verify/error';
import { CredentialError, JwksFault } from '../../src/errors';
import { classifyVerifyError, createVerifier, poolIssuers } from '../../src/verifier';
import { JwksServer, makeKey, signJwt, cognitoClaims, POOL_ID, CLIENT_ID } from '../helpers/issuer';

type ErrorClass = new (...args: unknown[]) => Error;

/** Every error class aws-jwt-verify exports, by name. */
const CLASSES = (Object.entries(libraryErrors) as [string, unknown][]).filter(
  (entry): entry is [string, ErrorClass] => typeof entry[1] === 'function' && (entry[1] as ErrorClass).prototype instanceof Error,
);

/** The classes whose errors mean the token itself is wrong (401). Everything else is a fault. */
const CREDENTIAL_CLASSES = [
  'AlbJwtInvalidClientIdError',
  'AlbJwtInvalidSignerError',
  'CognitoJwtInvalidClientIdError',
  'CognitoJwtInvalidGroupError',
  'CognitoJwtInvalidTokenUseError',
  'FailedAssertionError',
  'JwtExpiredError',
  'JwtInvalidAudienceError',
  'JwtInvalidClaimError',
  'JwtInvalidIssuerError',
  'JwtInvalidScopeError',
  'JwtInvalidSignatureAlgorithmError',
  'JwtInvalidSignatureError',
  'JwtNotBeforeError',
  'JwtParseError',
  'JwtWithoutValidKidError',
  'KidNotFoundInJwksError',
  'ParameterValidationError',
  'WaitPeriodNotYetEndedJwkError',
];

describe('verifier: error classes', () => {
  it('knows every error class aws-jwt-verify exports (a new one is a fault until sorted here)', () => {
    // Act
    const names = CLASSES.map(([name]) => name);

    // Assess
    expect(names.length).toBeGreaterThanOrEqual(25);
    expect(names).toEqual(expect.arrayContaining(CREDENTIAL_CLASSES));
  });

  it.each(CLASSES)('sorts %s', (name, cls) => {
    // Prepare: an instance without running the constructor (their signatures differ)
    const err = Object.create(cls.prototype as object) as Error;

    // Act
    const sorted = classifyVerifyError(err);

    // Assess
    expect(sorted).toBeInstanceOf(CREDENTIAL_CLASSES.includes(name) ? CredentialError : JwksFault);
  });

  it('passes errors from elsewhere through unchanged (they are faults)', () => {
    // Prepare
    const err = new TypeError('x');

    // Act
    const sorted = classifyVerifyError(err);

    // Assess
    expect(sorted).toBe(err);
  });
});

describe('verifier: issuers', () => {
  it.each([
    ['us-east-1_AbC123', 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123'],
    ['us-gov-west-1_AbC123', 'https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbC123'],
    ['eusc-de-east-1_AbC123', 'https://cognito-idp.eusc-de-east-1.amazonaws.eu/eusc-de-east-1_AbC123'],
    ['cn-north-1_AbC123', 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbC123'],
  ])('trusts the regional and multi-region issuers of %s', (poolId, regional) => {
    // Act
    const issuers = poolIssuers(poolId);

    // Assess
    expect(issuers.map((i) => i.issuer)).toEqual([regional, regional.replace('https://cognito-idp.', 'https://issuer-cognito-idp.')]);
    expect(issuers[0]?.jwksUri).toBe(`${regional}/.well-known/jwks.json`);
  });
});

describe('verifier: Cognito checks', () => {
  const key = makeKey();
  let jwks: JwksServer;

  beforeAll(async () => {
    jwks = await new JwksServer([key]).start();
  });
  afterAll(() => jwks.stop());

  const verifier = (tokenUse: 'access' | 'id') =>
    createVerifier({ userPoolIds: [POOL_ID], clientIds: [CLIENT_ID], tokenUse, jwksEndpoint: new URL(jwks.endpoint) });

  it.each([
    ['an access token when ID tokens are configured', 'id', { tokenUse: 'access' as const }, 'wrong-token-use'],
    ['an ID token when access tokens are configured', 'access', { tokenUse: 'id' as const }, 'wrong-token-use'],
    ['an access token of another client', 'access', { clientId: 'someoneelse' }, 'wrong-client'],
    ['an ID token for another audience', 'id', { tokenUse: 'id' as const, clientId: 'someoneelse' }, 'wrong-client'],
    ['a token of another pool', 'access', { poolId: 'us-east-1_OtherPool2' }, 'wrong-issuer'],
  ] as const)('refuses %s as %s', async (_name, tokenUse, spec, problem) => {
    // Act
    const outcome = await verifier(tokenUse).verify(signJwt(key, cognitoClaims(spec))).catch((e: unknown) => e);

    // Assess
    expect(outcome).toBeInstanceOf(CredentialError);
    expect((outcome as CredentialError).problem).toBe(problem);
  });

  it('accepts a token of the multi-region issuer form', async () => {
    // Prepare
    const claims = { ...cognitoClaims({}), iss: `https://issuer-cognito-idp.us-east-1.amazonaws.com/${POOL_ID}` };

    // Act
    const verified = await verifier('access').verify(signJwt(key, claims));

    // Assess
    expect(verified['iss']).toBe(claims.iss);
  });
});

describe('verifier: verified-claims cache', () => {
  const key = makeKey();
  let jwks: JwksServer;

  beforeAll(async () => {
    jwks = await new JwksServer([key]).start();
  });
  afterAll(() => jwks.stop());

  const verifier = () => createVerifier({ userPoolIds: [POOL_ID], clientIds: [CLIENT_ID], tokenUse: 'access', jwksEndpoint: new URL(jwks.endpoint) });

  it('answers a repeated token from the cache: the same claims, no second verification', async () => {
    // Prepare
    const v = verifier();
    const token = signJwt(key, cognitoClaims({ groups: ['readers'] }));
    const first = await v.verify(token);

    // Act
    const again = await v.verify(Buffer.from(token).toString());

    // Assess
    expect(again).toBe(first);
  });

  it('verifies in full a token that ends like a cached one (a payload forged under its signature)', async () => {
    // Prepare
    const v = verifier();
    const token = signJwt(key, cognitoClaims({ groups: ['readers'], sub: 'reader' }));
    await v.verify(token);
    const [, , signature] = token.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify(cognitoClaims({ groups: ['admins'], sub: 'reader' }))).toString('base64url');
    const forged = `${token.split('.')[0] as string}.${forgedPayload}.${signature}`;

    // Act
    const outcome = await v.verify(forged).catch((e: unknown) => e);

    // Assess
    expect(outcome).toBeInstanceOf(CredentialError);
    expect((outcome as CredentialError).problem).toBe('bad-signature');
    expect((await v.verify(token))['cognito:groups']).toEqual(['readers']);
  });
});

describe('verifier: verifying without a promise', () => {
  const key = makeKey();
  const other = makeKey(key.kid);
  let jwks: JwksServer;

  beforeAll(async () => {
    jwks = await new JwksServer([key]).start();
  });
  afterAll(() => jwks.stop());

  const verifier = () => createVerifier({ userPoolIds: [POOL_ID], clientIds: [CLIENT_ID], tokenUse: 'access', jwksEndpoint: new URL(jwks.endpoint) });

  it('answers undefined while the key set is not at hand, so that verify() fetches it', () => {
    // Prepare
    const v = verifier();

    // Act
    const claims = v.verifyNow(signJwt(key, cognitoClaims({})));

    // Assess
    expect(claims).toBeUndefined();
    expect(v.fetches).toBe(0);
  });

  it('verifies a new token with the key at hand and remembers it as verify() does', async () => {
    // Prepare
    const v = verifier();
    await v.hydrate();
    const token = signJwt(key, cognitoClaims({ groups: ['readers'] }));

    // Act
    const claims = v.verifyNow(token);

    // Assess
    expect(claims?.['cognito:groups']).toEqual(['readers']);
    expect(v.cached(token)).toBe(claims);
  });

  it.each([
    ['an expired token', { ttl: -60 }, 'expired'],
    ['a token of another client', { clientId: 'someoneelse' }, 'wrong-client'],
  ] as const)('throws for %s what verify() rejects with', async (_name, spec, problem) => {
    // Prepare
    const v = verifier();
    await v.hydrate();
    const token = signJwt(key, cognitoClaims(spec));

    // Act
    const thrown = (() => {
      try {
        return v.verifyNow(token);
      } catch (err) {
        return err;
      }
    })();
    const rejected = await v.verify(token).catch((e: unknown) => e);

    // Assess
    expect(thrown).toBeInstanceOf(CredentialError);
    expect((thrown as CredentialError).problem).toBe(problem);
    expect((rejected as CredentialError).problem).toBe(problem);
  });

  it('leaves a bad signature against a key set that has verified nothing to verify(), and refuses it once the set is proven', async () => {
    // Prepare: a token signed by another key under the served kid
    const v = verifier();
    await v.hydrate();
    const forged = signJwt(other, cognitoClaims({}));

    // Act
    const doubted = v.verifyNow(forged);
    v.verifyNow(signJwt(key, cognitoClaims({})));
    const refused = (() => {
      try {
        return v.verifyNow(forged);
      } catch (err) {
        return err;
      }
    })();

    // Assess
    expect(doubted).toBeUndefined();
    expect((refused as CredentialError).problem).toBe('bad-signature');
  });
});
