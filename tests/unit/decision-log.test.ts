// The lean decision line: the very line Powertools Logger would write (keys, order, values, empties
// left out), at the logger's level; Powertools itself writes it whenever the setup needs it.
import type { Context } from 'aws-lambda';
import fc from 'fast-check';
import { Logger } from '@aws-lambda-powertools/logger';
import { createAuthorizer, type Authorizer } from '../../src/authorizer';
import { createDecisionLog, createInfoLog, type DecisionFields } from '../../src/decision-log';
import { tokenEvent } from '../helpers/events';
import { CLIENT_ID, cognitoClaims, JwksServer, makeKey, POOL_ID, signJwt } from '../helpers/issuer';

const SERVICE = 'cognito-route-authorizer';
const FIELDS: DecisionFields = {
  decision: 'allow',
  reason: 'granted',
  route: 'GET /pets/{petId}',
  resource: 'GET /pets/17',
  principalId: '0f6c5d7e-1c1a-4b0e-9d7e-2b1c3f4e5a6b',
  clientId: 'testclient0000000000000001',
  policyMode: 'full',
  latencyMs: 0.041,
  coldStart: true,
};
const CONTEXT: Partial<Context> = {
  functionName: 'authorizer',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:authorizer',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
};
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1';

/** Lines written to process.stdout (where Powertools' own Console writes) while `act` runs. */
function stdoutOf(act: () => void): string[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

/** Powertools' line and the lean line for the same invocations (context and cold start per call). */
function bothLines(calls: readonly [DecisionFields, Partial<Context> | undefined, boolean][]): [string[], string[]] {
  const reference = new Logger({ serviceName: SERVICE });
  const expected = stdoutOf(() => {
    for (const [fields, context] of calls) {
      if (context !== undefined) reference.addContext(context as Context);
      reference.info('decision', fields);
    }
  });
  const lean: string[] = [];
  const log = createDecisionLog(new Logger({ serviceName: SERVICE }), {
    ownLogger: true,
    serviceName: SERVICE,
    write: (line) => lean.push(line),
  });
  for (const [fields, context, coldStart] of calls) log(fields, context, coldStart);
  return [expected, lean];
}

/** A line with its timestamp checked for shape and taken out (the two lines are written microseconds apart). */
function comparable(line: string): [string, unknown][] {
  const parsed = JSON.parse(line) as Record<string, unknown>;
  expect(parsed['timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  return Object.entries(parsed).filter(([key]) => key !== 'timestamp');
}

describe('decision line', () => {
  const savedEnv = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });

  it('is the line Powertools writes when there is no Lambda context', () => {
    // Act
    const [expected, lean] = bothLines([[FIELDS, undefined, true]]);

    // Assess
    expect(lean).toHaveLength(1);
    expect(lean[0]?.endsWith('\n')).toBe(true);
    expect(comparable(lean[0] as string)).toEqual(comparable(expected[0] as string));
  });

  it('is the line Powertools writes in Lambda, cold start and trace id included, over two invocations', () => {
    // Prepare
    Object.assign(process.env, { AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand', _X_AMZN_TRACE_ID: TRACE });

    // Act
    const [expected, lean] = bothLines([
      [FIELDS, CONTEXT, true],
      [{ ...FIELDS, coldStart: false }, { ...CONTEXT, awsRequestId: 'second' }, false],
    ]);

    // Assess
    expect(lean.map(comparable)).toEqual(expected.map(comparable));
    expect(JSON.parse(lean[0] as string)).toMatchObject({ cold_start: true, xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793' });
    expect(JSON.parse(lean[1] as string)).toMatchObject({ cold_start: false, function_request_id: 'second' });
  });

  it('leaves out null and empty fields as Powertools does', () => {
    // Prepare
    process.env['_X_AMZN_TRACE_ID'] = '1-5759e988-bd862e3fe1be46a994272793';

    // Act
    const [expected, lean] = bothLines([[{ ...FIELDS, route: null, clientId: '', policyMode: undefined }, CONTEXT, false]]);

    // Assess
    expect(comparable(lean[0] as string)).toEqual(comparable(expected[0] as string));
    expect(Object.keys(JSON.parse(lean[0] as string) as object)).not.toContain('route');
  });

  it('is byte for byte the line Powertools writes, escapes and numbers included', () => {
    // Prepare
    process.env['_X_AMZN_TRACE_ID'] = TRACE;
    const odd: DecisionFields = {
      ...FIELDS,
      resource: 'GET /a"b\\c\u0001\u2028é/\ud83d\ude00/\ud800',
      principalId: 'sub "quoted"',
      latencyMs: 1e-7,
      extra: 2 ** 70,
      infinite: Number.POSITIVE_INFINITY,
      flag: false,
    };
    const sameTime = (line: string): string => line.replace(/"timestamp":"[^"]*"/, '"timestamp":"T"');

    // Act
    const [expected, lean] = bothLines([
      [odd, CONTEXT, true],
      [{ ...odd, tenantId: 'not-a-base-key' }, { ...CONTEXT, tenantId: 'tenant-1' }, false],
    ]);

    // Assess
    expect(lean.map(sameTime)).toEqual(expected.map(sameTime));
  });

  it.each([
    ['reserved', { service: 'other' }],
    ['context', { function_name: 'other' }],
  ])('leaves a field named like one of Powertools’ %s keys to Powertools', (_kind, clash: DecisionFields) => {
    // Prepare
    const logger = new Logger({ serviceName: SERVICE });
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    const lean: string[] = [];
    const log = createDecisionLog(logger, { ownLogger: true, serviceName: SERVICE, write: (l) => lean.push(l) });

    // Act
    log({ ...FIELDS, ...clash }, CONTEXT, false);

    // Assess
    expect(lean).toEqual([]);
    expect(info).toHaveBeenCalledWith('decision', { ...FIELDS, ...clash });
  });

  it.each([0, 7, 42, 999, 1000])('stamps the time as Date#toISOString does (%i ms into a second)', (ms) => {
    // Prepare
    jest.useFakeTimers();
    const base = Date.UTC(2026, 0, 31, 23, 59, 59);
    const lean: string[] = [];
    const log = createDecisionLog(new Logger({ serviceName: SERVICE }), { ownLogger: true, serviceName: SERVICE, write: (l) => lean.push(l) });

    // Act
    try {
      jest.setSystemTime(base + 1);
      log(FIELDS, undefined, false);
      jest.setSystemTime(base + ms);
      log(FIELDS, undefined, false);
    } finally {
      jest.useRealTimers();
    }

    // Assess
    expect(lean.map((l) => (JSON.parse(l) as { timestamp: string }).timestamp)).toEqual([
      new Date(base + 1).toISOString(),
      new Date(base + ms).toISOString(),
    ]);
  });

  it('writes the cold-start line byte for byte as Powertools does, lists included', () => {
    // Prepare
    const fields = { pools: ['us-east-1_AbC123', 'eu-west-1_XyZ"9'], clients: 2, tokenUse: 'access', routes: 6, simpleResponses: false, jwksEndpoint: undefined, tracing: true };
    const expected = stdoutOf(() => new Logger({ serviceName: SERVICE }).info('authorizer ready', fields));
    const lean: string[] = [];
    const info = createInfoLog(new Logger({ serviceName: SERVICE }), { ownLogger: true, serviceName: SERVICE, write: (l) => lean.push(l) });
    const sameTime = (line: string): string => line.replace(/"timestamp":"[^"]*"/, '"timestamp":"T"');

    // Act
    info('authorizer ready', fields);

    // Assess
    expect(lean.map(sameTime)).toEqual(expected.map(sameTime));
  });

  it('leaves a line with an object field to Powertools', () => {
    // Prepare
    const logger = new Logger({ serviceName: SERVICE });
    const spy = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    const lean: string[] = [];
    const info = createInfoLog(logger, { ownLogger: true, serviceName: SERVICE, write: (l) => lean.push(l) });

    // Act
    info('authorizer ready', { nested: { a: 1 } });

    // Assess
    expect(lean).toEqual([]);
    expect(spy).toHaveBeenCalledWith('authorizer ready', { nested: { a: 1 } });
  });

  it('reads the trace id as the first Root field of any _X_AMZN_TRACE_ID, as splitting on ; and = does', () => {
    // Prepare: the reading the line had before it stopped splitting (an array a field on every line)
    const bySplit = (header: string): string | undefined => {
      const raw = header.trim();
      if (raw === '') return undefined;
      if (!raw.includes('=')) return raw;
      for (const field of raw.split(';')) {
        const [key, value] = field.split('=');
        if (key === 'Root') return value;
      }
      return undefined;
    };
    const headers = fc.array(fc.constantFrom('Root', 'Parent', '=', ';', '1-5759e988', 'x', ' ', 'Sampled=1'), { maxLength: 8 }).map((parts) => parts.join(''));

    // Act / Assess
    fc.assert(
      fc.property(headers, (header) => {
        process.env['_X_AMZN_TRACE_ID'] = header;
        const lean: string[] = [];
        createDecisionLog(new Logger({ serviceName: SERVICE }), { ownLogger: true, serviceName: SERVICE, write: (l) => lean.push(l) })(FIELDS, undefined, false);
        const expected = bySplit(header);
        expect((JSON.parse(lean[0] as string) as { xray_trace_id?: string }).xray_trace_id).toBe(expected === '' ? undefined : expected);
      }),
      { numRuns: 500 },
    );
  });

  it('is not written when the log level is above INFO', () => {
    // Prepare
    process.env['POWERTOOLS_LOG_LEVEL'] = 'WARN';
    const lean: string[] = [];
    const log = createDecisionLog(new Logger({ serviceName: SERVICE }), { ownLogger: true, serviceName: SERVICE, write: (l) => lean.push(l) });

    // Act
    log(FIELDS, CONTEXT, true);

    // Assess
    expect(lean).toEqual([]);
  });

  it.each([
    ['a logger the authorizer did not make', {}, false],
    ['POWERTOOLS_DEV', { POWERTOOLS_DEV: 'true' }, true],
    ['a debug sampling rate', { POWERTOOLS_LOGGER_SAMPLE_RATE: '0.1' }, true],
    ['a local time zone', { TZ: 'Europe/Paris' }, true],
  ])('leaves the line to Powertools with %s', (_name, env: Record<string, string>, ownLogger) => {
    // Prepare
    Object.assign(process.env, env);
    const lean: string[] = [];
    let logger = undefined as unknown as Logger;
    // A sampled logger announces its DEBUG level on stdout; that line is not the subject.
    stdoutOf(() => (logger = new Logger({ serviceName: SERVICE })));
    const log = createDecisionLog(logger, { ownLogger, serviceName: SERVICE, write: (l) => lean.push(l) });
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);

    // Act
    log(FIELDS, CONTEXT, true);

    // Assess
    expect(lean).toEqual([]);
    expect(info).toHaveBeenCalledWith('decision', FIELDS);
  });

  it('is what an authorizer that made its own logger writes to stdout, once per decision', async () => {
    // Prepare
    const key = makeKey();
    const jwks = await new JwksServer([key]).start();
    const env = { USER_POOL_IDS: POOL_ID, CLIENT_IDS: CLIENT_ID, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: jwks.endpoint };
    let authorizer: Authorizer | undefined;
    stdoutOf(() => (authorizer = createAuthorizer({ env }))); // its cold-start line is not the subject
    await authorizer?.ready;
    const event = tokenEvent(`Bearer ${signJwt(key, cognitoClaims({ groups: ['admins'], sub: 'sub-1' }))}`, 'DELETE', '/pets/17');

    // Act
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await authorizer?.handler(event, CONTEXT);
    } finally {
      spy.mockRestore();
      await jwks.stop();
    }

    // Assess
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'decision',
        service: SERVICE,
        function_request_id: CONTEXT.awsRequestId,
        decision: 'allow',
        route: 'DELETE /pets/{petId}',
        principalId: 'sub-1',
      }),
    ]);
  });
});
