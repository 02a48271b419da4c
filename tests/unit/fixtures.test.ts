// The committed events/ fixtures, replayed through the handler with fresh tokens: every scenario
// ends as its manifest says, so `sam local invoke -e events/…` shows what users will see.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/paths';
import { loadScenarios } from '../../scripts/lib/scenarios';
import { setup, type TestSetup } from '../helpers/authorizer';
import { mintToken } from '../helpers/issuer';
import { decisionOf } from '../helpers/outcome';
import type { Authorizer } from '../../src/authorizer';

const EVENTS = path.join(ROOT, 'events');
const scenarios = loadScenarios(EVENTS);

describe('events/ fixtures', () => {
  let t: TestSetup;

  // One authorizer per setting a scenario asks for (SIMPLE_RESPONSES, say), each with the bundled config/rules.json.
  const authorizers = new Map<string, Authorizer>();
  const authorizerFor = (env: Readonly<Record<string, string>> = {}): Authorizer => {
    const key = JSON.stringify(env);
    let made = authorizers.get(key);
    if (made === undefined) authorizers.set(key, (made = t.make(env)));
    return made;
  };

  beforeAll(async () => {
    t = await setup();
  });
  afterAll(() => t.stop());

  it('lists every event file in the manifest', () => {
    // Prepare
    const files = readdirSync(EVENTS).filter((f) => f.endsWith('.json') && f !== 'scenarios.json' && !f.startsWith('env.'));

    // Act
    const listed = new Set(scenarios.map((s) => s.file));

    // Assess
    expect(files.filter((f) => !listed.has(f))).toEqual([]);
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
  });

  it.each(scenarios.map((s) => [s.file, s.expect, s] as const))('%s ends as %s', async (_file, _expect, scenario) => {
    // Prepare
    const text = readFileSync(path.join(EVENTS, scenario.file), 'utf8');
    const token =
      scenario.caller === null
        ? ''
        : mintToken(t.key, {
            groups: scenario.caller.groups,
            scopes: scenario.caller.scopes,
            sub: scenario.caller.sub,
            tokenUse: scenario.caller.tokenUse ?? 'access',
            ttl: scenario.caller.expired === true ? -60 : 3600,
            extra: scenario.caller.claims,
          });
    const event: unknown = JSON.parse(text.split('{{TOKEN}}').join(token));

    // Act
    const outcome = await decisionOf(authorizerFor(scenario.env).handler, event);

    // Assess
    expect(outcome).toBe(scenario.expect);
  });
});
