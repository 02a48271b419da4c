// Log hygiene: with DEBUG logging, the attack inputs leave no token, signature or Authorization
// value in any log line or thrown error; every invocation writes one line with the decision fields.
import { createHmac, createPublicKey } from 'node:crypto';
import { createAuthorizer, type Authorizer } from '../../src/authorizer';
import { capturingLogger, setup, type LogLine, type TestSetup } from '../helpers/authorizer';
import { methodArn, requestEvent, tokenEvent } from '../helpers/events';
import { b64url, cognitoClaims, CLIENT_ID, makeKey, OTHER_CLIENT_ID, OTHER_POOL_ID, POOL_ID, signJwt, type SigningKey } from '../helpers/issuer';
import { outcomeOf, type Outcome } from '../helpers/outcome';

const ADMIN = { groups: ['admins'], sub: 'sub-admin' } as const;
// Powertools omits null fields: a 401 or fault line has no principalId or clientId (nothing verified).
const DECISION_FIELDS = ['decision', 'reason', 'route', 'resource', 'latencyMs', 'coldStart'];
const VERIFIED_FIELDS = ['principalId', 'clientId'];

/** Attack credentials (whole header values), from the attack suites. */
function attackCredentials(key: SigningKey, attacker: SigningKey): [string, string][] {
  const admin = signJwt(key, cognitoClaims(ADMIN));
  const [head, body, sig] = admin.split('.') as [string, string, string];
  const pem = createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' });
  const hsInput = `${b64url(JSON.stringify({ alg: 'HS256', kid: key.kid }))}.${body}`;
  return [
    ['a valid admin token', `Bearer ${admin}`],
    ['a valid reader token', `Bearer ${signJwt(key, cognitoClaims({ groups: ['readers'], sub: 'sub-reader' }))}`],
    ['an expired token', `Bearer ${signJwt(key, cognitoClaims({ ...ADMIN, ttl: -60 }))}`],
    ['a not-yet-valid token', `Bearer ${signJwt(key, cognitoClaims({ ...ADMIN, extra: { nbf: Date.now() / 1000 + 600 } }))}`],
    ['a tampered payload', `Bearer ${head}.${b64url(JSON.stringify(cognitoClaims({ groups: ['superadmins'] })))}.${sig}`],
    ['another pool', `Bearer ${signJwt(key, cognitoClaims({ ...ADMIN, poolId: OTHER_POOL_ID }))}`],
    ['another client', `Bearer ${signJwt(key, cognitoClaims({ ...ADMIN, clientId: OTHER_CLIENT_ID }))}`],
    ['an ID token', `Bearer ${signJwt(key, cognitoClaims({ ...ADMIN, tokenUse: 'id' }))}`],
    ['alg none', `Bearer ${b64url(JSON.stringify({ alg: 'none', kid: key.kid }))}.${body}.${b64url('x')}`],
    ['HS256 keyed with the public key', `Bearer ${hsInput}.${b64url(createHmac('sha256', pem).update(hsInput).digest())}`],
    ['an attacker key under the pool kid', `Bearer ${signJwt({ ...attacker, kid: key.kid }, cognitoClaims(ADMIN))}`],
    ['a jku header', `Bearer ${signJwt(attacker, cognitoClaims(ADMIN), { jku: 'http://127.0.0.1:1/jwks.json' })}`],
    ['a kid traversal', `Bearer ${signJwt(attacker, cognitoClaims(ADMIN), { kid: '../../etc/passwd' })}`],
    ['a stripped signature', `Bearer ${head}.${body}.`],
    ['a truncated signature', `Bearer ${admin.slice(0, -20)}`],
    ['four segments', `Bearer ${admin}.${sig}`],
    ['a Basic credential', 'Basic dXNlcjpzdXBlci1zZWNyZXQtcGFzc3dvcmQ='],
    ['two credentials', `Bearer ${admin}, Bearer ${admin}`],
    ['a control character', `Bearer ${admin}\u0000`],
    ['a Cyrillic letter', `Bearer ${admin.replace('e', '\u0435')}`],
    ['a 20 KB token', `Bearer ${head}.${b64url('x'.repeat(15_000))}.${sig}`],
    ['a bare token', admin],
  ];
}

/** What must never be written: the value, the token, and each long enough piece of it. */
function secretsOf(credential: string): string[] {
  const token = credential.replace(/^(Bearer|Basic) /, '').replace(/[\s,].*$/s, '');
  const pieces = token.split('.').filter((p) => p.length >= 16);
  return [credential, token, ...pieces].filter((s) => s.length >= 16);
}

describe('log hygiene', () => {
  let t: TestSetup;
  let attacker: SigningKey;
  const logs: LogLine[] = [];
  const raw: string[] = [];
  let authorizer: Authorizer;
  const saved = process.env['POWERTOOLS_LOGGER_LOG_EVENT'];

  const make = (env: Record<string, string> = {}): Authorizer =>
    createAuthorizer({
      env: { USER_POOL_IDS: POOL_ID, CLIENT_IDS: CLIENT_ID, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: t.jwks.endpoint, ...env },
      logger: capturingLogger(logs, raw, 'DEBUG'),
    });

  beforeAll(async () => {
    // Even with event logging asked for, nothing of the request may be written.
    process.env['POWERTOOLS_LOGGER_LOG_EVENT'] = 'true';
    t = await setup();
    attacker = makeKey();
    authorizer = make();
    await authorizer.ready;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env['POWERTOOLS_LOGGER_LOG_EVENT'];
    else process.env['POWERTOOLS_LOGGER_LOG_EVENT'] = saved;
    await t.stop();
  });
  beforeEach(() => {
    logs.length = 0;
    raw.length = 0;
  });

  /** Everything an invocation let out: log lines and, when it threw, the error's message and stack. */
  async function leaks(run: () => Promise<Outcome>, credential: string): Promise<string[]> {
    const outcome = await run();
    const thrown = outcome.kind === 'unauthorized' || outcome.kind === 'fault' ? [outcome.error.message, outcome.error.stack ?? ''] : [];
    const written = [...raw, ...thrown].join('\n');
    return secretsOf(credential).filter((secret) => written.includes(secret)).map((s) => s.slice(0, 24));
  }

  it('finds a credential that is written, so a clean result below means something', async () => {
    // Prepare
    const credential = `Bearer ${signJwt(t.key, cognitoClaims(ADMIN))}`;
    const signature = credential.split('.')[2] as string;

    // Act
    const found = await leaks(() => {
      raw.push(`{"note":"${signature}"}`);
      return outcomeOf(authorizer.handler, tokenEvent(credential, 'GET', '/pets'));
    }, credential);

    // Assess
    expect(found).toEqual([signature.slice(0, 24)]);
  });

  it.each([0, 1])('writes no credential from the attack inputs in TOKEN events (%i: asked routes granted or not)', async (variant) => {
    // Prepare
    const inputs = attackCredentials(t.key, attacker);
    const found: string[] = [];

    // Act
    for (const [name, credential] of inputs) {
      const event = tokenEvent(credential, variant === 0 ? 'DELETE' : 'GET', variant === 0 ? '/pets/17' : '/nowhere');
      found.push(...(await leaks(() => outcomeOf(authorizer.handler, event), credential)).map((s) => `${name}: ${s}`));
    }

    // Assess
    expect(found).toEqual([]);
    expect(raw.length).toBeGreaterThanOrEqual(inputs.length);
  });

  it('writes no credential from the attack inputs in REQUEST events, single- and multi-value', async () => {
    // Prepare
    const found: string[] = [];

    // Act
    for (const [name, credential] of attackCredentials(t.key, attacker)) {
      const event = requestEvent(credential, 'DELETE', '/pets/17');
      found.push(...(await leaks(() => outcomeOf(authorizer.handler, event), credential)).map((s) => `${name}: ${s}`));
    }

    // Assess
    expect(found).toEqual([]);
  });

  it('writes no credential when the event itself is a fault (bad methodArn, unknown type)', async () => {
    // Prepare
    const credential = `Bearer ${signJwt(t.key, cognitoClaims(ADMIN))}`;
    const events = [
      { ...tokenEvent(credential, 'GET', '/pets'), methodArn: 'arn:aws:execute-api:*' },
      { ...tokenEvent(credential, 'GET', '/pets'), type: 'WEBSOCKET' },
    ];

    // Act
    const found: string[] = [];
    for (const event of events) found.push(...(await leaks(() => outcomeOf(authorizer.handler, event), credential)));

    // Assess
    expect(found).toEqual([]);
    expect(logs.filter((l) => l['message'] === 'fault')).toHaveLength(2);
  });

  it('writes no credential when the JWKS fails, at cold start or for a new kid', async () => {
    // Prepare
    const warm = make();
    await warm.ready;
    t.jwks.mode = 'invalid-json';
    const cold = make();
    const credential = `Bearer ${signJwt(t.key, cognitoClaims(ADMIN))}`;
    const newKid = `Bearer ${signJwt(attacker, cognitoClaims(ADMIN))}`;

    // Act
    const found = [
      ...(await leaks(() => outcomeOf(cold.handler, tokenEvent(credential, 'GET', '/pets')), credential)),
      ...(await leaks(() => outcomeOf(warm.handler, tokenEvent(newKid, 'GET', '/pets')), newKid)),
    ];
    t.jwks.mode = 'ok';

    // Assess
    expect(found).toEqual([]);
    expect(logs.filter((l) => l['message'] === 'fault').map((l) => l['error'])).toEqual(['JwksValidationError', 'JwksValidationError']);
  });

  describe('decision lines', () => {
    it('writes exactly one line with the decision fields per invocation, whatever the outcome', async () => {
      // Prepare
      const inputs = attackCredentials(t.key, attacker);
      const counts: number[] = [];
      const missing: string[] = [];

      // Act
      for (const [name, credential] of inputs) {
        logs.length = 0;
        await outcomeOf(authorizer.handler, tokenEvent(credential, 'DELETE', '/pets/17'));
        const lines = logs.filter((l) => 'decision' in l);
        counts.push(lines.length);
        const line = lines[0] ?? {};
        const verified = line['decision'] === 'allow' || line['decision'] === 'deny';
        for (const field of [...DECISION_FIELDS, ...(verified ? VERIFIED_FIELDS : [])]) {
          if (!(field in line)) missing.push(`${name}: ${field}`);
        }
        for (const field of verified ? [] : VERIFIED_FIELDS) if (field in line) missing.push(`${name}: unverified ${field}`);
      }

      // Assess
      expect(counts.every((n) => n === 1)).toBe(true);
      expect(missing).toEqual([]);
    });

    it.each([
      ['allow', () => `Bearer ${signJwt(t.key, cognitoClaims(ADMIN))}`, 'INFO', { decision: 'allow', reason: 'granted', route: 'DELETE /pets/{petId}', principalId: 'sub-admin', clientId: CLIENT_ID }],
      ['deny', () => `Bearer ${signJwt(t.key, cognitoClaims({ sub: 'sub-nobody' }))}`, 'INFO', { decision: 'deny', reason: 'not-granted', route: 'DELETE /pets/{petId}', principalId: 'sub-nobody' }],
      ['401', () => `Bearer ${signJwt(t.key, cognitoClaims({ ...ADMIN, ttl: -5 }))}`, 'WARN', { decision: 'unauthorized', reason: 'expired', route: 'DELETE /pets/{petId}' }],
    ])('logs %s with the reason class and the governing route', async (_name, credential, level, fields) => {
      // Act
      await outcomeOf(authorizer.handler, tokenEvent(credential(), 'DELETE', '/pets/17'));

      // Assess
      expect(logs.filter((l) => 'decision' in l)).toEqual([
        expect.objectContaining({ level, message: 'decision', resource: 'DELETE /pets/17', latencyMs: expect.any(Number), coldStart: false, ...fields }),
      ]);
    });

    it('logs a fault at ERROR with the error class and message', async () => {
      // Act
      await outcomeOf(authorizer.handler, { ...tokenEvent('Bearer x.y.z', 'GET', '/pets'), methodArn: methodArn('FETCH', '/pets') });

      // Assess
      expect(logs.filter((l) => 'decision' in l)).toEqual([
        expect.objectContaining({ level: 'ERROR', message: 'fault', decision: 'error', reason: 'event', error: 'EventError', errorMessage: expect.stringContaining('FETCH') }),
      ]);
    });

    it('marks only the first invocation of an authorizer as the cold start', async () => {
      // Prepare
      const fresh = make();
      const credential = `Bearer ${signJwt(t.key, cognitoClaims(ADMIN))}`;

      // Act
      for (let i = 0; i < 3; i++) await outcomeOf(fresh.handler, tokenEvent(credential, 'GET', '/pets'));

      // Assess
      expect(logs.filter((l) => 'decision' in l).map((l) => l['coldStart'])).toEqual([true, false, false]);
    });

    it('logs no event, even with POWERTOOLS_LOGGER_LOG_EVENT set', async () => {
      // Act
      await outcomeOf(authorizer.handler, tokenEvent(`Bearer ${signJwt(t.key, cognitoClaims(ADMIN))}`, 'GET', '/pets'));

      // Assess
      expect(raw.join('\n')).not.toMatch(/methodArn|authorizationToken/);
    });
  });
});
