// The one independent oracle: IAM evaluation, API Gateway routing (REST and HTTP APIs) and the rules' meaning,
// written from AWS's documentation and the rules' contract (README.md, Rules), not from src/. The tests, `npm start` and the bench check the product against it.
export * from './iam';
export * from './routing';
export * from './rules';
