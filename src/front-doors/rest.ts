// Front doors for REST API events: TOKEN (the credential in `authorizationToken`) and REQUEST
// (headers; API Gateway caches per identity source, the Authorization header in our template).
import { authorizationHeader } from '../credentials';
import { parseResourceArn } from '../policy/arn';
import type { AuthorizerRequest } from './request';

/** A REST `TOKEN` authorizer event. */
export function restTokenDoor(event: Readonly<Record<string, unknown>>): AuthorizerRequest {
  return {
    door: 'rest-token',
    api: 'rest',
    answer: 'policy',
    credential: event['authorizationToken'],
    arn: parseResourceArn(event['methodArn']),
  };
}

/** A REST `REQUEST` authorizer event. */
export function restRequestDoor(event: Readonly<Record<string, unknown>>): AuthorizerRequest {
  const arn = parseResourceArn(event['methodArn']);
  return {
    door: 'rest-request',
    api: 'rest',
    answer: 'policy',
    credential: authorizationHeader(event['headers'], event['multiValueHeaders']),
    arn,
  };
}
