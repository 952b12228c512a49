import { startPreview } from '@/lib/auth/preview-routes'

export const dynamic = 'force-dynamic'
export const POST = (request: Request) => startPreview(request)
