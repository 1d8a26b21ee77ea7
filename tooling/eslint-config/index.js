// Shared ESLint flat config. Each package's eslint.config.js re-exports it:
//   import plexus from '@plexus/eslint-config';
//   export default plexus;
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const testFiles = ['**/test/**', '**/*.test.*', '**/*.spec.*', '**/bench/**'];

/** @type {import('eslint').Linter.Config[]} */
const config = [
  {
    name: 'plexus/ignores',
    ignores: ['**/dist/**', '**/coverage/**', '**/build/**', '**/*.d.ts', '**/node_modules/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    name: 'plexus/base',
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.es2021 },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
    },
  },
  {
    // Tests may reach for `any` to poke at invalid inputs.
    name: 'plexus/tests',
    files: testFiles,
    rules: {
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
];

export default config;
