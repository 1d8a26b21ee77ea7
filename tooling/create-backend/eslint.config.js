import plexus from '@plexus/eslint-config';

// The template is linted where it is generated (test/create-backend.test.mjs does); .tmp holds
// the packages that test generates.
export default [{ ignores: ['src/template/**', '.tmp/**'] }, ...plexus];
