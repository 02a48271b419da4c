// Bench entry (bundled with the deployed esbuild options, then required in a fresh node): the libraries the authorizer
// loads when the X-Ray SDK is on — aws-jwt-verify as src/ imports it, Powertools Logger and Tracer — imported, nothing run.
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { JwtVerifier } from 'aws-jwt-verify';
import * as errors from 'aws-jwt-verify/error';
import { assertIsJwks } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { safeJsonParse } from 'aws-jwt-verify/safe-json-parse';
import { keep } from './keep';

keep([JwtVerifier, errors, assertIsJwks, decomposeUnverifiedJwt, safeJsonParse, Logger, Tracer]);
