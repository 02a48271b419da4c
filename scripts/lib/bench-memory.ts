// Bench child (node --expose-gc, stdout on /dev/null): heap while the built handler sees a long stream of distinct tokens.
// Two worker threads sign the tokens; the main thread verifies them. Reports over IPC.
import { createPrivateKey } from 'node:crypto';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { authorizerEnv, cognitoClaims, JwksServer, makeKey, signJwt, type CallerSpec } from '../../tests/helpers/issuer';
import { benchChild } from './bench-child';

const BATCH = 500;
const CALLERS: CallerSpec[] = [{ groups: ['admins'] }, { groups: ['readers'] }, { scopes: ['pets/read'] }, {}];
const ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/pets';

interface Args {
  readonly bundle: string;
  readonly tokens: number;
  readonly settle: number;
}

if (!isMainThread) {
  // Signer: answers each request with a batch of fresh tokens.
  const { pem, kid } = workerData as { pem: string; kid: string };
  const key = { kid, privateKey: createPrivateKey(pem) };
  parentPort?.on('message', (offset: number) => {
    parentPort?.postMessage(Array.from({ length: BATCH }, (_, i) => signJwt(key, cognitoClaims(CALLERS[(offset + i) % CALLERS.length]))));
  });
} else {
  benchChild('bench-memory', async ({ bundle, tokens, settle }: Args, loadHandler) => {
    const key = makeKey();
    const jwks = await new JwksServer([key]).start();
    Object.assign(process.env, authorizerEnv(jwks.endpoint), { POWERTOOLS_LOG_LEVEL: 'INFO' });
    const handler = loadHandler(bundle);

    const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' });
    const workers = [0, 1].map(() => new Worker(__filename, { workerData: { pem, kid: key.kid } }));
    const batch = (w: number, offset: number): Promise<string[]> =>
      new Promise((resolve) => {
        const worker = workers[w] as Worker;
        worker.once('message', resolve);
        worker.postMessage(offset);
      });
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) throw new Error('bench-memory needs node --expose-gc');
    const heapMB = (): number => {
      gc();
      gc();
      return process.memoryUsage().heapUsed / 2 ** 20;
    };
    const ask = (token: string): Promise<unknown> => handler({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: ARN });

    // Heap is read between batches (one batch of tokens alive at each reading, for like-for-like figures).
    let seen = 0;
    let before = 0;
    let settled: { tokens: number; heapMB: number } | undefined;
    let after = 0;
    const pending: (Promise<string[]> | null)[] = [batch(0, 0), batch(1, BATCH)];
    for (let offset = 0; offset < tokens; offset += BATCH) {
      const w = (offset / BATCH) % 2;
      const list = (await pending[w]) ?? [];
      pending[w] = offset + 2 * BATCH < tokens ? batch(w, offset + 2 * BATCH) : null;
      if (seen === 0) {
        await ask(list[0] as string);
        before = heapMB();
      }
      for (const token of list) await ask(token);
      seen += list.length;
      if (settled === undefined && seen >= settle) settled = { tokens: seen, heapMB: heapMB() };
      if (seen >= tokens) after = heapMB();
    }
    await Promise.all(workers.map((w) => w.terminate()));
    await jwks.stop();
    return { tokens: seen, beforeMB: before, settled, afterMB: after, rssMB: process.memoryUsage().rss / 2 ** 20 };
  });
}
