// The rules tool's two failures that are not findings: a command line it cannot run (exit 2) and
// rules too broken to explain or tabulate (exit 1). Anything else thrown is a bug in the tool.

/** A rules problem the product's parser (or safeJsonParse) found: the JSON path and what is wrong. */
export interface RulesProblem {
  /** The JSON path, e.g. `routes[2].bind.userId`, or `rules` for the document itself. */
  readonly setting: string;
  readonly message: string;
}

/** The command line cannot be run as given (unknown command or option, missing file, unparsable input): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The rules are invalid, so `explain` and `matrix` cannot run: exit 1, naming the JSON path. */
export class InvalidRulesError extends Error {
  override name = 'InvalidRulesError';
  readonly problem: RulesProblem;
  constructor(label: string, problem: RulesProblem) {
    super(`${label}: ${problem.setting}: ${problem.message} (run "cognito-route-authorizer check" to see every problem)`);
    this.problem = problem;
  }
}
