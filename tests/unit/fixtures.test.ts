// The committed events/ fixtures, replayed through the handler with fresh tokens: every scenario
// ends as its manifest says, so `sam local invoke -e events/…` shows what users will see.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/paths';
import { loadScenarios } from '../../scripts/lib/scenarios';
import { evaluate } from '../helpers/oracle';
import { setup, type TestSetup } from '../helpers/authorizer';
import { mintToken } from '../helpers/issuer';
import type { Authorizer } from '../../src/authorizer';
import { policyOf } from '../helpers/policy';

const EVENTS = path.join(ROOT, 'events');
const scenarios = loadScenarios(EVENTS);

describe('events/ fixtures', () => {
  let t: TestSetup;
  let authorizer: Authorizer;

  beforeAll(async () => {
    t = await setup();
    authorizer = t.make(); // the bundled config/rules.json, as deployed
  });
  afterAll(() => t.stop());

  it('lists every event file in the manifest', () => {
    // Prepare
    const files = readdirSync(EVENTS).filter((f) => f.endsWith('.json') && f !== 'scenarios.json' && f !== 'env.json');

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
    const event = JSON.parse(text.split('{{TOKEN}}').join(token)) as { methodArn: string };

    // Act
    const outcome = await authorizer.handler(event).then(
      (result) => (evaluate(policyOf(result), event.methodArn) === 'Allow' ? 'allow' : 'deny'),
      (err: Error) => (err.message === 'Unauthorized' ? 'unauthorized' : `fault: ${err.message}`),
    );

    // Assess
    expect(outcome).toBe(scenario.expect);
  });
});
