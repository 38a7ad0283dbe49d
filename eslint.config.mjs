import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import { importX } from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Each folder of src/ is one stage of the import; a cycle between modules means a stage
    // reaches back into one that depends on it.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-duplicates': 'error',
      // The contract between the stages: main.ts reads the inputs and asks plan/ for a job; an
      // engine does the job and returns the one result (result.ts), which report/ turns into
      // outputs and the summary.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: ['./src/!(main|inputs|post).ts', './src/!(plan)/**'],
              from: './src/inputs.ts',
              message:
                'Only main.ts, post.ts (the post step) and plan/ read the inputs: take the settings from the job the plan makes (plan/job.ts).',
            },
            {
              target: './src/report/**',
              from: ['./src/stream/**', './src/native/**', './src/plan/**', './src/@(main).ts'],
              message:
                'report/ reads the one result (result.ts), never an engine: put what it needs into ImportResult.',
            },
            {
              target: ['./src/!(main|index).ts', './src/!(plan)/**'],
              from: ['./src/plan/**', './src/@(main).ts'],
              message:
                'Engines and what they use do not reach back into the start step: it gives them their job.',
            },
            {
              target: './src/stream/**',
              from: './src/native/**',
              message: 'One engine does not use another: share through a lower folder.',
            },
            {
              target: './src/native/**',
              from: './src/stream/**',
              message: 'One engine does not use another: share through a lower folder.',
            },
            {
              target: './src/result.ts',
              from: './src/!(words).ts',
              message: 'result.ts is the contract every engine and the report share: a leaf.',
            },
            {
              target: './src/result.ts',
              from: './src/*/**',
              message: 'result.ts is the contract every engine and the report share: a leaf.',
            },
          ],
        },
      ],
    },
  },
)
