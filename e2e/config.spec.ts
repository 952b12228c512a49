import { spawn } from 'node:child_process'
import { expect, test } from '@playwright/test'

test('a production setting left out stops start-up with a message naming it', async () => {
  const server = spawn('node_modules/.bin/next', ['start', '-p', '3199'], {
    env: { ...process.env, SANITY_PROJECT_ID: 'abc123', SANITY_DATASET: '', SANITY_API_READ_TOKEN: '', PORT: '3199' },
  })
  let output = ''
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no configuration error within 30 s:\n${output}`)), 30_000)
      const collect = (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('SANITY_API_READ_TOKEN is required')) {
          clearTimeout(timer)
          resolve()
        }
      }
      server.stdout.on('data', collect)
      server.stderr.on('data', collect)
      // Instrumentation runs on start-up or, at the latest, on the first request.
      setTimeout(() => void fetch('http://localhost:3199/').catch(() => undefined), 3_000)
    })
  } finally {
    server.kill()
  }
  expect(output).toContain('Gatehouse configuration is incomplete')
  expect(output).toContain('SANITY_DATASET is required when SANITY_PROJECT_ID is set')
})
