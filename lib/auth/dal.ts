import 'server-only'
import { cache } from 'react'
import { authAdapter } from '.'
import type { Viewer } from './viewer'

/**
 * The data-access layer's view of who is asking. Every server component and route that reads gated
 * data calls this; the provider SDK re-verifies the session here, never trusting proxy.ts or a header.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => (await authAdapter()).getViewer())
