// Bench entry (bundled, then required in a fresh node): aws-jwt-verify imported the way src/ imports it, nothing run.
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import * as errors from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { keep } from './keep';

keep([CognitoJwtVerifier, errors, SimpleJwksCache]);
