'use client'

import { NextStudio } from 'next-sanity/studio'
import { useMemo } from 'react'
import { studioConfig } from '@/sanity.config'

export default function Studio({ projectId, dataset }: { projectId: string; dataset: string }) {
  const config = useMemo(() => studioConfig({ projectId, dataset }), [projectId, dataset])
  return <NextStudio config={config} />
}
