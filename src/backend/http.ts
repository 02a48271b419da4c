// Lambda proxy responses of the sample backend: JSON bodies, never cached, CORS when configured.
import type { APIGatewayProxyResult } from 'aws-lambda';

/** Headers on every answer; `access-control-allow-origin` is added when CORS_ALLOW_ORIGIN is set. */
function headers(extra: Record<string, string>): Record<string, string> {
  const origin = process.env['CORS_ALLOW_ORIGIN']?.trim();
  return {
    // Answers depend on who asks: no shared cache may keep them.
    'cache-control': 'no-store',
    ...(origin ? { 'access-control-allow-origin': origin } : {}),
    ...extra,
  };
}

/** A JSON answer with `status`. */
export function json(status: number, body: unknown, extra: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: status, headers: headers({ 'content-type': 'application/json', ...extra }), body: JSON.stringify(body) };
}

/** An error answer: `{ "message": … }`, the shape API Gateway's own errors have. */
export function problem(status: number, message: string): APIGatewayProxyResult {
  return json(status, { message });
}

/** 204 No Content: no body, so no content type (RFC 9110 §6.4.1). */
export function noContent(): APIGatewayProxyResult {
  return { statusCode: 204, headers: headers({}), body: '' };
}
