// The smoke's named failures: what stops it before a check can run (exit 2), and how AWS SDK errors read to a person.

/** The smoke cannot run as asked: a stack output, the rules, credentials or a permission is missing (exit 2). */
export class SmokeConfigError extends Error {
  override readonly name = 'SmokeConfigError';
}

/** The run was asked to stop (SIGINT, SIGTERM): what was under way stops, the clean-up still runs. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor() {
    super('interrupted');
  }
}

/** The demo users could not all be set up; each failure has been reported on its own line. */
export class SetupFailed extends Error {
  override readonly name = 'SetupFailed';
  constructor() {
    super('the demo users could not be set up');
  }
}

/** What kind of AWS failure an SDK error is; callers branch on this, never on message text. */
export type AwsFailure = 'credentials' | 'permission' | 'not-found' | 'region' | 'other';

/** SDK v3 error names (the service's error code, or the credential provider's class) by kind. */
const FAILURES: Readonly<Record<string, AwsFailure>> = {
  CredentialsProviderError: 'credentials',
  ExpiredToken: 'credentials',
  ExpiredTokenException: 'credentials',
  InvalidClientTokenId: 'credentials',
  UnrecognizedClientException: 'credentials',
  InvalidSignatureException: 'credentials',
  SignatureDoesNotMatch: 'credentials',
  AccessDenied: 'permission',
  AccessDeniedException: 'permission',
  ResourceNotFoundException: 'not-found',
};

/** The kind of `err` (an SDK error, or anything thrown). */
export function awsFailure(err: unknown): AwsFailure {
  if (!(err instanceof Error)) return 'other';
  if (err.message === 'Region is missing') return 'region';
  return FAILURES[err.name] ?? 'other';
}

/** `err` in one line: its name and the first line of its message. */
export function oneLine(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const message = (err.message.split('\n')[0] ?? '').trim();
  return message === '' || message === err.name ? err.name : `${err.name}: ${message}`;
}
