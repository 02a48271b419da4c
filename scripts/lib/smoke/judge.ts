// What an answer must look like, per API kind: the status, the gateway's headers, the backend's marks and GET /me's echo.
import type { Expectation, MeFacts } from './checks';
import type { ApiKind } from './target';

/** An HTTP answer as the smoke saw it; header names lower-case. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/** Something worth saying that is not a pass or a fail (HTTP APIs' undocumented behaviour, say). */
export interface Observation {
  /** One note per key per API. */
  readonly key: string;
  readonly text: string;
}

export interface Verdict {
  /** Empty when the answer is the expected one. */
  readonly problems: readonly string[];
  readonly observations: readonly Observation[];
}

export interface JudgeContext {
  readonly api: ApiKind;
  /** The Access-Control-Allow-Origin every CORS answer must carry: `*` or the configured origin. */
  readonly corsOrigin: string;
}

/** REST's answer when no resource or method matches (before any authorizer runs). */
export const REST_NO_ROUTE_MESSAGE = 'Missing Authentication Token';

/** The expected answer in words: `403 (denied)`, `200 from the backend`. */
export function describeExpectation(expect: Expectation, api: ApiKind): string {
  switch (expect.kind) {
    case 'backend':
      return `${expect.status} from the backend`;
    case 'denied':
      return '403 (denied)';
    case 'unauthorized':
      return '401';
    case 'no-route':
      return api === 'rest' ? `403 (${REST_NO_ROUTE_MESSAGE})` : '404 (no route)';
    case 'preflight':
      return `2xx preflight allowing ${expect.method}`;
  }
}

function json(answer: Answer): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return undefined;
  }
}

/** `{"message": …}`'s message, when the body is that. */
export function messageOf(answer: Answer): string | undefined {
  const body = json(answer);
  const message = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['message'] : undefined;
  return typeof message === 'string' ? message : undefined;
}

/** Whether a comma-separated header value lists `item` (case-insensitive) or `*`. */
export function listsItem(value: string | undefined, item: string): boolean {
  if (value === undefined) return false;
  const items = value.split(',').map((v) => v.trim().toLowerCase());
  return items.includes('*') || items.includes(item.toLowerCase());
}

function originProblem(answer: Answer, ctx: JudgeContext): string[] {
  const origin = answer.headers['access-control-allow-origin'];
  return origin === ctx.corsOrigin ? [] : [`Access-Control-Allow-Origin ${origin === undefined ? 'missing' : `"${origin}"`}, expected "${ctx.corsOrigin}"`];
}

/** The REST sample's gateway responses (template.yaml): CORS headers, and a `{"message": …}` body. */
function restGatewayProblems(answer: Answer, ctx: JudgeContext): string[] {
  const problems = originProblem(answer, ctx);
  if (!listsItem(answer.headers['access-control-allow-headers'], 'authorization')) problems.push('Access-Control-Allow-Headers does not list Authorization');
  if (messageOf(answer) === undefined) problems.push('the body is not {"message": …}');
  return problems;
}

/**
 * HTTP APIs have no gateway responses to configure, and AWS does not document whether an
 * authorizer's 401/403 carries the CorsConfiguration's headers: noted, not judged.
 */
function httpRefusalObservation(answer: Answer): Observation {
  const origin = answer.headers['access-control-allow-origin'];
  const carries = origin === undefined ? 'carry no Access-Control-Allow-Origin: a browser sees a CORS error, not the status' : `carry Access-Control-Allow-Origin "${origin}"`;
  return { key: `cors-${answer.status}`, text: `HTTP API ${answer.status} answers ${carries} (AWS documents CORS headers on integration answers only)` };
}

function judgeUnauthorized(answer: Answer, ctx: JudgeContext): Verdict {
  if (ctx.api === 'http') return { problems: [], observations: [httpRefusalObservation(answer)] };
  const problems = restGatewayProblems(answer, ctx);
  if ((answer.headers['www-authenticate'] ?? '').trim().toLowerCase() !== 'bearer') problems.push(`WWW-Authenticate ${answer.headers['www-authenticate'] === undefined ? 'missing' : `"${answer.headers['www-authenticate']}"`}, expected "Bearer"`);
  return { problems, observations: [] };
}

function judgeDenied(answer: Answer, ctx: JudgeContext): Verdict {
  if (ctx.api === 'http') return { problems: [], observations: [httpRefusalObservation(answer)] };
  const problems = restGatewayProblems(answer, ctx);
  if (messageOf(answer) === REST_NO_ROUTE_MESSAGE) problems.push(`"${REST_NO_ROUTE_MESSAGE}": the API has no such route (deployed without it?)`);
  return { problems, observations: [] };
}

function judgeNoRoute(answer: Answer, ctx: JudgeContext): Verdict {
  if (ctx.api === 'http') return { problems: [], observations: [] };
  const problems = restGatewayProblems(answer, ctx);
  const message = messageOf(answer);
  if (message !== REST_NO_ROUTE_MESSAGE) problems.push(`message ${JSON.stringify(message)}, expected "${REST_NO_ROUTE_MESSAGE}"`);
  return { problems, observations: [] };
}

function meProblems(answer: Answer, me: MeFacts): string[] {
  const body = json(answer);
  if (typeof body !== 'object' || body === null) return ['GET /me answered no JSON object'];
  const got = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of ['sub', 'username', 'clientId', 'tokenUse'] as const) {
    if (got[key] !== me[key]) problems.push(`/me ${key} ${JSON.stringify(got[key])}, expected ${JSON.stringify(me[key])}`);
  }
  const groups = Array.isArray(got['groups']) ? [...(got['groups'] as unknown[])].map(String).sort() : undefined;
  if (JSON.stringify(groups) !== JSON.stringify([...me.groups].sort())) problems.push(`/me groups ${JSON.stringify(got['groups'])}, expected ${JSON.stringify(me.groups)}`);
  return problems;
}

function judgeBackend(answer: Answer, expect: Extract<Expectation, { kind: 'backend' }>, ctx: JudgeContext): Verdict {
  const problems = originProblem(answer, ctx);
  // The sample backend marks every answer no-store; API Gateway's own answers are not so marked.
  if (!(answer.headers['cache-control'] ?? '').includes('no-store')) problems.push('not the sample backend\'s answer (no "Cache-Control: no-store")');
  if (expect.mentions !== undefined && !answer.text.includes(expect.mentions)) problems.push(`the body does not mention ${expect.mentions}: ${bodyExcerpt(answer.text)}`);
  if (expect.me !== undefined) problems.push(...meProblems(answer, expect.me));
  return { problems, observations: [] };
}

function judgePreflight(answer: Answer, method: string, ctx: JudgeContext): Verdict {
  const problems = originProblem(answer, ctx);
  if (!listsItem(answer.headers['access-control-allow-methods'], method)) problems.push(`Access-Control-Allow-Methods does not list ${method}`);
  if (!listsItem(answer.headers['access-control-allow-headers'], 'authorization')) problems.push('Access-Control-Allow-Headers does not list Authorization');
  return { problems, observations: [] };
}

/** The status `expect` needs on `api`; undefined for any 2xx. */
export function expectedStatus(expect: Expectation, api: ApiKind): number | undefined {
  switch (expect.kind) {
    case 'backend':
      return expect.status;
    case 'denied':
      return 403;
    case 'unauthorized':
      return 401;
    case 'no-route':
      return api === 'rest' ? 403 : 404;
    case 'preflight':
      return undefined;
  }
}

/** A short view of a body for a failure line: one line, 120 characters at most. */
export function bodyExcerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/** Whether `answer` is what `expect` promises on this API: the problems (none = pass) and anything worth a note. The status first; the rest only on the right status. */
export function judge(expect: Expectation, answer: Answer, ctx: JudgeContext): Verdict {
  const status = expectedStatus(expect, ctx.api);
  const statusOk = status === undefined ? answer.status >= 200 && answer.status <= 299 : answer.status === status;
  if (!statusOk) {
    const body = bodyExcerpt(answer.text);
    return { problems: [`expected ${describeExpectation(expect, ctx.api)}, got ${answer.status}${body === '' ? '' : ` ${body}`}`], observations: [] };
  }
  switch (expect.kind) {
    case 'backend':
      return judgeBackend(answer, expect, ctx);
    case 'denied':
      return judgeDenied(answer, ctx);
    case 'unauthorized':
      return judgeUnauthorized(answer, ctx);
    case 'no-route':
      return judgeNoRoute(answer, ctx);
    case 'preflight':
      return judgePreflight(answer, expect.method, ctx);
  }
}
