// The authorizer context handed to backends: string values only, as API Gateway requires.
import type { Caller } from './caller';

/** What backends read from `requestContext.authorizer`. */
export interface AuthorizerContext {
  readonly [key: string]: string;
  readonly sub: string;
  readonly username: string;
  readonly clientId: string;
  readonly tokenUse: string;
  /** Space-separated, exactly as the token's `scope` claim. */
  readonly scopes: string;
  /** A JSON array string, so group names with commas survive: `["admins","readers"]`. */
  readonly groups: string;
}

/** Builds the context map for a verified caller. */
export function buildContext(caller: Caller): AuthorizerContext {
  return {
    sub: caller.sub,
    username: caller.username,
    clientId: caller.clientId,
    tokenUse: caller.tokenUse,
    scopes: caller.scope,
    groups: JSON.stringify(caller.groups),
  };
}
