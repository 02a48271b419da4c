// Algorithm and key-selection attacks: alg none, HMAC with the public key, attacker keys under the
// pool's kid, key URLs and embedded keys in the header, kid tricks, stripped signatures — all 401.
import { createHmac, createPublicKey, sign } from 'node:crypto';
import { ADMIN, attackTarget } from '../helpers/attack';
import { b64url, cognitoClaims, JwksServer, makeKey, POOL_ID, signJwt, type SigningKey } from '../helpers/issuer';

const JWKS_PATH = `/${POOL_ID}/.well-known/jwks.json`;

/** A JWT with any header and any signature bytes (or none). */
function forge(header: Record<string, unknown>, payload: unknown, signer: (input: string) => Buffer | string): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = signer(input);
  return `${input}.${typeof signature === 'string' ? signature : b64url(signature)}`;
}

const hmac = (secret: string | Buffer) => (input: string) => createHmac('sha256', secret).update(input).digest();
const rsa = (key: SigningKey, alg = 'RSA-SHA256') => (input: string) => sign(alg, Buffer.from(input), key.privateKey);

/** The pool key's public forms an attacker can download: PEM, DER, the JWK as JSON, the modulus. */
function publicForms(key: SigningKey): [string, string | Buffer][] {
  const pub = createPublicKey(key.privateKey);
  return [
    ['the public key as SPKI PEM', pub.export({ type: 'spki', format: 'pem' })],
    ['the public key as PKCS#1 PEM', pub.export({ type: 'pkcs1', format: 'pem' })],
    ['the public key as DER', pub.export({ type: 'spki', format: 'der' })],
    ['the JWK as JSON', JSON.stringify(key.jwk)],
    ['the JWK modulus', key.jwk.n],
  ];
}

describe('algorithm attacks', () => {
  const target = attackTarget();
  let attacker: SigningKey;
  let attackerJwks: JwksServer;

  beforeAll(async () => {
    attacker = makeKey('attacker-kid');
    attackerJwks = await new JwksServer([attacker]).start();
  });
  afterAll(() => attackerJwks.stop());

  async function expectUnauthorized(token: string, reason?: string): Promise<void> {
    const outcome = await target.attempt(token, 'GET', '/pets');
    expect(outcome.kind).toBe('unauthorized');
    if (reason !== undefined) expect(outcome.reason).toBe(reason);
  }

  it('accepts the genuine admin token, so each refusal below is about the attack', async () => {
    // Act
    const outcome = await target.attempt(target.token(), 'GET', '/pets');

    // Assess
    expect(outcome.kind).toBe('allow');
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg "%s" with an empty signature', async (alg) => {
    // Prepare
    const token = forge({ alg, kid: target.t.key.kid, typ: 'JWT' }, cognitoClaims(ADMIN), () => '');

    // Act and Assess
    await expectUnauthorized(token, 'malformed');
  });

  it.each(['none', 'None'])('refuses alg "%s" with some signature bytes', async (alg) => {
    // Prepare
    const token = forge({ alg, kid: target.t.key.kid }, cognitoClaims(ADMIN), () => Buffer.from('x'));

    // Act and Assess
    await expectUnauthorized(token, 'bad-signature');
  });

  it('refuses alg none without a kid', async () => {
    // Prepare
    const token = forge({ alg: 'none' }, cognitoClaims(ADMIN), () => Buffer.from('x'));

    // Act and Assess
    await expectUnauthorized(token, 'unknown-key');
  });

  it.each(['HS256', 'HS384', 'HS512'])('refuses %s signed with the pool public key (every public form) as the secret', async (alg) => {
    // Prepare
    const tokens = publicForms(target.t.key).map(([, secret]) =>
      forge({ alg, kid: target.t.key.kid }, cognitoClaims(ADMIN), (input) =>
        createHmac(`sha${alg.slice(2)}`, secret).update(input).digest(),
      ),
    );

    // Act and Assess
    for (const token of tokens) await expectUnauthorized(token, 'bad-signature');
  });

  it('refuses RS256 signed by an attacker key that reuses the pool kid', async () => {
    // Prepare
    const token = signJwt(makeKey(target.t.key.kid), cognitoClaims(ADMIN));

    // Act and Assess
    await expectUnauthorized(token, 'bad-signature');
  });

  it.each([
    ['RS512', 'RSA-SHA512'],
    ['PS256', 'RSA-SHA256'],
  ])('refuses %s (an alg the pool key does not declare) even when signed by the pool key', async (alg, digest) => {
    // Prepare: only a key holder could do this; the JWK's alg still pins RS256.
    const token = forge({ alg, kid: target.t.key.kid }, cognitoClaims(ADMIN), rsa(target.t.key, digest));

    // Act and Assess
    await expectUnauthorized(token, 'bad-signature');
  });

  it('refuses a header without alg even when the pool key signed it', async () => {
    // Prepare
    const token = forge({ kid: target.t.key.kid }, cognitoClaims(ADMIN), rsa(target.t.key));

    // Act and Assess
    await expectUnauthorized(token, 'bad-signature');
  });

  it.each(['jku', 'x5u'])('ignores a %s header pointing at an attacker JWKS: nothing fetched from it', async (name) => {
    // Prepare
    const url = `${attackerJwks.endpoint}${JWKS_PATH}`;
    const unknownKid = signJwt(attacker, cognitoClaims(ADMIN), { [name]: url });
    const poolKid = signJwt(attacker, cognitoClaims(ADMIN), { [name]: url, kid: target.t.key.kid });

    // Act
    await expectUnauthorized(unknownKid, 'unknown-key');
    await expectUnauthorized(poolKid, 'bad-signature');

    // Assess
    expect(attackerJwks.requests).toBe(0);
  });

  it('ignores an embedded jwk header (the attacker public key) under the attacker kid', async () => {
    // Prepare
    const token = signJwt(attacker, cognitoClaims(ADMIN), { jwk: attacker.jwk });

    // Act and Assess
    await expectUnauthorized(token, 'unknown-key');
  });

  it('ignores an embedded jwk header (the attacker public key) under the pool kid', async () => {
    // Prepare
    const token = signJwt(attacker, cognitoClaims(ADMIN), { jwk: { ...attacker.jwk, kid: target.t.key.kid }, kid: target.t.key.kid });

    // Act and Assess
    await expectUnauthorized(token, 'bad-signature');
  });

  it('ignores an embedded x5c certificate chain', async () => {
    // Prepare
    const token = signJwt(attacker, cognitoClaims(ADMIN), { kid: target.t.key.kid, x5c: [b64url('not a certificate')] });

    // Act and Assess
    await expectUnauthorized(token, 'bad-signature');
  });

  it.each([
    ['a path traversal', '../../etc/passwd'],
    ['a traversal to the other pool', `../../../us-east-1_OtherPool2/.well-known/jwks.json`],
    ['an encoded traversal', '%2e%2e%2f%2e%2e%2fjwks.json'],
    ['an http URL', 'http://127.0.0.1:1/jwks.json'],
    ['an https URL', 'https://evil.example/.well-known/jwks.json'],
    ['a NUL byte', `${'k'}\u0000../`],
    ['an empty string', ''],
    ['a very long kid', 'k'.repeat(4000)],
    ['a prototype name', '__proto__'],
    ['a constructor name', 'constructor'],
  ])('fetches only the pool JWKS for a kid that is %s, and refuses it', async (_name, kid) => {
    // Prepare
    const token = signJwt(attacker, cognitoClaims(ADMIN), { kid });
    const before = target.t.jwks.paths.length;

    // Act
    await expectUnauthorized(token, 'unknown-key');

    // Assess
    expect(target.t.jwks.paths.slice(before).every((p) => p === JWKS_PATH)).toBe(true);
    expect(attackerJwks.requests).toBe(0);
  });

  it.each([
    ['a number', 42],
    ['an object', { $ref: 'x' }],
    ['an array', ['k']],
  ])('refuses a kid that is %s as malformed', async (_name, kid) => {
    // Prepare
    const token = forge({ alg: 'RS256', kid }, cognitoClaims(ADMIN), rsa(attacker));

    // Act and Assess
    await expectUnauthorized(token, 'malformed');
  });

  it.each([
    ['stripped, keeping the dot', (jwt: string) => jwt.slice(0, jwt.lastIndexOf('.') + 1), 'malformed'],
    ['stripped with its dot', (jwt: string) => jwt.slice(0, jwt.lastIndexOf('.')), 'malformed'],
    ['truncated by one character', (jwt: string) => jwt.slice(0, -1), 'bad-signature'],
    ['truncated by half', (jwt: string) => jwt.slice(0, jwt.length - 171), 'bad-signature'],
    ['cut to one character', (jwt: string) => jwt.slice(0, jwt.lastIndexOf('.') + 2), 'bad-signature'],
    ['doubled', (jwt: string) => jwt + jwt.slice(jwt.lastIndexOf('.') + 1), 'bad-signature'],
    ['all zero bytes', (jwt: string) => jwt.slice(0, jwt.lastIndexOf('.') + 1) + b64url(Buffer.alloc(256)), 'bad-signature'],
  ])('refuses an admin token whose signature is %s', async (_name, damage, reason) => {
    // Prepare
    const token = damage(target.token());

    // Act and Assess
    await expectUnauthorized(token, reason);
  });

  it("refuses an admin payload carrying another token's genuine signature", async () => {
    // Prepare
    const [, , signature] = target.token({ groups: ['readers'] }).split('.') as [string, string, string];
    const [head, body] = target.token().split('.') as [string, string, string];

    // Act and Assess
    await expectUnauthorized(`${head}.${body}.${signature}`, 'bad-signature');
  });
});

describe('algorithm attacks on a JWKS whose key does not declare its alg', () => {
  const target = attackTarget({
    prepare(t) {
      const jwk = Object.fromEntries(Object.entries(t.key.jwk).filter(([name]) => name !== 'alg'));
      t.jwks.keys = [{ ...t.key, jwk }];
    },
  });

  it('still accepts a genuine RS256 token', async () => {
    // Act
    const outcome = await target.attempt(target.token(), 'GET', '/pets');

    // Assess
    expect(outcome.kind).toBe('allow');
  });

  it.each([0, 1, 2, 3, 4])('refuses HS256 keyed with public form #%i of the pool key', async (form) => {
    // Prepare
    const [, secret] = publicForms(target.t.key)[form] as [string, string | Buffer];
    const token = forge({ alg: 'HS256', kid: target.t.key.kid }, cognitoClaims(ADMIN), hmac(secret));

    // Act
    const outcome = await target.attempt(token, 'GET', '/pets');

    // Assess
    expect(outcome.kind).toBe('unauthorized');
  });

  it('refuses alg none', async () => {
    // Prepare
    const token = forge({ alg: 'none', kid: target.t.key.kid }, cognitoClaims(ADMIN), () => Buffer.from('x'));

    // Act
    const outcome = await target.attempt(token, 'GET', '/pets');

    // Assess
    expect(outcome.kind).toBe('unauthorized');
  });
});
