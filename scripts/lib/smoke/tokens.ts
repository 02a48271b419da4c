// The demo users' JWTs read and forged for the checks: never verified here (Cognito just issued them; the authorizer verifies).
import { isRecord } from '../../../src/is-record';

/** The `sub` claim of a JWT (read, not verified: Cognito just issued it). */
export function subOf(jwt: string): string {
  const sub = claimsOf(jwt)['sub'];
  return typeof sub === 'string' ? sub : '';
}

/** A JWT's payload (not verified). */
function claimsOf(jwt: string): Record<string, unknown> {
  try {
    const payload: unknown = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return isRecord(payload) ? payload : {};
  } catch {
    return {};
  }
}

/** A token whose claims say admins, with the original signature: a forgery the authorizer must refuse. */
export function tamper(jwt: string): string {
  const [header, , signature] = jwt.split('.');
  const claims = { ...claimsOf(jwt), 'cognito:groups': ['admins'] };
  return `${header ?? ''}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature ?? ''}`;
}
