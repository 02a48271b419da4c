// HTTP APIs through the handler: payload 2.0 with IAM policies or simple responses, payload 1.0,
// the outcomes, and the published sample events replayed with fresh tokens.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Authorizer } from '../../src/authorizer';
import { setup, type TestSetup } from '../helpers/authorizer';
import { http1Event, httpEvent, methodArn } from '../helpers/events';
import { evaluate } from '../helpers/oracle';
import { cognitoClaims, signJwt } from '../helpers/issuer';
import { outcomeOf } from '../helpers/outcome';
import { policyOf } from '../helpers/policy';

const RULES = {
  routes: [
    { route: 'GET /pets', allow: ['group:readers'] },
    { route: 'GET /pets/{petId}', allow: ['group:readers'] },
    { route: 'DELETE /pets/{petId}', allow: ['group:admins'] },
    { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
    { route: 'POST /lambda', allow: ['group:readers'] },
    { route: 'POST /lambda-request', allow: ['group:readers'] },
    { route: 'POST /lambda-token', allow: ['group:readers'] },
    { route: 'GET /request', allow: ['group:readers'] },
  ],
};
const PUBLISHED = path.join(__dirname, '..', 'fixtures', 'published');

/** What a simple response says, or how the handler failed. */
async function simpleOutcome(authorizer: Authorizer, event: unknown): Promise<string> {
  try {
    const result = (await authorizer.handler(event)) as { isAuthorized?: unknown };
    return `isAuthorized:${String(result.isAuthorized)}`;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('HTTP APIs', () => {
  let t: TestSetup;
  let reader: string;
  let admin: string;
  const SUB = '8f0c2a4e-6b1d-4c3a-9e7f-0123456789ab';

  beforeAll(async () => {
    t = await setup();
    reader = `Bearer ${signJwt(t.key, cognitoClaims({ groups: ['readers'], sub: SUB }))}`;
    admin = `Bearer ${signJwt(t.key, cognitoClaims({ groups: ['admins'] }))}`;
  });
  afterEach(() => {
    t.logs.length = 0;
  });
  afterAll(() => t.stop());

  describe('payload 2.0, IAM policy responses', () => {
    let authorizer: Authorizer;
    beforeAll(() => {
      authorizer = t.make({ ROUTE_RULES: JSON.stringify(RULES) });
    });

    it('allows a granted route with a policy scoped to the API and the $default stage', async () => {
      // Act
      const outcome = await outcomeOf(authorizer.handler, httpEvent(reader, 'GET', '/pets/17', { routeKey: 'GET /pets/{petId}' }));

      // Assess
      expect(outcome.kind).toBe('allow');
      const resources = outcome.kind === 'allow' ? outcome.result.policyDocument.Statement.flatMap((s) => ('Resource' in s ? [s.Resource].flat() : [])) : [];
      expect(resources.every((r) => String(r).startsWith('arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/$default/'))).toBe(true);
    });

    it('answers a policy that stays right when the answer is reused for the caller’s other routes', async () => {
      // Act
      const result = policyOf(await authorizer.handler(httpEvent(reader, 'GET', '/pets/17', { routeKey: 'GET /pets/{petId}' })));

      // Assess
      const arn = (m: string, p: string) => methodArn(m, p, { stage: '$default' });
      expect(evaluate(result, arn('GET', '/pets'))).toBe('Allow');
      expect(evaluate(result, arn('DELETE', '/pets/17'))).toBe('Deny');
      expect(evaluate(result, arn('GET', `/users/${SUB}/pets`))).toBe('Allow');
      expect(evaluate(result, arn('GET', '/users/someone-else/pets'))).toBe('Deny');
      expect(evaluate(result, arn('GET', '/pets/17/'))).toBe('Deny');
      expect(evaluate(result, methodArn('GET', '/pets', { stage: 'prod' }))).toBe('Deny');
    });

    it('denies a route the caller is not granted with a 403 policy', async () => {
      // Act
      const outcome = await outcomeOf(authorizer.handler, httpEvent(reader, 'DELETE', '/pets/17', { routeKey: 'DELETE /pets/{petId}' }));

      // Assess
      expect(outcome.kind).toBe('deny');
    });

    it('works on a named stage', async () => {
      // Act
      const outcome = await outcomeOf(authorizer.handler, httpEvent(admin, 'DELETE', '/pets/17', { routeKey: 'DELETE /pets/{petId}', target: { stage: 'v1' } }));

      // Assess
      expect(outcome.kind).toBe('allow');
    });

    it('answers Unauthorized for a bad credential, never an Allow', async () => {
      // Act
      const outcome = await outcomeOf(authorizer.handler, httpEvent('Bearer x.y.z', 'GET', '/pets'));

      // Assess
      expect(outcome.kind).toBe('unauthorized');
    });

    it('denies as route-mismatch when the API matched a route the rules govern differently', async () => {
      // Act
      const outcome = await outcomeOf(authorizer.handler, httpEvent(reader, 'GET', '/pets/17', { routeKey: 'GET /{proxy+}' }));

      // Assess
      expect(outcome.kind).toBe('deny');
      expect(t.logs.find((l) => l['message'] === 'decision')).toMatchObject({ reason: 'route-mismatch', door: 'http-2.0' });
    });
  });

  describe('payload 2.0, simple responses', () => {
    let authorizer: Authorizer;
    beforeAll(() => {
      authorizer = t.make({ ROUTE_RULES: JSON.stringify(RULES), SIMPLE_RESPONSES: 'true' });
    });

    it.each([
      ['a granted route, cached per route', () => httpEvent(reader, 'GET', '/pets', { identitySource: [reader, 'GET /pets'] }), 'isAuthorized:true'],
      ['a route not granted, cached per route', () => httpEvent(reader, 'DELETE', '/pets/1', { routeKey: 'DELETE /pets/{petId}', identitySource: [reader, 'DELETE /pets/{petId}'] }), 'isAuthorized:false'],
      ['a granted route, cached across routes', () => httpEvent(reader, 'GET', '/pets'), 'Internal authorizer error'],
      ['a route not granted, cached across routes', () => httpEvent(reader, 'DELETE', '/pets/1', { routeKey: 'DELETE /pets/{petId}' }), 'Internal authorizer error'],
      ['the caller’s own bound route, cached per route only', () => httpEvent(reader, 'GET', `/users/${SUB}/pets`, { routeKey: 'GET /users/{userId}/pets', identitySource: [reader, 'GET /users/{userId}/pets'] }), 'Internal authorizer error'],
      ['the caller’s own bound route, cached per path', () => httpEvent(reader, 'GET', `/users/${SUB}/pets`, { routeKey: 'GET /users/{userId}/pets', identitySource: [reader, 'GET /users/{userId}/pets', `/users/${SUB}/pets`] }), 'isAuthorized:true'],
      ['the $default route, cached per route only', () => httpEvent(reader, 'GET', '/pets', { routeKey: '$default', identitySource: [reader, '$default'] }), 'Internal authorizer error'],
      ['a bad credential', () => httpEvent('Bearer x.y.z', 'GET', '/pets', { identitySource: ['Bearer x.y.z', 'GET /pets'] }), 'Unauthorized'],
    ])('answers %s with %s', async (_name, make, expected) => {
      // Act
      const outcome = await simpleOutcome(authorizer, make());

      // Assess
      expect(outcome).toBe(expected);
    });

    it('carries the same string context as a policy answer', async () => {
      // Act
      const result = (await authorizer.handler(httpEvent(reader, 'GET', '/pets', { identitySource: [reader, 'GET /pets'] }))) as {
        context: Record<string, unknown>;
      };

      // Assess
      expect(result.context).toMatchObject({ sub: SUB, groups: '["readers"]', tokenUse: 'access' });
      expect(Object.values(result.context).every((v) => typeof v === 'string')).toBe(true);
    });

    it('logs how to configure the authorizer when its cache would reuse a simple answer across routes', async () => {
      // Act
      await simpleOutcome(authorizer, httpEvent(reader, 'GET', '/pets'));

      // Assess
      expect(t.logs.find((l) => l['message'] === 'fault')).toMatchObject({
        decision: 'error',
        reason: 'deployment',
        advice: expect.stringContaining('$context.routeKey'),
      });
    });
  });

  describe('payload 1.0', () => {
    it('answers IAM policies whatever SIMPLE_RESPONSES says', async () => {
      // Prepare
      const authorizer = t.make({ ROUTE_RULES: JSON.stringify(RULES), SIMPLE_RESPONSES: 'true' });

      // Act
      const outcome = await outcomeOf(authorizer.handler, http1Event(reader, 'GET', '/pets/17'));

      // Assess
      expect(outcome.kind).toBe('allow');
      expect(t.logs.find((l) => l['message'] === 'decision')).toMatchObject({ door: 'http-1.0' });
    });
  });

  describe('published sample events, replayed with a fresh token', () => {
    let authorizer: Authorizer;
    beforeAll(() => {
      authorizer = t.make({ ROUTE_RULES: JSON.stringify(RULES) });
    });

    /** The event with the reader's token as its credential, wherever the event carries one. */
    function withToken(event: Record<string, unknown>): Record<string, unknown> {
      const headers = { ...(event['headers'] as Record<string, string>) };
      const name = Object.keys(headers).find((h) => h.toLowerCase() === 'authorization') ?? (event['version'] === '2.0' ? 'authorization' : 'Authorization');
      headers[name] = reader;
      const copy: Record<string, unknown> = { ...event, headers };
      if ('multiValueHeaders' in event) copy['multiValueHeaders'] = { ...(event['multiValueHeaders'] as object), [name]: [reader] };
      if (event['type'] === 'TOKEN' || 'authorizationToken' in event) copy['authorizationToken'] = reader;
      if (Array.isArray(event['identitySource'])) copy['identitySource'] = [reader];
      else if (typeof event['identitySource'] === 'string') copy['identitySource'] = reader;
      return copy;
    }

    // The AWS documentation's 2.0 example (and the samples copied from it) is internally
    // inconsistent: its routeArn says GET /request while requestContext.http.method is POST.
    const EXPECTED: Record<string, string> = {
      'aws-lambda-go__apigw-v2-custom-authorizer-v2-request.json': 'fault',
      'powertools-lambda-python__apiGatewayAuthorizerV2Event.json': 'fault',
      'powertools-lambda-typescript__legacy__apiGatewayAuthorizerV2Event.json': 'fault',
      'powertools-lambda-typescript__apigw-http__authorizer-request.json': 'allow',
      'aws-lambda-go__apigw-v2-custom-authorizer-v1-request.json': 'allow',
      'powertools-lambda-python__apiGatewayAuthorizerRequestEvent.json': 'allow',
      'powertools-lambda-typescript__legacy__apiGatewayAuthorizerRequestEvent.json': 'allow',
      'powertools-lambda-typescript__apigw-rest__authorizer-request.json': 'allow',
      'powertools-lambda-typescript__apigw-rest__authorizer-token.json': 'allow',
      // The test console's event: its methodArn has a wildcard stage, which no request carries.
      'aws-lambda-go__apigw-custom-auth-request.json': 'fault',
      'aws-lambda-go__apigw-custom-auth-request-type-request.json': 'allow',
    };

    it('has an expectation for every published event kept in the repository', () => {
      // Act
      const files = readdirSync(PUBLISHED).filter((f) => f.endsWith('.json'));

      // Assess
      expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
    });

    it.each(Object.entries(EXPECTED))('%s → %s', async (file, expected) => {
      // Prepare
      const event = withToken(JSON.parse(readFileSync(path.join(PUBLISHED, file), 'utf8')) as Record<string, unknown>);

      // Act
      const outcome = await outcomeOf(authorizer.handler, event);

      // Assess
      expect(outcome.kind).toBe(expected);
    });
  });
});
