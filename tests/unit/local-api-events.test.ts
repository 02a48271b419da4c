// The events the local API builds and the answers it reads (scripts/lib/local-api/rest.ts and http.ts): REST TOKEN,
// REQUEST and proxy 1.0 events; HTTP API authorizer 2.0 and 1.0 events and proxy 2.0 events; and template.yaml's settings.
import { authorizerEventV1, authorizerEventV2, proxyAnswerV2, proxyEventV2, routeArn } from '../../scripts/lib/local-api/http';
import { checkPolicyAnswer } from '../../scripts/lib/local-api/model';
import { describeRequest, type IncomingRequest } from '../../scripts/lib/local-api/request';
import {
  methodArn,
  proxyAnswerV1,
  proxyEventV1,
  requestAuthorizerEvent,
  REST_CORS,
  TOKEN_VALIDATION_EXPRESSION,
  tokenAuthorizerEvent,
} from '../../scripts/lib/local-api/rest';
import { authorizationHeader, parseCredential } from '../../src/credentials';
import { parseResourceArn } from '../../src/policy/arn';
import { setup, type TestSetup } from '../helpers/authorizer';
import { tokenEvent } from '../helpers/events';
import { mintToken } from '../helpers/issuer';
import { createRouter, type Routed } from '../helpers/oracle';
import { loadTemplate } from '../helpers/template';

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);
const request = (method: string, url: string, rawHeaders: string[] = []): IncomingRequest =>
  describeRequest({ method, url, rawHeaders, body: '', requestId: 'req-1', now: NOW });
const rest = createRouter(['GET /pets/{petId}', 'ANY /files/{proxy+}']);
const http = createRouter(['GET /pets/{petId}', '$default'], { kind: 'http' });
const routedBy = (router: typeof rest, method: string, path: string): Routed => router.resolve(method, path) as Routed;
/** The bearer token the authorizer finds in an event's headers. */
const tokenOf = (event: Record<string, unknown>): string => parseCredential(authorizationHeader(event['headers'], event['multiValueHeaders']));
const allowed = { principalId: 'sub-1', context: { groups: '["admins"]', n: 2, ok: true }, integrationLatency: 4 };

describe('local API events: REST', () => {
  it('builds a TOKEN event of exactly the three fields API Gateway sends', () => {
    // Act
    const event = tokenAuthorizerEvent('Bearer x.y.z', request('GET', '/pets/17'));

    // Assess
    expect(event).toEqual({ type: 'TOKEN', authorizationToken: 'Bearer x.y.z', methodArn: 'arn:aws:execute-api:us-east-1:123456789012:localapi01/local/GET/pets/17' });
  });

  it('builds a methodArn the authorizer parses into the local API, stage, method and path', () => {
    // Act
    const parsed = parseResourceArn(methodArn('DELETE', '/pets/17'));

    // Assess
    expect([parsed.apiId, parsed.stage, parsed.method, parsed.path]).toEqual(['localapi01', 'local', 'DELETE', '/pets/17']);
  });

  it('builds a REQUEST event whose Authorization header the authorizer finds, with query and decoded path parameters', () => {
    // Prepare
    const req = request('GET', '/pets/a%20b?limit=2&limit=3', ['Host', 'localhost', 'authorization', 'Bearer a.b.c']);

    // Act
    const event = requestAuthorizerEvent(req, routedBy(rest, 'GET', '/pets/a%20b'));

    // Assess
    expect([tokenOf(event), event['resource'], event['pathParameters'], event['queryStringParameters'], event['multiValueQueryStringParameters']]).toEqual([
      'a.b.c',
      '/pets/{petId}',
      { petId: 'a b' },
      { limit: '3' },
      { limit: ['2', '3'] },
    ]);
  });

  it('hands the backend the authorizer context as strings, with the principalId and the integration latency', () => {
    // Act
    const event = proxyEventV1(request('GET', '/pets/17'), routedBy(rest, 'GET', '/pets/17'), allowed) as { requestContext: { authorizer: unknown } };

    // Assess
    expect(event.requestContext.authorizer).toEqual({ groups: '["admins"]', n: '2', ok: 'true', principalId: 'sub-1', integrationLatency: 4 });
  });

  it('keeps every value of a repeated header in multiValueHeaders and the last in headers, and a greedy parameter joined', () => {
    // Act
    const event = proxyEventV1(request('GET', '/files/a/b%2Fc', ['Accept', 'a', 'accept', 'b']), routedBy(rest, 'GET', '/files/a/b%2Fc'), allowed);

    // Assess
    expect([event['headers'], event['multiValueHeaders'], event['pathParameters'], event['queryStringParameters'], event['body']]).toEqual([
      { Accept: 'b' },
      { Accept: ['a', 'b'] },
      { proxy: 'a/b/c' },
      null,
      null,
    ]);
  });

  it('names the resource, the stage path and the request time in the proxy requestContext', () => {
    // Act
    const event = proxyEventV1(request('GET', '/pets/17'), routedBy(rest, 'GET', '/pets/17'), allowed);

    // Assess
    expect(event['requestContext']).toMatchObject({ resourcePath: '/pets/{petId}', path: '/local/pets/17', stage: 'local', apiId: 'localapi01', requestTime: '02/Jan/2025:03:04:05 +0000' });
  });

  it('writes a proxy result with multi-value headers merged and a base64 body decoded', () => {
    // Act
    const answer = proxyAnswerV1({ statusCode: 201, headers: { a: '1' }, multiValueHeaders: { b: ['2', '3'] }, body: Buffer.from('hé').toString('base64'), isBase64Encoded: true });

    // Assess
    expect([answer.statusCode, answer.headers, answer.body.toString('utf8')]).toEqual([201, { a: ['1'], b: ['2', '3'] }, 'hé']);
  });

  it('refuses a malformed proxy result, which API Gateway answers with 502', () => {
    // Act
    const errors = [null, { statusCode: '200' }, { statusCode: 200, body: { a: 1 } }].map((r) => {
      try {
        proxyAnswerV1(r);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    });

    // Assess
    expect(errors).toEqual(['the proxy result is not an object', 'statusCode is not an HTTP status', 'body is not a string']);
  });
});

describe('local API events: HTTP API', () => {
  const req = request('GET', '/pets/a%20b?limit=2&limit=3&q=x', ['Host', 'localhost', 'Authorization', 'Bearer a.b.c', 'X-Two', '1', 'x-two', '2', 'Cookie', 'c1=1; c2=2', 'User-Agent', 'curl/8']);
  const routed = routedBy(http, 'GET', '/pets/a%20b');

  it('builds a payload 2.0 authorizer event as an HTTP API does', () => {
    // Act
    const event = authorizerEventV2(req, routed, ['Bearer a.b.c']);

    // Assess
    expect(event).toEqual({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:123456789012:localapi01/$default/GET/pets/a%20b',
      identitySource: ['Bearer a.b.c'],
      routeKey: 'GET /pets/{petId}',
      rawPath: '/pets/a%20b',
      rawQueryString: 'limit=2&limit=3&q=x',
      cookies: ['c1=1', 'c2=2'],
      headers: { host: 'localhost', authorization: 'Bearer a.b.c', 'x-two': '1,2', 'user-agent': 'curl/8' },
      queryStringParameters: { limit: '2,3', q: 'x' },
      requestContext: {
        accountId: '123456789012',
        apiId: 'localapi01',
        domainName: 'localhost',
        domainPrefix: 'localapi01',
        http: { method: 'GET', path: '/pets/a%20b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8' },
        requestId: 'req-1',
        routeKey: 'GET /pets/{petId}',
        stage: '$default',
        time: '02/Jan/2025:03:04:05 +0000',
        timeEpoch: NOW,
      },
      pathParameters: { petId: 'a b' },
    });
  });

  it('names the $default route in routeKey and leaves out path parameters a request has none of', () => {
    // Act
    const event = authorizerEventV2(request('POST', '/anything/else'), routedBy(http, 'POST', '/anything/else'), ['Bearer a.b.c']);

    // Assess
    expect([event['routeKey'], event['routeArn'], 'pathParameters' in event, 'queryStringParameters' in event]).toEqual([
      '$default',
      'arn:aws:execute-api:us-east-1:123456789012:localapi01/$default/POST/anything/else',
      false,
      false,
    ]);
  });

  it('builds a payload 1.0 authorizer event: REST REQUEST fields with version, identitySource and the route ARN as methodArn', () => {
    // Act
    const event = authorizerEventV1(req, routed, ['Bearer a.b.c', 'GET /pets/{petId}']);

    // Assess
    expect(event).toMatchObject({
      version: '1.0',
      type: 'REQUEST',
      methodArn: routeArn('GET', '/pets/a%20b'),
      identitySource: 'Bearer a.b.c,GET /pets/{petId}',
      resource: '/pets/{petId}',
      path: '/pets/a%20b',
      httpMethod: 'GET',
      pathParameters: { petId: 'a b' },
      queryStringParameters: { limit: '3', q: 'x' },
      requestContext: { routeKey: 'GET /pets/{petId}', stage: '$default' },
    });
    expect(tokenOf(event)).toBe('a.b.c');
  });

  it('builds a payload 2.0 proxy event with the authorizer context under requestContext.authorizer.lambda', () => {
    // Act
    const event = proxyEventV2(request('POST', '/pets/1', ['content-type', 'application/json']), routed, allowed);

    // Assess
    expect([event['version'], event['routeKey'], (event['requestContext'] as { authorizer: unknown }).authorizer, event['isBase64Encoded']]).toEqual([
      '2.0',
      'GET /pets/{petId}',
      { lambda: { groups: '["admins"]', n: 2, ok: true } },
      false,
    ]);
  });

  it('reads a payload 2.0 result with statusCode, headers and cookies, and a bare JSON value as a 200', () => {
    // Act
    const answers = [proxyAnswerV2({ statusCode: 201, headers: { 'Content-Type': 'text/plain' }, cookies: ['a=1'], body: 'made' }), proxyAnswerV2({ pets: [] })];

    // Assess
    expect(answers.map((a) => [a.statusCode, a.headers, a.body.toString()])).toEqual([
      [201, { 'content-type': ['text/plain'], 'set-cookie': ['a=1'] }, 'made'],
      [200, { 'content-type': ['application/json'] }, '{"pets":[]}'],
    ]);
  });
});

describe('local API and the real authorizer', () => {
  let t: TestSetup;
  beforeAll(async () => {
    t = await setup();
  });
  afterAll(() => t.stop());

  it('accepts the answer the real authorizer gives', async () => {
    // Prepare
    const { handler } = t.make();

    // Act
    const answer = await handler(tokenEvent(`Bearer ${mintToken(t.key, { groups: ['readers'] })}`, 'GET', '/pets'));

    // Assess
    expect(checkPolicyAnswer(answer)).toBeUndefined();
  });
});

describe('local API and template.yaml', () => {
  const api = loadTemplate().Resources['PetsApi']?.Properties as {
    Auth: { Authorizers: { TOKEN: { Identity: { ValidationExpression: string } } } };
    Cors: { AllowHeaders: string; AllowMethods: string; MaxAge: string };
  };
  const unquote = (text: string) => text.replace(/^'|'$/g, '');

  it('refuses credentials by the TOKEN authorizer’s validation expression from the template', () => {
    // Act
    const used = TOKEN_VALIDATION_EXPRESSION;

    // Assess
    expect(used).toBe(api.Auth.Authorizers.TOKEN.Identity.ValidationExpression);
  });

  it('answers preflights with the template’s CORS settings', () => {
    // Act
    const used = { ...REST_CORS };

    // Assess
    expect(used).toEqual({ allowHeaders: unquote(api.Cors.AllowHeaders), allowMethods: unquote(api.Cors.AllowMethods), maxAge: unquote(api.Cors.MaxAge) });
  });
});
