// Event attacks: events API Gateway would never send (no or bad methodArn, wildcards, unknown
// types) are logged faults (500); odd header shapes and several Authorization headers are 401s.
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { Authorizer } from '../../src/authorizer';
import { attackTarget, type AttackTarget } from '../helpers/attack';
import { API, methodArn, requestEvent, tokenEvent } from '../helpers/events';
import { outcomeOf } from '../helpers/outcome';

const PREFIX = `arn:aws:execute-api:${API.region}:${API.account}`;

describe('event attacks', () => {
  const target = attackTarget();
  const { run, faultLine } = target;
  let admin: string;
  let reader: string;

  beforeAll(() => {
    admin = `Bearer ${target.token()}`;
    reader = `Bearer ${target.token({ groups: ['readers'], sub: 'sub-reader' })}`;
  });

  /** A REQUEST event for the admin at DELETE /pets/17 (admins only), its headers replaced. */
  function withHeaders(headers: unknown, multiValueHeaders: unknown): APIGatewayRequestAuthorizerEvent {
    return { ...requestEvent(undefined, 'DELETE', '/pets/17'), headers, multiValueHeaders } as APIGatewayRequestAuthorizerEvent;
  }

  describe('methodArn', () => {
    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['a number', 42],
      ['an array', [methodArn('GET', '/pets')]],
      ['another service', 'arn:aws:lambda:us-east-1:123456789012:function:f'],
      ['a wildcard everywhere', `${PREFIX}:*/*/*/*`],
      ['a wildcard API', `${PREFIX}:*/prod/GET/pets`],
      ['a wildcard stage', `${PREFIX}:${API.apiId}/*/GET/pets`],
      ['a wildcard method', `${PREFIX}:${API.apiId}/prod/*/pets`],
      ['a wildcard account', `arn:aws:execute-api:${API.region}:*:${API.apiId}/prod/GET/pets`],
      ['a wildcard region', `arn:aws:execute-api:*:${API.account}:${API.apiId}/prod/GET/pets`],
      ['a lower-case method', `${PREFIX}:${API.apiId}/prod/get/pets`],
      ['ANY as the method', `${PREFIX}:${API.apiId}/prod/ANY/pets`],
      ['no method and path', `${PREFIX}:${API.apiId}/prod`],
      ['a path without its leading slash', `${PREFIX}:${API.apiId}/prod/GETpets`],
      ['over 1,600 characters', methodArn('GET', `/${'a'.repeat(1600)}`)],
      ['a newline before the ARN', `\n${methodArn('GET', '/pets')}`],
    ])('answers a logged fault, never an Allow, when the methodArn is %s', async (_name, arn) => {
      // Prepare
      const event = { ...tokenEvent(admin, 'GET', '/pets'), methodArn: arn };

      // Act
      const outcome = await run(event);

      // Assess
      expect(outcome.kind).toBe('fault');
      expect(faultLine()).toMatchObject({ level: 'ERROR', error: 'EventError', reason: 'event' });
    });

    it('decides a path holding IAM wildcards by the rules, with resources from the rule templates only', async () => {
      // Prepare: a pet literally named "*" — legal in a path, never echoed into a resource.
      const event = tokenEvent(reader, 'DELETE', '/pets/*');

      // Act
      const outcome = await run(event);

      // Assess
      expect(outcome.kind).toBe('deny');
      const statements = outcome.kind === 'deny' ? outcome.result.policyDocument.Statement : [];
      const resources = statements.flatMap((s) => (s as { Resource: string[] }).Resource);
      expect(resources).not.toContain(methodArn('DELETE', '/pets/*'));
    });

    it('decides a 1,500-character path against many-variable routes in milliseconds (no backtracking)', async () => {
      // Prepare
      const deep = makeDeep(target);
      const event = tokenEvent(admin, 'GET', '/a'.repeat(740) + '/b');
      const started = performance.now();

      // Act
      const outcome = await outcomeOf(deep.handler, event);

      // Assess
      expect(outcome.kind).toBe('deny');
      expect(performance.now() - started).toBeLessThan(500);
    });
  });

  describe('event type', () => {
    it.each([
      ['missing', undefined],
      ['lower case', 'token'],
      ['another authorizer kind', 'WEBSOCKET'],
      ['a number', 1],
    ])('answers a logged fault when the type is %s', async (_name, type) => {
      // Prepare
      const event = { ...tokenEvent(admin, 'GET', '/pets'), type };

      // Act
      const outcome = await run(event);

      // Assess
      expect(outcome.kind).toBe('fault');
      expect(faultLine()).toMatchObject({ error: 'EventError', reason: 'event' });
    });

    it.each([
      ['null', null],
      ['a string', 'event'],
      ['an array', [tokenEvent('x', 'GET', '/pets')]],
      ['a number', 7],
    ])('answers a logged fault when the event is %s', async (_name, event) => {
      // Act
      const outcome = await run(event);

      // Assess
      expect(outcome.kind).toBe('fault');
      expect(faultLine()).toMatchObject({ error: 'EventError' });
    });

    it('reads a TOKEN event only from authorizationToken, not from headers', async () => {
      // Prepare
      const event = { ...tokenEvent(reader, 'DELETE', '/pets/17'), headers: { Authorization: admin } };

      // Act
      const outcome = await run(event);

      // Assess
      expect(outcome.kind).toBe('deny');
    });

    it('reads a REQUEST event only from its headers, not from an authorizationToken field', async () => {
      // Prepare
      const event = { ...withHeaders({}, {}), authorizationToken: admin };

      // Act
      const outcome = await run(event);

      // Assess
      expect(outcome.kind).toBe('unauthorized');
    });
  });

  describe('headers', () => {
    it('allows the admin with the usual single and multi-value headers, so each 401 below is about the headers', async () => {
      // Act
      const outcome = await run(withHeaders({ Authorization: admin }, { Authorization: [admin] }));

      // Assess
      expect(outcome.kind).toBe('allow');
    });

    const headerCases: [string, () => unknown, () => unknown][] = [
      ['headers and multiValueHeaders missing', () => undefined, () => undefined],
      ['headers and multiValueHeaders null', () => null, () => null],
      ['no Authorization header at all', () => ({ accept: 'x' }), () => ({ accept: ['x'] })],
      ['the Authorization header null', () => ({ Authorization: null }), () => ({ Authorization: null })],
      ['headers as a string', () => `Authorization: ${admin}`, () => undefined],
      ['headers as an array', () => [admin], () => undefined],
      ['the header value as an array', () => ({ Authorization: [admin] }), () => undefined],
      ['the header value as an object', () => ({ Authorization: { value: admin } }), () => undefined],
      ['a multi-value header that is not a list', () => undefined, () => ({ Authorization: admin })],
      ['two values in one multi-value header', () => undefined, () => ({ Authorization: [admin, admin] })],
      ['two letter cases in multiValueHeaders', () => undefined, () => ({ Authorization: [admin], authorization: [admin] })],
      ['two letter cases in headers, different values', () => ({ Authorization: admin, authorization: reader }), () => undefined],
      ['headers and multiValueHeaders disagreeing', () => ({ Authorization: admin }), () => ({ Authorization: [reader] })],
      ['an admin token hidden behind a reader one', () => ({ Authorization: reader }), () => ({ Authorization: [reader, admin] })],
      ['an empty multi-value list beside another case', () => ({ AUTHORIZATION: admin }), () => ({ Authorization: [], authorization: [reader] })],
    ];

    it.each(headerCases)('answers 401, never an Allow, for %s', async (_name, headers, multi) => {
      // Prepare
      const event = withHeaders(headers(), multi());

      // Act
      const outcome = await run(event);

      // Assess
      expect(outcome.kind).toBe('unauthorized');
    });

    it('accepts the same value under two letter cases in headers (one credential, nothing to confuse)', async () => {
      // Prepare
      const event = withHeaders({ Authorization: admin, authorization: admin }, undefined);

      // Act
      const outcome = await run(event);

      // Assess
      expect(outcome.kind).toBe('allow');
    });

    it('does not read a look-alike header name', async () => {
      // Prepare
      const event = withHeaders({ 'X-Authorization': admin, Authorisation: admin, 'Authorization ': admin }, undefined);

      // Act
      const outcome = await run(event);

      // Assess
      expect(outcome.kind).toBe('unauthorized');
    });
  });
});

/** An authorizer whose rules have routes with many variables (IAM patterns with many `*`). */
function makeDeep(target: AttackTarget): Authorizer {
  return target.t.make({
    ROUTE_RULES: JSON.stringify({
      routes: [
        { route: 'GET /{a}/{b}/{c}/{d}/{e}/x', allow: ['authenticated'] },
        { route: 'GET /a/{proxy+}', allow: ['group:nobody'] },
        { route: 'GET /{a}/{b}/{c}/{d}/{e}/y', allow: [] },
      ],
    }),
  });
}
