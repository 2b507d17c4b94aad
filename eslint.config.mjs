// ESLint with type information (typescript-eslint) and React hooks rules; Prettier owns formatting.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nestOrDatabase = ['@nestjs/*', 'typeorm', 'pg', 'pg-boss', '@electric-sql/*', 'express', 'multer'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'data/',
      'coverage/',
      'apps/web/dist/',
      'test/e2e/screenshots/',
      'scripts/bench/.engine-*/',
      '**/*.cjs',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['apps/web/vite.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Nest decorators and json-rules-engine hand us loosely typed values at the edges; explicit `unknown` is the rule inside.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    // The web app's unit specs are outside its tsconfig (they need jest's and node's globals): they have their own.
    files: ['apps/web/src/**/*.spec.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './apps/web/tsconfig.spec.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The engine and the catalog are plain TypeScript shared by the API, the CLI checks and the benchmark.
    files: ['libs/engine/**/*.ts', 'libs/catalog/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nestOrDatabase, message: 'libs/engine and libs/catalog stay free of Nest and the database.' },
            { group: ['**/apps/**', '@matcher/persistence'], message: 'libs/engine and libs/catalog never import apps/ or persistence.' },
          ],
        },
      ],
    },
  },
  {
    // The API contract is types only, shared with the web app: it may name the engine's and the catalog's
    // node-free type entries (type-only imports, erased when bundled) and nothing else.
    files: ['libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./|@matcher/(engine|catalog)/types$)',
              message: 'libs/contracts names only the node-free @matcher/engine/types and @matcher/catalog/types.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', allowTypeImports: true, message: 'libs/contracts holds types only: import type, or nothing.' }] },
      ],
    },
  },
  {
    files: ['libs/persistence/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/apps/**'], message: 'Nothing in libs/ imports apps/.' }] }],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nestOrDatabase, '@matcher/persistence', '@matcher/engine', '@matcher/catalog', '@matcher/*/*', '**/apps/api/**', '**/libs/**'],
              message: 'The web app talks to the API over HTTP; its types come from @matcher/contracts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The repositories of libs/persistence are the only code that talks SQL; the API's database module provides them.
    files: ['apps/api/**/*.ts'],
    ignores: ['apps/api/src/database/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'typeorm',
              importNames: ['DataSource', 'EntityManager', 'QueryRunner', 'Repository', 'QueryBuilder', 'SelectQueryBuilder'],
              message: 'The API reaches the database through the repositories of @matcher/persistence.',
            },
            { name: 'pg', message: 'The API reaches the database through the repositories of @matcher/persistence.' },
          ],
          patterns: [{ group: ['typeorm/*', 'pg/*'], message: 'The API reaches the database through the repositories of @matcher/persistence.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
);
