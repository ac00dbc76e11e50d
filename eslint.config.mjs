// ESLint flat config: typescript-eslint's type-aware rules, the sf-plugin rules for commands, and the
// architecture boundary: src/core and src/render stay pure (no oclif, no sf-plugins-core, no process/console).
import tseslint from 'typescript-eslint';
import sfPlugin from 'eslint-plugin-sf-plugin';
import { fixupPluginRules } from '@eslint/compat';

export default tseslint.config(
  { ignores: ['lib/**', 'node_modules/**', 'examples/**', 'bench/out/**', 'test/golden/**', 'test/**/*.cjs', 'eslint.config.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './test/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/explicit-function-return-type': ['error', { allowExpressions: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/commands/**/*.ts', 'src/cli/**/*.ts'],
    // eslint-plugin-sf-plugin 1.x still calls context APIs ESLint 9 removed; @eslint/compat shims them.
    plugins: { 'sf-plugin': fixupPluginRules(sfPlugin) },
    rules: {
      ...sfPlugin.configs.recommended.rules,
      // Commands extend EcaCommand (src/cli/command.ts), an SfCommand that adds no flags, only terminal-safe output.
      'sf-plugin/only-extend-SfCommand': 'off',
      'sf-plugin/spread-base-flags': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/render/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@oclif/*', '@salesforce/*', 'node:*', 'fs', 'path', 'child_process'], message: 'The core and the renderers are pure: I/O belongs in src/adapters, CLI wiring in src/commands and src/cli.' },
            { group: ['**/adapters/**', '**/commands/**', '**/cli/**'], message: 'The core must not depend on adapters or commands.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'The core is pure: pass what it needs in.' }, { name: 'console', message: 'Renderers return strings.' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/explicit-function-return-type': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  }
);
