import { defineCliConfig } from 'sanity/cli'

// For `sanity schema extract` / `sanity typegen generate` (npm run typegen) and `sanity dataset import`.
export default defineCliConfig({
  api: { projectId: process.env.SANITY_PROJECT_ID || 'local', dataset: process.env.SANITY_DATASET || 'production' },
  typegen: { path: './lib/**/*.ts', schema: 'schema.json', generates: './sanity.types.ts' },
})
