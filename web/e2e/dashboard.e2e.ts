// The manager dashboard's trend, funnel and rankings on a PC, against a real repflow with the
// demo tenant: the funnel's table lists each stage with the entries the API counts for the scope's
// reps; the team ranking shows each team's total as the API scores it, best first; a ranked team
// opens in the dashboard (URL and cards); the trend covers six months.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { ApiAs, SCREENSHOTS, newContext, signIn, startStack, type Stack } from './harness'

const ADMIN = 'admin@demo.repflow.test'
const MANAGER = 'manager.shandong@demo.repflow.test'

interface Me {
  user: { region: { id: string } }
  tenant: { time_zone: string }
}
interface Pipelines {
  pipelines: { stages: { key: string; outcome: string }[] }[]
}
interface PipelineMetrics {
  reps: { rep_id: string; conversion: { stage: string; entered: number }[] }[]
}
interface Users {
  users: { id: string }[]
  next_cursor: string | null
}
interface UnitCard {
  total: number
  members: number
  scored_weight: number
}

/** The machine is small and shared: a page's requests may queue for a while behind others'. */
const SLOW = { timeout: 20_000 }

/** A total as the page writes it (zh-CN, at most one decimal). */
const shown = (v: number) => new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }).format(v)

/** [from, to) of a month at Shanghai midnights (UTC+8 all year). */
function shanghaiMonth(period: string): { from: string; to: string } {
  const [y, m] = period.split('-').map(Number) as [number, number]
  const at = (month: number) => new Date(Date.UTC(y, month - 1, 1) - 8 * 3600_000).toISOString()
  return { from: at(m), to: at(m + 1) }
}

/**
 * Waits until the dashboard has all its answers. The test's own API calls come after: on the
 * embedded database the server runs requests one at a time, and a burst may make one fail busy.
 */
async function settled(page: Page): Promise<void> {
  for (const panel of ['trend', 'funnel', 'rankings']) {
    await expect.poll(() => page.locator(`[data-test=${panel}]`).getAttribute('aria-busy'), SLOW).toBe('false')
  }
}

/** The ids of the active reps in a region's subtree. */
async function activeReps(api: ApiAs, region: string): Promise<string[]> {
  const users = await api.request<Users>('GET', `/api/v1/users?role=rep&status=active&region_id=${region}&limit=200`)
  expect(users.status).toBe(200)
  expect(users.body.next_cursor ?? null).toBeNull()
  return users.body.users.map((u) => u.id)
}

/** Per open stage of the pipelines, the month's entries of the reps named, added up. */
async function expectedFunnel(api: ApiAs, period: string, reps: string[]): Promise<Record<string, number>> {
  const { from, to } = shanghaiMonth(period)
  const metrics = await api.request<PipelineMetrics>('GET', `/api/v1/pipeline-metrics?from=${from}&to=${to}`)
  expect(metrics.status).toBe(200)
  const pipelines = await api.request<Pipelines>('GET', '/api/v1/pipelines')
  expect(pipelines.status).toBe(200)
  const stages = pipelines.body.pipelines.flatMap((p) => p.stages.filter((s) => s.outcome === 'open').map((s) => s.key))
  const out = Object.fromEntries([...new Set(stages)].map((k) => [k, 0]))
  const inScope = new Set(reps)
  for (const r of metrics.body.reps.filter((r) => inScope.has(r.rep_id))) for (const c of r.conversion) out[c.stage] = (out[c.stage] ?? 0) + c.entered
  return out
}

/** The funnel's table as the page shows it: entries by stage key. */
async function shownFunnel(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const row of await page.locator('[data-test=funnel] [data-test=funnel-row]').all()) {
    out[(await row.getAttribute('data-stage'))!] = Number(await row.locator('[data-test=funnel-entered]').textContent())
  }
  return out
}

function monthBefore(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number]
  const d = new Date(Date.UTC(y, m - 2, 1))
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

let stack: Stack

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  await stack?.stop()
})

describe('manager dashboard: funnel, rankings, trend', () => {
  let api: ApiAs
  let context: BrowserContext
  let page: Page
  let period: string
  let home: string
  let opened: UnitCard // the team opened from the ranking

  beforeAll(async () => {
    api = await ApiAs.signIn(stack.repflow.url, ADMIN)
    const me = (await api.request<Me>('GET', '/api/v1/me')).body
    expect(me.tenant.time_zone).toBe('Asia/Shanghai') // shanghaiMonth assumes it
    home = me.user.region.id
    context = await newContext(stack, 'desk')
    page = await context.newPage()
    await signIn(page, ADMIN)
    await page.goto('/dashboard')
    await page.locator('[data-test=kpi-card]').first().waitFor()
    period = await page.locator('[data-test=period]').inputValue()
  })
  afterAll(async () => {
    await context?.close()
  })

  it('draws the funnel, and its table counts what the API counts for the scope’s reps', async () => {
    const funnel = page.locator('[data-test=funnel]')
    await funnel.locator('[data-test=chart] canvas').waitFor()
    const box = await funnel.locator('[data-test=chart] canvas').boundingBox()
    expect(box?.height).toBeGreaterThan(150)

    // The same figures from the API: every active rep under the admin's region.
    await settled(page)
    const expected = await expectedFunnel(api, period, await activeReps(api, home))
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0) // a demo month with moves
    await funnel.locator('summary').click()
    expect(await shownFunnel(page)).toEqual(expected)
    await page.waitForTimeout(600) // the funnel's entry animation
    await funnel.screenshot({ path: `${SCREENSHOTS}dashboard-funnel.png` })
  })

  it('ranks the teams by the totals the API scores them at', async () => {
    const teams = page.locator('[data-test=ranking-team] [data-test=ranking-row]')
    await teams.first().waitFor()
    await settled(page)
    const count = await teams.count()
    expect(count).toBeGreaterThanOrEqual(2)
    expect(await page.locator('[data-test=ranking-team] [data-test=ranking-total]').count()).toBe(count)
    const totals: number[] = []
    for (const row of await teams.all()) {
      const scope = (await row.getAttribute('data-scope'))!
      const card = await api.request<UnitCard>('GET', `/api/v1/appraisal/unit-scorecard?unit=${scope}&period=${period}`)
      expect(card.status).toBe(200)
      expect(card.body.scored_weight).toBeGreaterThan(0)
      expect(await row.locator('[data-test=ranking-total]').textContent()).toBe(shown(card.body.total))
      totals.push(Math.round(card.body.total * 10) / 10)
      // The change is on the month before's total, in points.
      const earlier = (await api.request<UnitCard>('GET', `/api/v1/appraisal/unit-scorecard?unit=${scope}&period=${monthBefore(period)}`)).body
      expect(earlier.scored_weight).toBeGreaterThan(0)
      const change = Math.round((card.body.total - earlier.total) * 10) / 10
      expect(await row.locator('[data-test=ranking-change]').textContent()).toBe(`${new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(change)} 分`)
    }
    expect(totals).toEqual([...totals].sort((a, b) => b - a))
    await page.locator('[data-test=rankings]').screenshot({ path: `${SCREENSHOTS}dashboard-rankings.png` })
  })

  it('opens a ranked team in the dashboard: the URL’s scope, the cards and the funnel follow', async () => {
    const row = page.locator('[data-test=ranking-team] [data-test=ranking-row]').nth(1)
    const scope = (await row.getAttribute('data-scope'))!
    const answer = await api.request<UnitCard>('GET', `/api/v1/appraisal/unit-scorecard?unit=${scope}&period=${period}`)
    expect(answer.status).toBe(200)
    const card = (opened = answer.body)
    const before = await page.locator('[data-test=total-score]').textContent()
    expect(before).not.toBe(shown(card.total)) // else the check below could not tell

    await row.locator('[data-test=ranking-open]').click()
    await page.waitForURL((url) => url.searchParams.get('scope') === scope)
    await expect.poll(() => page.locator('[data-test=total-score]').textContent(), SLOW).toBe(shown(card.total))
    expect(await page.locator('[data-test=scope]').inputValue()).toBe(scope)
    await expect.poll(() => page.locator(`[data-test=ranking-team] [data-scope="${scope}"]`).getAttribute('aria-current'), SLOW).toBe('true')

    // The funnel follows: the team's members who are reps, added up.
    await settled(page)
    const teams = await api.request<{ teams: { id: string; member_ids: string[] }[] }>('GET', '/api/v1/teams')
    const members = new Set(teams.body.teams.find((tm) => `team:${tm.id}` === scope)!.member_ids)
    const reps = (await activeReps(api, home)).filter((id) => members.has(id))
    expect(reps.length).toBeLessThan(members.size) // the team's lead is a member, not a rep
    const expected = await expectedFunnel(api, period, reps)
    expect(await shownFunnel(page)).toEqual(expected)
  })

  it('shows the trend over six months ending with the chosen one', async () => {
    const trend = page.locator('[data-test=trend]')
    await expect.poll(() => trend.locator('[data-test=trend-row]').count(), SLOW).toBe(6)
    const periods = await trend.locator('[data-test=trend-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-period')))
    expect(periods[5]).toBe(period)
    const [y, m] = period.split('-').map(Number) as [number, number]
    const first = new Date(Date.UTC(y, m - 6, 1))
    expect(periods[0]).toBe(`${first.getUTCFullYear()}-${String(first.getUTCMonth() + 1).padStart(2, '0')}`)
    expect(await trend.locator('[data-test=trend-card][data-series=total] [data-test=chart] canvas').count()).toBe(1)
    // The team opened above: its total this month ends the line (the table's first column).
    await expect.poll(() => trend.locator('[data-test=trend-row]').last().locator('td').first().textContent(), SLOW).toBe(shown(opened.total))
  })
})

describe('a province manager on a phone', () => {
  let context: BrowserContext

  afterAll(async () => {
    await context?.close()
  })

  it('ranks only the teams the server scores for them, without errors or sideways scrolling', async () => {
    const api = await ApiAs.signIn(stack.repflow.url, MANAGER)
    context = await newContext(stack, 'phone')
    const page = await context.newPage()
    await signIn(page, MANAGER)
    await page.goto('/dashboard')
    const period = await page.locator('[data-test=period]').inputValue()
    const rows = page.locator('[data-test=ranking-team] [data-test=ranking-row]')
    await rows.first().waitFor()
    await settled(page)

    // The tenant's every team, asked one by one as this manager: the ones answered are the ranking.
    const teams = (await api.request<{ teams: { id: string }[] }>('GET', '/api/v1/teams')).body.teams
    const open: string[] = []
    for (const tm of teams) {
      const answer = await api.request('GET', `/api/v1/appraisal/unit-scorecard?unit=team:${tm.id}&period=${period}`)
      if (answer.status === 200) open.push(`team:${tm.id}`)
    }
    expect(open.length).toBeGreaterThan(0)
    expect(open.length).toBeLessThan(teams.length) // else nothing was left out
    const shownTeams = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-scope')))
    expect(shownTeams.sort()).toEqual(open.sort())
    expect(await page.locator('[data-test=rankings] [role=alert], [data-test=funnel] [data-test=error]').count()).toBe(0)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
  })
})
