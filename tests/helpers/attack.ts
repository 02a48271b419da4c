// The attack suites' one frame: an authorizer on the bundled rules behind a fresh JWKS server, hydrated before the
// first test and stopped after the last, its log lines captured; and the ways the suites ask it.
import type { Authorizer } from '../../src/authorizer';
import { setup, type LogLine, type TestSetup } from './authorizer';
import { tokenEvent } from './events';
import { mintToken, type CallerSpec } from './issuer';
import { outcomeOf, type Outcome } from './outcome';

/** The caller the attacks impersonate: an admin, granted DELETE /pets/{petId} (admins only in the bundled rules). */
export const ADMIN = { groups: ['admins'], sub: 'sub-admin' } as const;

/** An outcome and the reason its decision line gave (401s and 403s say why). */
export type Attempt = Outcome & { readonly reason: unknown };

export interface AttackTarget {
  /** The signing key, the JWKS server and the captured log lines. */
  readonly t: TestSetup;
  readonly authorizer: Authorizer;
  /** What API Gateway makes of the answer to `event`; the log lines are cleared first. */
  run(event: unknown): Promise<Attempt>;
  /** `run` of a TOKEN event carrying `Bearer <token>` for `method path` (default DELETE /pets/17). */
  attempt(token: string, method?: string, path?: string): Promise<Attempt>;
  /** A token for `spec` signed with the pool's key; the admin by default. */
  token(spec?: CallerSpec): string;
  /** The fault line the last run logged. */
  faultLine(): LogLine | undefined;
}

export interface AttackOptions {
  /** The authorizer's settings beyond the test issuer's (TOKEN_USE, ROUTE_RULES …). */
  readonly env?: Record<string, string>;
  /** Runs before the authorizer is made (to change what the JWKS server serves, say). */
  readonly prepare?: (t: TestSetup) => void;
}

/** Registers the frame's beforeAll and afterAll in the calling describe block; its fields are there from the first test on. */
export function attackTarget(options: AttackOptions = {}): AttackTarget {
  let made: { t: TestSetup; authorizer: Authorizer } | undefined;
  let started: TestSetup | undefined;
  beforeAll(async () => {
    const t = (started = await setup());
    options.prepare?.(t);
    const authorizer = t.make(options.env);
    await authorizer.ready;
    made = { t, authorizer };
  });
  // The JWKS server stops even when making the authorizer failed.
  afterAll(() => started?.stop());
  const ready = (): { t: TestSetup; authorizer: Authorizer } => {
    if (made === undefined) throw new Error('the attack target is made in beforeAll: use it inside a test');
    return made;
  };
  const target: AttackTarget = {
    get t() {
      return ready().t;
    },
    get authorizer() {
      return ready().authorizer;
    },
    async run(event) {
      const { t, authorizer } = ready();
      t.logs.length = 0;
      const outcome = await outcomeOf(authorizer.handler, event);
      return { ...outcome, reason: t.logs.find((l) => l['message'] === 'decision')?.['reason'] };
    },
    attempt: (token, method = 'DELETE', path = '/pets/17') => target.run(tokenEvent(`Bearer ${token}`, method, path)),
    token: (spec = ADMIN) => mintToken(ready().t.key, spec),
    faultLine: () => ready().t.logs.find((l) => l['message'] === 'fault'),
  };
  return target;
}
