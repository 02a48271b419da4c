// Lambda entry point: builds the authorizer at init (cold start) from the function's environment.
import { createAuthorizer } from './authorizer';

/** The API Gateway Lambda authorizer (TOKEN or REQUEST events). */
export const handler = createAuthorizer().handler;
