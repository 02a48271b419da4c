// The smoke's report (scripts/lib/smoke/report.ts): secrets never printed, one mark per line, the summary and the exit status.
import { redact, Report, secretParts } from '../../scripts/lib/smoke/report';

/** A JWT-shaped string made of these three parts, base64url as a JWT's are. */
const jwt = (head: string, payload: string, signature: string): string =>
  [head, payload, signature].map((p) => Buffer.from(p).toString('base64url')).join('.');

const TOKEN = jwt('{"alg":"RS256","kid":"k1"}', '{"sub":"s-123","username":"cra-smoke-x"}', 'a-signature-of-some-length-0123456789');

function capture(): { report: Report; lines: string[] } {
  const lines: string[] = [];
  return { report: new Report((line) => lines.push(line)), lines };
}

describe('smoke report', () => {
  it('hides a secret it was told of, and a token’s payload or signature printed alone', () => {
    // Prepare
    const { report, lines } = capture();
    report.hide(TOKEN);
    report.hide('Pa55word-x!');
    const [, payload, signature] = TOKEN.split('.');

    // Act
    report.line(`token ${TOKEN} password Pa55word-x! payload ${payload ?? ''} signature ${signature ?? ''}`);

    // Assess
    expect(lines).toEqual(['token [hidden] password [hidden] payload [hidden] signature [hidden]']);
  });

  it('hides anything shaped like a JWT, told of or not', () => {
    // Act
    const text = redact(`Bearer ${jwt('{"alg":"RS256"}', '{"sub":"someone-else"}', 'another-signature-0123456789')} ok`, []);

    // Assess
    expect(text).toBe('Bearer [hidden] ok');
  });

  it('keeps a token’s short pieces out of the list: they could hide ordinary words', () => {
    // Act
    const parts = secretParts('aa.bb.cc');

    // Assess
    expect(parts).toEqual(['aa.bb.cc']);
  });

  it('counts marks and exits 0 when nothing failed, skips and notes included', () => {
    // Prepare
    const { report, lines } = capture();

    // Act
    report.mark('pass', 'REST reader GET /pets → 200');
    report.mark('skip', 'REST GET /users/{sub}/pets: no route');
    report.mark('note', 'HTTP API 401 answers carry no CORS headers');

    // Assess
    expect({ lines, exit: report.exitCode(), summary: report.summary(1234) }).toEqual({
      lines: ['✓ REST reader GET /pets → 200', '– REST GET /users/{sub}/pets: no route', '· HTTP API 401 answers carry no CORS headers'],
      exit: 0,
      summary: 'PASSED: 1 passed, 0 failed, 1 skipped, 1 noted (1.2 s)',
    });
  });

  it('exits 1 when a check failed, and 2 when the smoke could not run as asked; says when it was interrupted', () => {
    // Prepare
    const failed = capture().report;
    const cannotRun = capture().report;

    // Act
    failed.mark('fail', 'REST reader DELETE /pets/x: expected 403, got 204');
    cannotRun.cannotRunBecause('setup create cra-smoke-x-admin: AccessDeniedException: not authorized');

    // Assess
    expect([failed.exitCode(), cannotRun.exitCode(), cannotRun.summary(0), failed.summary(500, true)]).toEqual([
      1,
      2,
      'COULD NOT RUN: 0 passed, 1 failed, 0 skipped, 0 noted (0.0 s)',
      'INTERRUPTED: 0 passed, 1 failed, 0 skipped, 0 noted (0.5 s)',
    ]);
  });
});
