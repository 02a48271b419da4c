// Every failure the authorizer names: the handler maps these classes to 401, 403 or 500 in one place.

/** Configuration (environment or rules) is invalid: the cold start fails and says what is wrong. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
  /** The variable (or rules path) that is wrong, e.g. `USER_POOL_IDS` or `routes[2].route`. */
  readonly setting: string;
  constructor(setting: string, problem: string) {
    super(`${setting}: ${problem}`);
    this.setting = setting;
  }
}

/** The rules file is invalid; `setting` is the JSON path of the offending value. */
export class RulesError extends ConfigurationError {
  override name = 'RulesError';
}

/** Why a credential was refused: the reason classes logged with a 401. */
export const CredentialProblem = {
  missing: 'missing',
  malformed: 'malformed',
  badSignature: 'bad-signature',
  expired: 'expired',
  notYetValid: 'not-yet-valid',
  wrongIssuer: 'wrong-issuer',
  wrongClient: 'wrong-client',
  wrongTokenUse: 'wrong-token-use',
  unknownKey: 'unknown-key',
  invalidClaims: 'invalid-claims',
} as const;
export type CredentialProblem = (typeof CredentialProblem)[keyof typeof CredentialProblem];

/** The caller's credential is missing or not acceptable: API Gateway answers 401. */
export class CredentialError extends Error {
  override name = 'CredentialError';
  readonly problem: CredentialProblem;
  constructor(problem: CredentialProblem, detail?: string) {
    super(detail === undefined ? problem : `${problem}: ${detail}`);
    this.problem = problem;
  }
}

/** The event is not one API Gateway sends (bad methodArn, unknown type, mixed shapes): a fault, 500. */
export class EventError extends Error {
  override name = 'EventError';
}

/**
 * The API's authorizer settings make a safe answer impossible (simple responses cached across
 * routes, a cache keyed on something other than the credential): a fault, 500, whose `advice`
 * says how to configure the authorizer. Never answered with an Allow.
 */
export class DeploymentError extends Error {
  override name = 'DeploymentError';
  readonly advice: string;
  constructor(message: string, advice: string) {
    super(message);
    this.advice = advice;
  }
}

/** The key set could not be had (network, bad JWKS): a fault, 500 — never a 401. */
export class JwksFault extends Error {
  override name = 'JwksFault';
  /** The class name of the underlying error, e.g. `FetchError`. */
  readonly causeName: string;
  constructor(causeName: string, message: string) {
    super(message);
    this.causeName = causeName;
  }
}
