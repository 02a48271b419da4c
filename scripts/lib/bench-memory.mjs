// Bench child (node --expose-gc, stdout on /dev/null): heap while the built handler sees a long stream of distinct tokens.
// Two worker threads sign the tokens; the main thread verifies them. Reports over IPC.
import { createRequire } from 'node:module';
import { createPrivateKey } from 'node:crypto';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { accessClaims, authorizerEnv, makeKey, signJwt, startJwksServer } from './bench-issuer.mjs';

const BATCH = 500;
const CALLERS = [{ groups: ['admins'] }, { groups: ['readers'] }, { scopes: ['pets/read'] }, {}];

if (!isMainThread) {
  // Signer: answers each request with a batch of fresh tokens.
  const key = { kid: workerData.kid, privateKey: createPrivateKey(workerData.pem) };
  parentPort.on('message', (offset) => {
    parentPort.postMessage(Array.from({ length: BATCH }, (_, i) => signJwt(key, accessClaims(CALLERS[(offset + i) % CALLERS.length]))));
  });
} else {
  // A failure prints its stack only (an uncaught error would also print the minified bundle's source line).
  const fail = (err) => {
    process.stderr.write(`bench-memory: ${err?.stack ?? err}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', fail).on('unhandledRejection', fail);
  const require = createRequire(import.meta.url);
  const { bundle, tokens, settle } = JSON.parse(process.argv[2]);
  const key = makeKey();
  const jwks = await startJwksServer([key]);
  Object.assign(process.env, authorizerEnv(jwks.endpoint));
  const { handler } = require(bundle);
  const ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/pets';

  const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' });
  const workers = [0, 1].map(() => new Worker(new URL(import.meta.url), { workerData: { pem, kid: key.kid } }));
  const batch = (w, offset) =>
    new Promise((resolve) => {
      workers[w].once('message', resolve);
      workers[w].postMessage(offset);
    });
  const heapMB = () => {
    global.gc();
    global.gc();
    return process.memoryUsage().heapUsed / 2 ** 20;
  };

  // Heap is read between batches (one batch of tokens alive at each reading, for like-for-like figures).
  let seen = 0;
  let before;
  let settled;
  let after;
  const pending = [batch(0, 0), batch(1, BATCH)];
  for (let offset = 0; offset < tokens; offset += BATCH) {
    const w = (offset / BATCH) % 2;
    const list = await pending[w];
    pending[w] = offset + 2 * BATCH < tokens ? batch(w, offset + 2 * BATCH) : null;
    if (seen === 0) {
      await handler({ type: 'TOKEN', authorizationToken: `Bearer ${list[0]}`, methodArn: ARN });
      before = heapMB();
    }
    for (const token of list) await handler({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: ARN });
    seen += list.length;
    if (settled === undefined && seen >= settle) settled = { tokens: seen, heapMB: heapMB() };
    if (seen >= tokens) after = heapMB();
  }
  await Promise.all(workers.map((w) => w.terminate()));
  await jwks.close();
  process.send({ tokens: seen, beforeMB: before, settled, afterMB: after, rssMB: process.memoryUsage().rss / 2 ** 20 });
  process.disconnect();
}
