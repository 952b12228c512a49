// The Sanity CLI's view of the project (schema extract, typegen, `sanity dataset import`): the same
// variables as the app's config, read here because the CLI cannot load the server-only config module.
export function cliProject(env: Record<string, string | undefined> = process.env): { projectId: string; dataset: string } {
  return { projectId: env.SANITY_PROJECT_ID?.trim() || 'local', dataset: env.SANITY_DATASET?.trim() || 'production' }
}
