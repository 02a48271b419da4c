// Bench child (forked, stdout on /dev/null): the cache effect with the built handler as "this authorizer".
// Reports over IPC: CacheEffect[] (scripts/lib/bench-cache-effect.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RulesDoc } from '../../tests/helpers/oracle';
import { authorizerEnv, JwksServer, makeKey } from '../../tests/helpers/issuer';
import { cacheEffect, type SessionMix } from './bench-cache-effect';
import { benchChild } from './bench-child';
import { ROOT } from './paths';

benchChild('bench-cache-effect', async ({ bundle, mix }: { bundle: string; mix: SessionMix }, loadHandler) => {
  const key = makeKey();
  const jwks = await new JwksServer([key]).start();
  Object.assign(process.env, authorizerEnv(jwks.endpoint), { POWERTOOLS_LOG_LEVEL: 'INFO' });
  const handler = loadHandler(bundle);
  const rules = JSON.parse(readFileSync(path.join(ROOT, 'config', 'rules.json'), 'utf8')) as RulesDoc;
  const effects = await cacheEffect(rules, key, (event) => handler(event), mix);
  await jwks.stop();
  return effects;
});
