// Front doors: each event shape API Gateway sends becomes one normalised request; odd or mixed
// shapes are faults (never an Allow), unsafe authorizer settings are deployment faults.
import { DeploymentError, EventError, CredentialError } from '../../src/errors';
import { openDoor } from '../../src/front-doors';
import { http1Event, httpEvent, methodArn, requestEvent, tokenEvent } from '../helpers/events';

const POLICY = { simpleResponses: false } as const;
const SIMPLE = { simpleResponses: true } as const;
const BEARER = 'Bearer aaa.bbb.ccc';

/** A 2.0 event with one field replaced (or removed, with undefined). */
function http2With(field: string, value: unknown, base = httpEvent(BEARER, 'GET', '/pets')): Record<string, unknown> {
  const event = { ...base };
  if (value === undefined) delete event[field];
  else event[field] = value;
  return event;
}

describe('front doors: REST', () => {
  it('reads a TOKEN event: the token field and the methodArn', () => {
    // Act
    const request = openDoor(tokenEvent(BEARER, 'GET', '/pets/17'), POLICY);

    // Assess
    expect(request).toMatchObject({ door: 'rest-token', api: 'rest', answer: 'policy', credential: BEARER });
    expect(request.arn).toMatchObject({ method: 'GET', path: '/pets/17', stage: 'prod' });
  });

  it('reads a REQUEST event: the Authorization header in any letter case', () => {
    // Act
    const request = openDoor(requestEvent(BEARER, 'DELETE', '/pets/17', { headerName: 'aUtHoRiZaTiOn' }), POLICY);

    // Assess
    expect(request).toMatchObject({ door: 'rest-request', api: 'rest', credential: BEARER });
  });

  it('answers REST events with policies even when simple responses are on', () => {
    // Act
    const request = openDoor(tokenEvent(BEARER, 'GET', '/pets'), SIMPLE);

    // Assess
    expect(request.answer).toBe('policy');
  });
});

describe('front doors: HTTP API payload 2.0', () => {
  it('reads the routeArn, the matched route as a shape, and the Authorization header', () => {
    // Act
    const request = openDoor(httpEvent(BEARER, 'GET', '/pets/17', { routeKey: 'GET /pets/{petId}' }), POLICY);

    // Assess
    expect(request).toMatchObject({ door: 'http-2.0', api: 'http', answer: 'policy', credential: BEARER, matchedRoute: 'GET /pets/{}' });
    expect(request.arn).toMatchObject({ stage: '$default', method: 'GET', path: '/pets/17' });
    expect(request.arn.prefix).toBe('arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/$default/');
  });

  it.each([
    ['$default', '$default'],
    ['ANY /pets/{proxy+}', 'ANY /pets/{+}'],
    ['GET /{proxy+}', 'GET /{+}'],
  ])('reads the route key %s', (routeKey, shape) => {
    // Act
    const request = openDoor(httpEvent(BEARER, 'GET', '/pets/17', { routeKey }), POLICY);

    // Assess
    expect(request.matchedRoute).toBe(shape);
  });

  it('accepts a named stage, whose raw path starts with the stage', () => {
    // Act
    const request = openDoor(httpEvent(BEARER, 'GET', '/pets', { target: { stage: 'v1' } }), POLICY);

    // Assess
    expect(request.arn.stage).toBe('v1');
  });

  it('answers with a simple response only when the route key is an identity source', () => {
    // Act
    const request = openDoor(httpEvent(BEARER, 'GET', '/pets', { identitySource: [BEARER, 'GET /pets'] }), SIMPLE);

    // Assess
    expect(request).toMatchObject({ answer: 'simple', cachedPerPath: false });
  });

  it('notes when simple responses are cached per path ($context.path among the identity sources)', () => {
    // Act
    const request = openDoor(httpEvent(BEARER, 'GET', '/pets', { identitySource: [BEARER, 'GET /pets', '/pets'] }), SIMPLE);

    // Assess
    expect(request.cachedPerPath).toBe(true);
  });

  it('refuses simple responses cached across routes as a deployment fault that says how to fix it', () => {
    // Act
    const open = () => openDoor(httpEvent(BEARER, 'GET', '/pets'), SIMPLE);

    // Assess
    expect(open).toThrow(DeploymentError);
    expect(open).toThrow('simple responses are cached for every route');
    try {
      open();
    } catch (err) {
      expect((err as DeploymentError).advice).toContain('$context.routeKey');
    }
  });

  it('refuses identity sources that leave out the Authorization header (one caller would be served another one’s answer)', () => {
    // Act
    const open = () => openDoor(httpEvent(BEARER, 'GET', '/pets', { identitySource: ['some-api-key'] }), POLICY);

    // Assess
    expect(open).toThrow(DeploymentError);
  });

  it('accepts an event without identity sources (no cache)', () => {
    // Act
    const request = openDoor(httpEvent(BEARER, 'GET', '/pets', { identitySource: null }), POLICY);

    // Assess
    expect(request.credential).toBe(BEARER);
  });

  it.each([
    ['without routeArn', () => http2With('routeArn', undefined)],
    ['with a methodArn instead of a routeArn', () => http2With('methodArn', methodArn('GET', '/pets'), http2With('routeArn', undefined))],
    ['with a wildcard stage in the routeArn', () => http2With('routeArn', methodArn('GET', '/pets', { stage: '*' }))],
    ['with identitySource as a string', () => http2With('identitySource', BEARER)],
    ['with identitySource holding a number', () => http2With('identitySource', [BEARER, 7])],
    ['without rawPath', () => http2With('rawPath', undefined)],
    ['with a rawPath that names another path', () => http2With('rawPath', '/admin')],
    ['with a route key for another path', () => http2With('routeKey', 'GET /admin')],
    ['with a route key for another method', () => http2With('routeKey', 'POST /pets')],
    ['with a route key that is not a route', () => http2With('routeKey', 'pets')],
    ['with a route key of an unknown method', () => http2With('routeKey', 'FETCH /pets')],
    ['with a greedy route key for a shorter path', () => httpEvent(BEARER, 'GET', '/pets', { routeKey: 'GET /pets/{proxy+}' })],
    ['without a route key', () => http2With('routeKey', undefined)],
    ['without requestContext', () => http2With('requestContext', undefined)],
    [
      'with requestContext.http.method differing from the routeArn',
      () => http2With('requestContext', { http: { method: 'POST', path: '/pets' } }),
    ],
    ['of type TOKEN', () => http2With('type', 'TOKEN')],
  ])('refuses a 2.0 event %s as an event fault', (_name, make) => {
    // Act
    const open = () => openDoor(make(), POLICY);

    // Assess
    expect(open).toThrow(EventError);
  });
});

describe('front doors: HTTP API payload 1.0', () => {
  it('reads the methodArn and the Authorization header, and answers with a policy', () => {
    // Act
    const request = openDoor(http1Event(BEARER, 'GET', '/pets'), SIMPLE);

    // Assess
    expect(request).toMatchObject({ door: 'http-1.0', api: 'http', answer: 'policy', credential: BEARER });
    expect(request.arn.stage).toBe('$default');
  });

  it('refuses identity sources that leave out the Authorization header', () => {
    // Act
    const open = () => openDoor({ ...http1Event(BEARER, 'GET', '/pets'), identitySource: 'user1,123' }, POLICY);

    // Assess
    expect(open).toThrow(DeploymentError);
  });

  it.each([
    ['an identitySource list', { identitySource: [BEARER] }],
    ['an httpMethod differing from the methodArn', { httpMethod: 'POST' }],
    ['no methodArn', { methodArn: undefined }],
  ])('refuses a 1.0 event with %s as an event fault', (_name, change) => {
    // Act
    const open = () => openDoor({ ...http1Event(BEARER, 'GET', '/pets'), ...change }, POLICY);

    // Assess
    expect(open).toThrow(EventError);
  });
});

describe('front doors: shapes no door takes', () => {
  it.each([
    ['null', null],
    ['an array', [tokenEvent(BEARER, 'GET', '/pets')]],
    ['a string', 'GET /pets'],
    ['no type', { methodArn: methodArn('GET', '/pets') }],
    ['an unknown type', { type: 'COGNITO_USER_POOLS', methodArn: methodArn('GET', '/pets') }],
    ['an unknown version', { ...httpEvent(BEARER, 'GET', '/pets'), version: '3.0' }],
    ['a version that is a number', { ...httpEvent(BEARER, 'GET', '/pets'), version: 2 }],
  ])('refuses %s as an event fault', (_name, event) => {
    // Act
    const open = () => openDoor(event, POLICY);

    // Assess
    expect(open).toThrow(EventError);
  });

  it('refuses two different Authorization headers as a bad credential, not a fault', () => {
    // Prepare
    const event = requestEvent(BEARER, 'GET', '/pets') as unknown as Record<string, unknown>;
    const headers = { ...(event['headers'] as Record<string, string>), authorization: 'Bearer ddd.eee.fff' };

    // Act
    const open = () => openDoor({ ...event, headers }, POLICY);

    // Assess
    expect(open).toThrow(CredentialError);
  });
});
