// Entry point of the `cognito-route-authorizer` command (package.json `bin`, built to dist/cli.js).
import { runCli } from './main';
import { processIo } from './output';

// A reader that closed the pipe early (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
// exitCode, not exit(): stdout may still be flushing into a pipe.
process.exitCode = runCli(process.argv.slice(2), processIo());
