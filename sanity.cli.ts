import { defineCliConfig } from 'sanity/cli'
import { cliProject } from './lib/config/studio'

// For `sanity schema extract` / `sanity typegen generate` (npm run typegen) and `sanity dataset import`.
export default defineCliConfig({
  api: cliProject(),
  typegen: { path: './lib/**/*.ts', schema: 'schema.json', generates: './sanity.types.ts' },
})
