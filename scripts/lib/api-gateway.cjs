// What API Gateway REST does around a Lambda authorizer, for the local API: routing, events, result cache, IAM evaluation.
'use strict';

// CommonJS (not ESM) so the jest suites can require it: see scripts/lib/api-gateway.d.cts for the types.
// Written independently of src/: the local API is a second opinion on the authorizer, not a copy of it.

/** HTTP methods API Gateway REST routes; `ANY` on a resource stands for all of them. */
const HTTP_METHODS = Object.freeze(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);

/** The API the local server pretends to be: every methodArn and proxy event names it. */
const LOCAL_API = Object.freeze({ region: 'us-east-1', account: '123456789012', apiId: 'localapi01', stage: 'local' });

/**
 * The sample API's TOKEN authorizer validation expression (template.yaml): API Gateway answers 401
 * itself, without invoking the authorizer, when the Authorization header does not match it.
 */
const TOKEN_VALIDATION_EXPRESSION = '^([Bb][Ee][Aa][Rr][Ee][Rr] +)?[-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+$';

/** The sample API's CORS settings (template.yaml): SAM answers preflights with a mock OPTIONS method. */
const CORS = Object.freeze({
  allowHeaders: 'Authorization,Content-Type',
  allowMethods: 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT',
  maxAge: '600',
});

/** API Gateway's own answers (gateway responses), with the bodies and error types it sends. */
const GATEWAY_RESPONSES = Object.freeze({
  missingAuthenticationToken: { statusCode: 403, errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
  unauthorized: { statusCode: 401, errorType: 'UnauthorizedException', message: 'Unauthorized' },
  explicitDeny: {
    statusCode: 403,
    errorType: 'AccessDeniedException',
    message: 'User is not authorized to access this resource with an explicit deny',
  },
  implicitDeny: { statusCode: 403, errorType: 'AccessDeniedException', message: 'User is not authorized to access this resource' },
  authorizerFailure: { statusCode: 500, errorType: 'AuthorizerConfigurationException', message: null },
  integrationFailure: { statusCode: 502, errorType: 'InternalServerErrorException', message: 'Internal server error' },
  integrationTimeout: { statusCode: 504, errorType: 'InternalServerErrorException', message: 'Endpoint request timed out' },
  requestTooLarge: { statusCode: 413, errorType: 'RequestEntityTooLargeException', message: 'Request Too Long' },
});

const ROUTE = /^([A-Z]+) (\/\S*)$/;
const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

function splitTemplate(path) {
  return path === '/' ? [] : path.slice(1).split('/');
}

function parseSegment(text) {
  const param = PARAM.exec(text);
  if (param === null) return { kind: 'literal', value: text, rank: 0 };
  return param[2] === '+' ? { kind: 'proxy', name: param[1], rank: 2 } : { kind: 'param', name: param[1], rank: 1 };
}

function shapeOf(segments) {
  return segments.map((s) => (s.kind === 'literal' ? `=${s.value}` : s.kind === 'param' ? '{}' : '{+}')).join('/');
}

function matches(segments, parts) {
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg.kind === 'proxy') return parts.length > i;
    if (i >= parts.length) return false;
    if (seg.kind === 'literal' && seg.value !== parts[i]) return false;
  }
  return parts.length === segments.length;
}

// Literal beats {param} beats {proxy+}, at the first segment where two matching resources differ.
function moreSpecific(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i].rank !== b[i].rank) return a[i].rank < b[i].rank;
  }
  return a.length < b.length;
}

function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The routes of a rules document as API Gateway resources and methods. `resolve(method, path)`
 * answers what API Gateway routes the request to — the most specific resource (the parents of
 * every route exist too, as in API Gateway), then its method or else its ANY — or undefined,
 * which API Gateway answers with 403 Missing Authentication Token. `preflight(path)` says whether
 * SAM's CORS support gives the path's resource a mock OPTIONS method (a resource with methods and
 * no OPTIONS route of its own). Throws on a route that is not `METHOD /path`; the authorizer
 * validates the rest at its cold start.
 */
function createRouter(doc) {
  const routes = doc !== null && typeof doc === 'object' ? doc.routes : undefined;
  if (!Array.isArray(routes)) throw new Error('rules: "routes" must be a list');
  const resources = new Map();
  const resourceFor = (segments) => {
    const key = shapeOf(segments);
    let resource = resources.get(key);
    if (resource === undefined) resources.set(key, (resource = { segments, methods: new Map() }));
    return resource;
  };
  const names = [];
  routes.forEach((rule, i) => {
    const text = rule !== null && typeof rule === 'object' ? rule.route : undefined;
    const m = typeof text === 'string' ? ROUTE.exec(text) : null;
    if (m === null || (m[1] !== 'ANY' && !HTTP_METHODS.includes(m[1]))) {
      throw new Error(`rules: routes[${i}].route ${JSON.stringify(text)} is not "METHOD /path"`);
    }
    const segments = splitTemplate(m[2]).map(parseSegment);
    for (let n = 0; n < segments.length; n++) resourceFor(segments.slice(0, n));
    resourceFor(segments).methods.set(m[1], { route: text, method: m[1], path: m[2], segments });
    names.push(text);
  });

  const resourceOf = (path) => {
    if (typeof path !== 'string' || !path.startsWith('/')) return undefined;
    const parts = path === '/' ? [] : path.slice(1).split('/');
    if (parts.some((p) => p === '')) return undefined;
    let best;
    for (const resource of resources.values()) {
      if (matches(resource.segments, parts) && (best === undefined || moreSpecific(resource.segments, best.segments))) {
        best = resource;
      }
    }
    return best === undefined ? undefined : { best, parts };
  };

  return {
    routes: names,
    preflight(path) {
      const found = resourceOf(path);
      return found !== undefined && found.best.methods.size > 0 && !found.best.methods.has('OPTIONS');
    },
    resolve(method, path) {
      const found = resourceOf(path);
      if (found === undefined) return undefined;
      const { best, parts } = found;
      const hit = best.methods.get(method) ?? best.methods.get('ANY');
      if (hit === undefined || !HTTP_METHODS.includes(method)) return undefined;
      const pathParameters = {};
      hit.segments.forEach((seg, i) => {
        if (seg.kind === 'param') pathParameters[seg.name] = decode(parts[i]);
        if (seg.kind === 'proxy') pathParameters[seg.name] = decode(parts.slice(i).join('/'));
      });
      return {
        route: hit.route,
        resource: hit.path,
        pathParameters: Object.keys(pathParameters).length === 0 ? null : pathParameters,
      };
    },
  };
}

/** The methodArn API Gateway sends for a request: `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD><path>`. */
function methodArn(method, path, api = LOCAL_API) {
  return `arn:aws:execute-api:${api.region}:${api.account}:${api.apiId}/${api.stage}/${method}${path}`;
}

/**
 * IAM wildcard matching: `*` is any run of characters (including `/` and none), `?` exactly one,
 * everything else literal. Linear backtracking over the last `*`, so long ARNs stay cheap.
 */
function iamMatch(pattern, text) {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || (pattern[p] !== '*' && pattern[p] === text[t]))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

const asList = (value) => (Array.isArray(value) ? value : [value]);

/**
 * What API Gateway makes of a (possibly cached) policy for one request: `allow` when a statement
 * allows `execute-api:Invoke` on the methodArn and none denies it, `explicit-deny` when one denies
 * it (Deny wins), else `implicit-deny`. Call checkAuthorizerResult first: this trusts the shape.
 */
function evaluatePolicy(policyDocument, arn) {
  let allowed = false;
  for (const statement of policyDocument.Statement) {
    const acts = asList(statement.Action).some((a) => iamMatch(a.toLowerCase(), 'execute-api:invoke'));
    if (!acts || !asList(statement.Resource).some((r) => iamMatch(r, arn))) continue;
    if (statement.Effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringOrStrings = (v) =>
  typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string'));

/**
 * Why API Gateway would reject an authorizer's answer (it then answers 500), or undefined when the
 * answer is well formed: a string principalId, a policy with statements of Effect Allow/Deny,
 * string Action and Resource, and a flat context of string, number or boolean values.
 */
function checkAuthorizerResult(result) {
  if (!isRecord(result)) return 'the answer is not an object';
  if (typeof result.principalId !== 'string') return 'principalId is missing or not a string';
  const policy = result.policyDocument;
  if (!isRecord(policy) || !Array.isArray(policy.Statement)) return 'policyDocument.Statement is missing or not a list';
  if (policy.Statement.length === 0) return 'policyDocument.Statement is empty';
  for (const [i, s] of policy.Statement.entries()) {
    if (!isRecord(s)) return `Statement[${i}] is not an object`;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return `Statement[${i}].Effect is neither Allow nor Deny`;
    if (!isStringOrStrings(s.Action)) return `Statement[${i}].Action is not a string or a list of strings`;
    if (!isStringOrStrings(s.Resource)) return `Statement[${i}].Resource is not a string or a list of strings`;
  }
  if (result.context !== undefined && result.context !== null) {
    if (!isRecord(result.context)) return 'context is not an object';
    for (const [k, v] of Object.entries(result.context)) {
      if (!['string', 'number', 'boolean'].includes(typeof v)) return `context.${k} is not a string, number or boolean`;
    }
  }
  return undefined;
}

/**
 * API Gateway's authorizer result cache: answers kept per cache key (the token for TOKEN
 * authorizers, the identity-source values for REQUEST) for `ttlSeconds`; 0 turns it off. Bounded:
 * the oldest entry goes first.
 */
function createResultCache(ttlSeconds, maxEntries = 10000) {
  const entries = new Map();
  return {
    get size() {
      return entries.size;
    },
    get(key, now = Date.now()) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expires <= now) {
        entries.delete(key);
        return undefined;
      }
      return entry.result;
    },
    set(key, result, now = Date.now()) {
      if (ttlSeconds <= 0) return;
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value);
      entries.set(key, { result, expires: now + ttlSeconds * 1000 });
    },
  };
}

/**
 * An incoming HTTP request in the shapes API Gateway hands on: `rawHeaders` as node gives them
 * (name, value, name, value…), the raw path and query as sent.
 */
function describeRequest({ method, path, query = '', rawHeaders = [], body = '', sourceIp = '127.0.0.1', requestId, now = Date.now() }) {
  const headers = {};
  const multiValueHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const existing = Object.keys(multiValueHeaders).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    (multiValueHeaders[existing] ??= []).push(rawHeaders[i + 1]);
    headers[existing] = rawHeaders[i + 1];
  }
  const single = {};
  const multi = {};
  for (const [k, v] of new URLSearchParams(query)) {
    (multi[k] ??= []).push(v);
    single[k] = v;
  }
  const hasQuery = Object.keys(single).length > 0;
  return {
    method,
    path,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? single : null,
    multiValueQueryStringParameters: hasQuery ? multi : null,
    body: body === '' ? null : body,
    sourceIp,
    requestId,
    now,
  };
}

/** The value of one header of a described request, any letter case; the last one when repeated. */
function headerValue(request, name) {
  const key = Object.keys(request.headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : request.headers[key];
}

function requestTime(now) {
  const d = new Date(now);
  const month = d.toLocaleString('en', { month: 'short', timeZone: 'UTC' });
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function requestContext(request, routed, api) {
  const userAgent = headerValue(request, 'user-agent') ?? null;
  return {
    accountId: api.account,
    apiId: api.apiId,
    domainName: headerValue(request, 'host') ?? `${api.apiId}.execute-api.${api.region}.amazonaws.com`,
    domainPrefix: api.apiId,
    extendedRequestId: request.requestId,
    httpMethod: request.method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp,
      user: null,
      userAgent,
      userArn: null,
    },
    path: `/${api.stage}${request.path}`,
    protocol: 'HTTP/1.1',
    requestId: request.requestId,
    requestTime: requestTime(request.now),
    requestTimeEpoch: request.now,
    resourceId: 'local00',
    resourcePath: routed.resource,
    stage: api.stage,
  };
}

/** The TOKEN authorizer event: the identity source's value and the methodArn, nothing else. */
function tokenAuthorizerEvent(authorizationToken, request, api = LOCAL_API) {
  return { type: 'TOKEN', authorizationToken, methodArn: methodArn(request.method, request.path, api) };
}

/** The request as both the REQUEST authorizer event and the proxy event carry it. */
function requestFields(request, routed) {
  return {
    resource: routed.resource,
    path: request.path,
    httpMethod: request.method,
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    queryStringParameters: request.queryStringParameters,
    multiValueQueryStringParameters: request.multiValueQueryStringParameters,
    pathParameters: routed.pathParameters,
    stageVariables: null,
  };
}

/** The REQUEST authorizer event: the request's headers, query, path parameters and context. */
function requestAuthorizerEvent(request, routed, api = LOCAL_API) {
  return {
    type: 'REQUEST',
    methodArn: methodArn(request.method, request.path, api),
    ...requestFields(request, routed),
    requestContext: requestContext(request, routed, api),
  };
}

/**
 * The Lambda proxy integration event (REST, payload 1.0), with `requestContext.authorizer` holding
 * the authorizer's context (values as strings, as API Gateway passes them) and its principalId.
 */
function proxyEvent(request, routed, authorizer, api = LOCAL_API) {
  const context = {};
  for (const [k, v] of Object.entries(authorizer.context ?? {})) context[k] = String(v);
  return {
    ...requestFields(request, routed),
    requestContext: {
      ...requestContext(request, routed, api),
      authorizer: { ...context, principalId: authorizer.principalId, integrationLatency: authorizer.integrationLatency ?? 0 },
    },
    body: request.body,
    isBase64Encoded: false,
  };
}

/**
 * A Lambda proxy result as the HTTP response API Gateway writes: status, headers (single and
 * multi-value merged), body (base64-decoded when flagged). Throws when API Gateway would answer
 * 502 (Malformed Lambda proxy response).
 */
function proxyResponse(result) {
  if (!isRecord(result)) throw new Error('the proxy result is not an object');
  const status = result.statusCode ?? 200;
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error('statusCode is not an HTTP status');
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') throw new Error('body is not a string');
  const headers = {};
  if (result.headers !== undefined && result.headers !== null) {
    if (!isRecord(result.headers)) throw new Error('headers is not an object');
    for (const [k, v] of Object.entries(result.headers)) headers[k] = [String(v)];
  }
  if (result.multiValueHeaders !== undefined && result.multiValueHeaders !== null) {
    if (!isRecord(result.multiValueHeaders)) throw new Error('multiValueHeaders is not an object');
    for (const [k, v] of Object.entries(result.multiValueHeaders)) {
      if (!Array.isArray(v)) throw new Error(`multiValueHeaders.${k} is not a list`);
      headers[k] = v.map(String);
    }
  }
  const text = result.body ?? '';
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { statusCode: status, headers, body };
}

module.exports = {
  HTTP_METHODS,
  LOCAL_API,
  TOKEN_VALIDATION_EXPRESSION,
  CORS,
  GATEWAY_RESPONSES,
  createRouter,
  methodArn,
  iamMatch,
  evaluatePolicy,
  checkAuthorizerResult,
  createResultCache,
  describeRequest,
  headerValue,
  tokenAuthorizerEvent,
  requestAuthorizerEvent,
  proxyEvent,
  proxyResponse,
};
