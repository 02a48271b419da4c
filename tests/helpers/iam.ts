// A small IAM policy evaluator for execute-api:Invoke, written independently of src/: `*` is any
// run of characters (including `/`), `?` is one character, an explicit Deny wins, default deny.
import type { APIGatewayAuthorizerResult } from 'aws-lambda';

/** IAM wildcard match, by dynamic programming over pattern and text. */
export function iamMatch(pattern: string, text: string): boolean {
  let prev = new Array<boolean>(text.length + 1).fill(false);
  prev[0] = true;
  for (const p of pattern) {
    const cur = new Array<boolean>(text.length + 1).fill(false);
    if (p === '*') cur[0] = prev[0] as boolean;
    for (let j = 1; j <= text.length; j++) {
      if (p === '*') cur[j] = (prev[j] as boolean) || (cur[j - 1] as boolean);
      else cur[j] = (prev[j - 1] as boolean) && (p === '?' || p === text[j - 1]);
    }
    prev = cur;
  }
  return prev[text.length] as boolean;
}

/** What API Gateway does with a (possibly cached) policy for a request's methodArn. */
export function evaluate(result: APIGatewayAuthorizerResult, methodArn: string): 'Allow' | 'Deny' {
  let allowed = false;
  for (const statement of result.policyDocument.Statement) {
    const s = statement as { Effect: string; Action: unknown; Resource: string | string[] };
    const actions = ([] as unknown[]).concat(s.Action);
    if (!actions.some((a) => a === 'execute-api:Invoke' || a === 'execute-api:*' || a === '*')) continue;
    const resources = ([] as string[]).concat(s.Resource);
    if (!resources.some((r) => iamMatch(r, methodArn))) continue;
    if (s.Effect === 'Deny') return 'Deny';
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'Allow' : 'Deny';
}

function wildcardToRegExp(pattern: string): RegExp {
  let body = '';
  for (const ch of pattern) {
    body += ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[\\^$.|?*+()[\]{}/-]/g, '\\$&');
  }
  return new RegExp(`^${body}$`);
}

/** `evaluate` for many requests against one policy: the resources compiled once. */
export function evaluator(result: APIGatewayAuthorizerResult): (methodArn: string) => 'Allow' | 'Deny' {
  const compiled = result.policyDocument.Statement.map((statement) => {
    const s = statement as { Effect: string; Resource: string | string[] };
    return { effect: s.Effect, res: ([] as string[]).concat(s.Resource).map(wildcardToRegExp) };
  });
  return (arn) => {
    let allowed = false;
    for (const s of compiled) {
      if (!s.res.some((r) => r.test(arn))) continue;
      if (s.effect === 'Deny') return 'Deny';
      allowed = true;
    }
    return allowed ? 'Allow' : 'Deny';
  };
}
