// Tracing: off by default outside Lambda (Powertools Tracer never even loaded); on, it is harmless
// without a segment, and with one it records handler, verify and decide with decision annotations.
import AWSXRay from 'aws-xray-sdk-core';
import type { Authorizer } from '../../src/authorizer';
import type * as AuthorizerModule from '../../src/authorizer';
import type * as TracerModule from '@aws-lambda-powertools/tracer';
import { capturingLogger, setup, type TestSetup } from '../helpers/authorizer';
import { tokenEvent } from '../helpers/events';
import { CLIENT_ID, cognitoClaims, POOL_ID, signJwt } from '../helpers/issuer';
import { outcomeOf } from '../helpers/outcome';

const ADMIN = { groups: ['admins'], sub: 'sub-admin' } as const;
// Kept out of other tests' way: no global patching of http/https by X-Ray in this worker.
const LAMBDA_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: 'authorizer',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  POWERTOOLS_TRACE_ENABLED: 'true',
  POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
};

interface XSegment {
  name: string;
  subsegments?: XSegment[];
  annotations?: Record<string, unknown>;
  in_progress?: boolean;
  fault?: boolean;
}

/** Every subsegment under `segment`, depth first. */
function tree(segment: XSegment): XSegment[] {
  return (segment.subsegments ?? []).flatMap((s) => [s, ...tree(s)]);
}

describe('tracing', () => {
  let t: TestSetup;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    t = await setup();
  });
  afterAll(() => t.stop());
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });

  describe('disabled', () => {
    /** Builds an authorizer in a fresh module registry whose Tracer module counts its loads. */
    function isolated(env: Record<string, string>): { authorizer: Authorizer; loads: () => number } {
      let loads = 0;
      let authorizer: Authorizer | undefined;
      jest.isolateModules(() => {
        jest.doMock('@aws-lambda-powertools/tracer', () => {
          loads++;
          return jest.requireActual<typeof TracerModule>('@aws-lambda-powertools/tracer');
        });
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded inside the isolated registry on purpose
        const { createAuthorizer } = require('../../src/authorizer') as typeof AuthorizerModule;
        authorizer = createAuthorizer({
          env: { USER_POOL_IDS: POOL_ID, CLIENT_IDS: CLIENT_ID, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: t.jwks.endpoint, ...env },
          logger: capturingLogger([], []),
        });
      });
      return { authorizer: authorizer as Authorizer, loads: () => loads };
    }

    it.each([
      ['outside Lambda (the default here)', {}],
      ['in Lambda with POWERTOOLS_TRACE_ENABLED=false', { AWS_LAMBDA_FUNCTION_NAME: 'authorizer', POWERTOOLS_TRACE_ENABLED: 'false' }],
      ['under sam local', { AWS_LAMBDA_FUNCTION_NAME: 'authorizer', AWS_SAM_LOCAL: 'true' }],
    ])('never loads Powertools Tracer %s, and the handler works', async (_name, env) => {
      // Prepare
      const { authorizer, loads } = isolated(env);

      // Act
      const outcome = await outcomeOf(authorizer.handler, tokenEvent(`Bearer ${signJwt(t.key, cognitoClaims(ADMIN))}`, 'GET', '/pets'));

      // Assess
      expect(outcome.kind).toBe('allow');
      expect(loads()).toBe(0);
    });

    it('says so in the cold-start line', () => {
      // Act
      t.logs.length = 0;
      t.make();

      // Assess
      expect(t.logs.find((l) => l['message'] === 'authorizer ready')).toMatchObject({ tracing: false });
    });
  });

  describe('enabled without a segment (context missing)', () => {
    it.each(['IGNORE_ERROR', 'LOG_ERROR'])('stays harmless with AWS_XRAY_CONTEXT_MISSING=%s for every outcome', async (strategy) => {
      // Prepare
      Object.assign(process.env, LAMBDA_ENV, { AWS_XRAY_CONTEXT_MISSING: strategy });
      // Quiet: Powertools warns through console, X-Ray through its own logger (LOG_ERROR logs each miss).
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const xrayLogged: unknown[] = [];
      AWSXRay.setLogger({ error: (m) => xrayLogged.push(m), warn: () => undefined, info: () => undefined, debug: () => undefined });
      // X-Ray reads the variable once, when it loads (here: at this file's import): apply it as it would.
      AWSXRay.setContextMissingStrategy(strategy as 'IGNORE_ERROR' | 'LOG_ERROR');
      const authorizer = t.make(LAMBDA_ENV);
      const token = (spec = {}) => `Bearer ${signJwt(t.key, cognitoClaims({ ...ADMIN, ...spec }))}`;

      // Act
      const kinds = [
        (await outcomeOf(authorizer.handler, tokenEvent(token(), 'GET', '/pets'))).kind,
        (await outcomeOf(authorizer.handler, tokenEvent(token({ groups: [] }), 'GET', '/pets'))).kind,
        (await outcomeOf(authorizer.handler, tokenEvent(token({ ttl: -5 }), 'GET', '/pets'))).kind,
        (await outcomeOf(authorizer.handler, { ...tokenEvent(token(), 'GET', '/pets'), methodArn: 'x' })).kind,
      ];
      warn.mockRestore();

      // Assess
      expect(authorizer.config).toBeDefined();
      expect(t.logs.filter((l) => l['message'] === 'authorizer ready').pop()).toMatchObject({ tracing: true });
      expect(kinds).toEqual(['allow', 'deny', 'unauthorized', 'fault']);
      expect(xrayLogged.length > 0).toBe(strategy === 'LOG_ERROR');
    });
  });

  describe('enabled with a segment', () => {
    /** Runs one invocation inside an X-Ray context whose current segment is a fresh root. */
    async function traced(authorizer: Authorizer, event: unknown): Promise<XSegment> {
      // A real X-Ray segment: its JSON-shaped fields are what XSegment reads.
      const root = new AWSXRay.Segment('test-root');
      await AWSXRay.getNamespace().runPromise(async () => {
        AWSXRay.setSegment(root);
        await outcomeOf(authorizer.handler, event);
      });
      return root;
    }

    let authorizer: Authorizer;
    beforeEach(() => {
      Object.assign(process.env, LAMBDA_ENV, { AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' });
      authorizer = t.make(LAMBDA_ENV);
    });

    it('opens the handler subsegment with verify and decide inside, all closed', async () => {
      // Act
      const root = await traced(authorizer, tokenEvent(`Bearer ${signJwt(t.key, cognitoClaims(ADMIN))}`, 'GET', '/pets'));

      // Assess
      const handler = root.subsegments?.[0];
      expect(handler?.name).toBe('## handler');
      expect(handler?.subsegments?.map((s) => s.name)).toEqual(['verify', 'decide']);
      expect(tree(root).every((s) => s.in_progress !== true)).toBe(true);
    });

    it('annotates the decision, the route, the cold start and the service', async () => {
      // Act
      const root = await traced(authorizer, tokenEvent(`Bearer ${signJwt(t.key, cognitoClaims({ sub: 's' }))}`, 'DELETE', '/pets/17'));

      // Assess
      const annotations = Object.assign({}, ...tree(root).map((s) => s.annotations ?? {})) as Record<string, unknown>;
      expect(annotations).toMatchObject({ decision: 'deny', route: 'DELETE /pets/{petId}', ColdStart: expect.any(Boolean), Service: expect.any(String) });
    });

    it('annotates a 401 as unauthorized and still closes verify', async () => {
      // Act
      const root = await traced(authorizer, tokenEvent(`Bearer ${signJwt(t.key, cognitoClaims({ ...ADMIN, ttl: -5 }))}`, 'GET', '/pets'));

      // Assess
      const all = tree(root);
      expect(all.map((s) => s.name)).toEqual(['## handler', 'verify']);
      expect(all.every((s) => s.in_progress !== true)).toBe(true);
      expect(Object.assign({}, ...all.map((s) => s.annotations ?? {}))).toMatchObject({ decision: 'unauthorized' });
    });

    it('records a fault as an error on the handler subsegment', async () => {
      // Act
      const root = await traced(authorizer, { ...tokenEvent(`Bearer ${signJwt(t.key, cognitoClaims(ADMIN))}`, 'GET', '/pets'), methodArn: 'x' });

      // Assess
      const handler = root.subsegments?.[0] as XSegment & { cause?: { exceptions?: { type: string }[] } };
      expect(handler.fault).toBe(true);
      expect(handler.cause?.exceptions?.map((e) => e.type)).toEqual(['EventError']);
      expect(handler.annotations).toMatchObject({ decision: 'error' });
    });

    it('writes no token into the trace', async () => {
      // Prepare
      const token = signJwt(t.key, cognitoClaims({ ...ADMIN, ttl: -5 }));

      // Act
      const root = await traced(authorizer, tokenEvent(`Bearer ${token}`, 'GET', '/pets'));

      // Assess
      expect(JSON.stringify(root)).not.toContain(token.split('.')[2] as string);
    });
  });
});
