import { createJsBackend } from '@plexus/backend-js';
import { runBackendConformance } from '@plexus/backend-testkit';
import { TraceBackend } from '../src/index.js';

// A trace changes nothing about results: it passes whatever its inner backend passes.
runBackendConformance('trace:js', () => new TraceBackend(createJsBackend()));
