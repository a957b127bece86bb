// One lint config for the workspace. Type-aware, so that floating promises are errors:
// an un-awaited publish or socket close is exactly the bug that makes failover wait or lose events.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'No export *: keep the public surface explicit.' }],
    },
  },
  {
    // The protocol core is pure: no Node built-ins, no dependencies, no clocks (DESIGN.md rule 3).
    files: ['libs/protocol/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'net', 'dgram', 'os', 'child_process', 'timers'], message: 'libs/protocol is pure: no I/O.' }] }],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'No timers in the pure core.' }, { name: 'setInterval', message: 'No timers in the pure core.' }, { name: 'Date', message: 'Time comes in as an argument.' }, { name: 'performance', message: 'Time comes in as an argument.' }, { name: 'process', message: 'No process access in the pure core.' }, { name: 'Buffer', message: 'Use Uint8Array in the pure core.' }],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.test.ts', '**/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
