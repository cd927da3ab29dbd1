import { afterEach, describe, expect, it, vi } from 'vitest'
import { api } from '@/api/client'
import { fetchCard, fetchCards } from './cards'

const card = (total: number) => ({ data: { total, scored_weight: 100, metrics: [] }, response: new Response('{}', { status: 200 }) })

afterEach(() => vi.restoreAllMocks())

describe('scorecard fetching', () => {
  it('asks at most four at a time, and once per scope and period', async () => {
    let open = 0
    let most = 0
    const get = vi.spyOn(api, 'GET').mockImplementation((async () => {
      open++
      most = Math.max(most, open)
      await new Promise((r) => setTimeout(r, 5))
      open--
      return card(1)
    }) as unknown as typeof api.GET)
    const jobs = Array.from({ length: 12 }, (_, i) => ({ scope: `team:t${i}`, period: '2026-01' }))
    const seen: string[] = []
    await Promise.all([fetchCards(jobs, (job) => seen.push(job.scope), () => true, 8), ...jobs.slice(0, 3).map((j) => fetchCard(j.scope, j.period))])
    expect(most).toBe(4)
    expect(get).toHaveBeenCalledTimes(12)
    expect(seen.sort()).toEqual(jobs.map((j) => j.scope).sort())
  })

  it('stops taking jobs once the view has moved on', async () => {
    vi.spyOn(api, 'GET').mockImplementation((async () => card(2)) as unknown as typeof api.GET)
    let answers = 0
    await fetchCards(
      Array.from({ length: 10 }, (_, i) => ({ scope: `region:r${i}`, period: '2026-02' })),
      () => answers++,
      () => answers < 3,
      1,
    )
    expect(answers).toBe(3)
  })
})
