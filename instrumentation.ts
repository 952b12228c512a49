// Runs once when the server starts: a missing production setting stops start-up with a message
// naming the variable, instead of failing on the first reader's request.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getConfig } = await import('./lib/config')
    getConfig()
  }
}
