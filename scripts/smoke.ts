// `npm run smoke -- --stack NAME` (or the outputs as flags): checks a deployed stack's sample APIs as four short-lived demo users.
import { UsageError } from './lib/cli';
import { readSmokeOptions, USAGE } from './lib/smoke/args';
import { Interrupted, SmokeConfigError } from './lib/smoke/errors';
import { watchInterrupts } from './lib/smoke/interrupt';
import { EXIT, Report } from './lib/smoke/report';
import { runSmoke } from './lib/smoke/run';
import { describeStack } from './lib/smoke/stack';
import { resolveTarget } from './lib/smoke/target';
import { cognitoClient, USER_PREFIX } from './lib/smoke/users';

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const err = (line: string): void => void process.stderr.write(`${line}\n`);

/** The run after the flags: its exit status. */
async function smoke(argv: readonly string[]): Promise<number> {
  const options = readSmokeOptions(argv);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return EXIT.passed;
  }
  const started = performance.now();
  const interrupts = watchInterrupts(err, (code) => {
    err(`smoke: the clean-up did not finish in time; look for leftover users named ${USER_PREFIX}* in the pool (see --help)`);
    process.exit(code);
  });
  const report = new Report(out);
  try {
    const stack = options.stack === undefined ? undefined : await describeStack(options.stack, options.region, interrupts.signal);
    const target = resolveTarget(options, stack);
    const cognito = cognitoClient(target.region, target.endpoint);
    try {
      await runSmoke(target, { cognito, report, signal: interrupts.signal });
    } finally {
      cognito.destroy();
    }
  } catch (e) {
    if (e instanceof SmokeConfigError) {
      err(`smoke: ${e.message}`);
      return EXIT.cannotRun;
    }
    if (!(e instanceof Interrupted) && !interrupts.signal.aborted) throw e;
  } finally {
    interrupts.dispose();
  }
  report.line('');
  report.line(report.summary(performance.now() - started, interrupts.exitCode() !== undefined));
  return interrupts.exitCode() ?? report.exitCode();
}

smoke(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      err(`smoke: ${e.message}\n(npm run smoke -- --help explains the flags)`);
      process.exit(EXIT.cannotRun);
    }
    err(`smoke: unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(EXIT.failed);
  },
);
