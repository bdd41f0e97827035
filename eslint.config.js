// npm run lint: ESLint with typescript-eslint on every TypeScript file, the
// React hooks rules on the admin UI, then the type-checker (see package.json).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'admin/dist/', 'server/db/generated/', 'bench/results/', 'tests/.artifacts/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused names are the type-checker's job (noUnusedLocals/noUnusedParameters).
      '@typescript-eslint/no-unused-vars': 'off',
      // Errors are never swallowed silently: an empty catch needs a comment saying why.
      'no-empty': ['error', { allowEmptyCatch: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
      // Copydesk strips, escapes and reports control characters in article text on
      // purpose (import normalisation, XML writers, slugs, the audit's canonical
      // JSON); a control character in those patterns is the point, not a slip.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['admin/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The admin bundle runs only the pure rules in shared/; from the server it
      // may take types (the API's shapes), never code.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/server'],
              allowTypeImports: true,
              message: 'The admin UI may import only types from server/; put pure code both sides need in shared/.',
            },
            { group: ['node:*'], message: 'The admin UI runs in the browser.' },
          ],
        },
      ],
    },
  },
);
