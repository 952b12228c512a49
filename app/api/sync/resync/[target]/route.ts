import { resyncTarget } from '@/lib/sync/handle'

export const dynamic = 'force-dynamic'

export async function POST(request: Request, { params }: { params: Promise<{ target: string }> }) {
  return resyncTarget(request, (await params).target)
}
