// Picks the front door for an event by its shape: one adapter per event shape API Gateway sends.
import { EventError } from '../errors';
import { isRecord } from '../is-record';
import { http1Door, http2Door } from './http';
import type { AuthorizerRequest } from './request';
import { restRequestDoor, restTokenDoor } from './rest';

export type { AuthorizerRequest } from './request';

/** What the doors need from the configuration. */
export interface DoorOptions {
  /** SIMPLE_RESPONSES: answer payload 2.0 events with `{ isAuthorized, context }`. */
  readonly simpleResponses: boolean;
}

/**
 * Normalises an authorizer event: REST TOKEN, REST REQUEST, HTTP API payload 2.0 or 1.0. Throws
 * EventError (500) for a shape API Gateway does not send, CredentialError (401) when the
 * credential headers are unusable, DeploymentError (500) when the API's authorizer settings would
 * make a cached answer unsafe.
 */
export function openDoor(event: unknown, options: DoorOptions): AuthorizerRequest {
  if (!isRecord(event)) throw new EventError('event is not an object');
  const version = event['version'];
  if (version === '2.0') return http2Door(event, options.simpleResponses);
  if (version === '1.0') return http1Door(event);
  if (version !== undefined) throw new EventError('event version is neither "1.0" nor "2.0"');
  if (event['type'] === 'TOKEN') return restTokenDoor(event);
  if (event['type'] === 'REQUEST') return restRequestDoor(event);
  throw new EventError('event type is neither TOKEN nor REQUEST');
}
