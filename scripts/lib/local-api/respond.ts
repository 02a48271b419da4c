// Stage 4, respond: API Gateway's own answers and the backend's, with the request id and CORS headers the API adds.
import type { ApiModel, GatewayResponseName, HttpAnswer } from './model';
import type { IncomingRequest } from './request';

/** API Gateway's answer `name` to `request`: `{"message": …}` as JSON, its own headers, CORS and the request id. */
export function gatewayAnswer(model: ApiModel, request: IncomingRequest, name: GatewayResponseName): HttpAnswer {
  const response = model.response(name);
  const headers: Record<string, string[]> = { 'content-type': ['application/json'] };
  for (const [k, v] of Object.entries(response.headers)) headers[k] = [v];
  const answer = { statusCode: response.statusCode, headers, body: Buffer.from(JSON.stringify({ message: response.message })) };
  return finish(model, request, answer, false);
}

/** An answer as it leaves the gateway: the API's CORS headers (`integration`: the backend wrote it) and the request id. */
export function finish(model: ApiModel, request: IncomingRequest, answer: HttpAnswer, integration: boolean): HttpAnswer {
  return withRequestId(model, request, model.cors(request, answer, integration));
}

/** `answer` with the request id header every answer of the gateway carries. */
export function withRequestId(model: ApiModel, request: IncomingRequest, answer: HttpAnswer): HttpAnswer {
  return { ...answer, headers: { ...answer.headers, [model.requestIdHeader]: [request.requestId] } };
}
