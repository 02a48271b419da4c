// Bench entry (bundled, then required in a fresh node): the libraries at work, and a Tracer that captures HTTP.
import { Tracer } from '@aws-lambda-powertools/tracer';
import { librariesAtWork } from './at-work';

librariesAtWork(new Tracer({ serviceName: 'bench', captureHTTPsRequests: true }));
