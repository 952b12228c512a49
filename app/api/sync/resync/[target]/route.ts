import { resyncTarget } from '@/lib/sync/handle'
import { withRouteErrors } from '@/lib/http/errors'

export const dynamic = 'force-dynamic'

export const POST = withRouteErrors('resync', async (request: Request, { params }: { params: Promise<{ target: string }> }) =>
  resyncTarget(request, (await params).target),
)
