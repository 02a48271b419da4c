// Bench helper: extra bundles with the production esbuild options (internals, each library alone, no Tracer) under .bench/.
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import path from 'node:path';
import { sharedOptions } from '../build-options.mjs';

// What the bench calls in-process; the same source the authorizer bundle is built from.
const INTERNALS = `
export { compileRules } from './src/rules';
export { createPolicyBuilder } from './src/policy/build';
export { parseMethodArn } from './src/policy/arn';
export { toCaller } from './src/caller';
export { buildContext } from './src/context';
`;

// Each library imported the way src/ imports it, kept alive so nothing is tree-shaken away.
const LIBRARIES = {
  'aws-jwt-verify': `import { CognitoJwtVerifier } from 'aws-jwt-verify';
import * as errors from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
globalThis.__bench = [CognitoJwtVerifier, errors, SimpleJwksCache];`,
  logger: `import { Logger } from '@aws-lambda-powertools/logger'; globalThis.__bench = Logger;`,
  tracer: `import { Tracer } from '@aws-lambda-powertools/tracer'; globalThis.__bench = Tracer;`,
};

// The libraries doing the authorizer's cold-start job without its code: a logger and its first
// line, a Cognito verifier, the JWKS fetch started (over http to the bench's endpoint), and with
// tracing a Tracer that captures HTTP. What the authorizer adds beyond this is its own code.
const atWork = (tracing) => `import { CognitoJwtVerifier } from 'aws-jwt-verify';
import * as errors from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { Logger } from '@aws-lambda-powertools/logger';
${tracing ? "import { Tracer } from '@aws-lambda-powertools/tracer';" : ''}
import { request } from 'node:http';
const env = process.env;
const pool = env.USER_POOL_IDS;
${tracing ? "globalThis.__tracer = new Tracer({ serviceName: 'bench', captureHTTPsRequests: true });" : ''}
const logger = new Logger({ serviceName: 'bench' });
const fetcher = {
  fetch: () => new Promise((resolve, reject) => {
    const req = request(env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER + '/' + pool + '/.well-known/jwks.json', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => { const b = Buffer.concat(chunks); resolve(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)); });
    });
    req.on('error', reject);
    req.end();
  }),
};
const jwksCache = new SimpleJwksCache({ fetcher });
const verifier = CognitoJwtVerifier.create([{ userPoolId: pool, clientId: env.CLIENT_IDS.split(','), tokenUse: 'access' }], { jwksCache });
logger.info('ready', { pools: [pool] });
jwksCache.getJwks(CognitoJwtVerifier.parseUserPoolId(pool).jwksUri).catch(() => undefined);
globalThis.__bench = [verifier, errors];`;
// Replaces Powertools Tracer with an empty module: the bundle as it would be without it (tracing off only).
const noTracer = {
  name: 'no-tracer',
  setup(b) {
    b.onResolve({ filter: /^@aws-lambda-powertools\/tracer$/ }, () => ({ path: 'tracer', namespace: 'bench-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'bench-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/**
 * Builds into `<root>/.bench/`: internals.cjs, lib-<name>.cjs for each library imported alone and
 * for the libraries at work (tracing off and on), and authorizer-no-tracer.js. Returns their paths and the no-Tracer bundle's size in bytes.
 */
export async function buildBenchBundles(root) {
  const out = (name) => path.join(root, '.bench', name);
  const options = { ...sharedOptions, sourcemap: false };
  const fromSource = (contents, outfile, loader = 'ts') =>
    build({ ...options, stdin: { contents, resolveDir: root, loader, sourcefile: 'bench-entry.ts' }, outfile });
  const libs = { ...LIBRARIES, 'libraries at work, tracing off': atWork(false), 'libraries at work, tracing on': atWork(true) };
  const libFiles = {};
  await fromSource(INTERNALS, out('internals.cjs'));
  for (const [name, contents] of Object.entries(libs)) {
    libFiles[name] = out(`lib-${name.replace(/[^a-z0-9]+/gi, '-')}.cjs`);
    await fromSource(contents, libFiles[name], 'js');
  }
  const noTracerFile = out('authorizer-no-tracer.js');
  await build({ ...options, entryPoints: [path.join(root, 'src/handler.ts')], outfile: noTracerFile, plugins: [noTracer] });
  return { internals: out('internals.cjs'), libFiles, noTracerFile, noTracerBytes: statSync(noTracerFile).size };
}
