import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import local from './tools/eslint/layers.js';

/**
 * The layers of src/, lowest first. A module imports from its own layer or a lower one, never a higher
 * one (tools/eslint/layers.js; CONTRIBUTING.md explains each). `app` is src/app.ts, the composition root.
 */
export const LAYERS = [
  ['contract', 'errors', 'shared'], // wire types and the vocabulary every layer uses
  ['kube', 'topology'], // pure rules: Kubernetes objects and selectors; stitching components to Services
  ['config'], // loading and checking app-config.yaml
  ['clusters', 'auth', 'catalog', 'dashboards', 'store'], // where clusters, credentials, entities come from; results kept
  ['fetch', 'locate'], // reading clusters (the only network code to clusters); which clusters hold an entity
  ['objects', 'stitching', 'replicas'], // the objects-by-entity fan-out; stitching runs; replicas sharing clusters
  ['rollup'], // component health per team and system
  ['http'], // routes and the server
  ['app'], // src/app.ts wires it all
  ['cli'], // the command line
];
/** What web/ may import from src/. */
export const WEB_MAY_IMPORT = ['contract'];

export default tseslint.config(
  { ignores: ['node_modules/', '**/node_modules/', 'dist/', 'web/dist/', 'coverage/', '.state/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      curly: ['error', 'multi-line'],
      'no-console': 'error',
    },
  },
  {
    // Production modules only: tests compose every layer (a test of src/kube may start a real app).
    files: ['src/**/*.ts', 'web/**/*.ts', 'web/**/*.tsx'],
    ignores: [
      '**/*.test.ts',
      '**/*.contract.ts',
      '**/*test-support.ts',
      '**/test-helpers.ts',
      'src/cli/test-io.ts',
    ],
    plugins: { local },
    rules: { 'local/layers': ['error', { layers: LAYERS, web: WEB_MAY_IMPORT }] },
  },
  {
    files: ['bin/**', 'tools/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
