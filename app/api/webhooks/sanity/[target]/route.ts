import { handleSanityWebhook } from '@/lib/sync/handle'
import { withRouteErrors } from '@/lib/http/errors'

export const dynamic = 'force-dynamic'

export const POST = withRouteErrors('webhook', async (request: Request, { params }: { params: Promise<{ target: string }> }) =>
  handleSanityWebhook(request, (await params).target),
)
