// The sales pipeline in a real browser against a fresh demo repflow: a manager on a PC drags a
// deal to the next stage, sees a move the workflow refuses refused with its reason, and moves a
// card by keyboard alone; a rep on a 360 px phone completes a task. Each check asks the server
// what it stored. The deals are opened by the test (as the rep, for one of the rep's shops), so
// the demo's own deals and their tasks are left as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { ApiAs, newContext, screenshot, signIn, startStack, type Stack } from './harness'

const MANAGER = 'manager.shandong@demo.repflow.test'
const REP = 'rep.jinan.1@demo.repflow.test'
const QUALIFY = 'Qualify the store' // the lead stage's required task, from the FMCG template

interface Opportunity {
  id: string
  name: string
  stage: { key: string }
}
interface Task {
  id: string
  title: string
  status: string
  stage: string
}

let stack: Stack
let rep: ApiAs
let manager: ApiAs
const deals: Record<'drag' | 'refused' | 'keyboard', Opportunity> = {} as never
const tag = `E2E ${Date.now()}`

async function stageOf(id: string): Promise<string> {
  const res = await manager.request<Opportunity>('GET', `/api/v1/opportunities/${id}`)
  expect(res.status).toBe(200)
  return res.body.stage.key
}

async function tasksOf(api: ApiAs, id: string): Promise<Task[]> {
  const res = await api.request<{ tasks: Task[] }>('GET', `/api/v1/tasks?opportunity_id=${id}&limit=50`)
  expect(res.status).toBe(200)
  return res.body.tasks
}

beforeAll(async () => {
  stack = await startStack()
  rep = await ApiAs.signIn(stack.repflow.url, REP)
  manager = await ApiAs.signIn(stack.repflow.url, MANAGER)
  const customers = await rep.request<{ customers: { id: string }[] }>('GET', `/api/v1/customers?owner_id=${rep.userId}&limit=3`)
  expect(customers.body.customers.length).toBeGreaterThanOrEqual(3)
  for (const [i, key] of (['drag', 'refused', 'keyboard'] as const).entries()) {
    const res = await rep.request<Opportunity>('POST', '/api/v1/opportunities', {
      customer_id: customers.body.customers[i]!.id,
      name: `${tag} ${key}`,
      amount: '12500.00',
      currency: 'CNY',
      expected_close: '2026-12-31',
    })
    expect(res.status).toBe(201)
    deals[key] = res.body
  }
  // The lead's required task is done for two of them: those may leave the lead stage.
  for (const key of ['drag', 'keyboard'] as const) {
    const qualify = (await tasksOf(rep, deals[key].id)).find((t) => t.title.startsWith(QUALIFY))!
    expect((await rep.request('POST', `/api/v1/tasks/${qualify.id}/complete`)).status).toBe(200)
  }
})

afterAll(async () => {
  await stack?.stop()
})

describe('manager on a PC', () => {
  let context: BrowserContext
  let page: Page
  const card = (key: keyof typeof deals) => page.locator(`[data-test=opp-card][data-opp="${deals[key].id}"]`)
  const column = (stage: string) => page.locator(`[data-test=column][data-stage=${stage}]`)

  beforeAll(async () => {
    context = await newContext(stack, 'desk')
    page = await context.newPage()
    await signIn(page, MANAGER)
    await page.locator('[data-nav=pipeline]').click()
    await page.locator('[data-test=board]').waitFor()
    await card('drag').waitFor()
    await page.waitForTimeout(300) // the customers' and owners' names arrive one by one
    await screenshot(page, 'pipeline-0-board')
    await page.locator('[data-test=filter-search]').fill(tag) // only this test's deals
    await page.locator('[data-test=opp-card]').nth(3).waitFor({ state: 'detached' })
  })
  afterAll(async () => {
    await context?.close()
  })

  it('drags a deal to the next stage, and the server has it there', async () => {
    expect(await column('lead').locator('[data-test=opp-card]').count()).toBe(3)
    expect(await column('lead').locator('[data-test=column-total]').textContent()).toMatch(/37,500/)
    await card('drag').dragTo(column('listing_proposal'))
    await page.locator('[data-test=move-done]').waitFor()
    await column('listing_proposal').locator(`[data-opp="${deals.drag.id}"]`).waitFor()
    expect(await stageOf(deals.drag.id)).toBe('listing_proposal')
    // Entering the stage handed out its checklist.
    expect((await tasksOf(manager, deals.drag.id)).some((t) => t.stage === 'listing_proposal' && t.status === 'open')).toBe(true)
  })

  it('marks the columns the workflow would refuse, and explains the refusal after the drop', async () => {
    const source = card('refused')
    await source.hover()
    await page.mouse.down()
    const target = column('listing_proposal')
    const box = (await target.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + 40, { steps: 5 })
    // While dragging: each other column says the required tasks hold this deal.
    await expect.poll(() => target.getAttribute('data-verdict')).toBe('tasks_open')
    expect(await column('trial_order').getAttribute('data-verdict')).toBe('tasks_open')
    expect(await column('lead').getAttribute('data-verdict')).toBe('here')
    expect(await target.locator('[data-test=column-verdict]').textContent()).toBeTruthy()
    await screenshot(page, 'pipeline-1-board-dragging')
    await page.mouse.up()

    const refused = page.locator('[data-test=move-refused]')
    await refused.waitFor()
    expect(await refused.locator('[data-test=refusal-items]').textContent()).toContain(QUALIFY)
    expect(await refused.textContent()).toContain('必做任务') // the rule, in the screen's language
    await column('lead').locator(`[data-opp="${deals.refused.id}"]`).waitFor()
    expect(await column('listing_proposal').locator(`[data-opp="${deals.refused.id}"]`).count()).toBe(0)
    expect(await stageOf(deals.refused.id)).toBe('lead')
    await screenshot(page, 'pipeline-2-board-refused')
  })

  it('moves a card by keyboard alone: Move to…, arrow to a stage, Enter', async () => {
    const toggle = card('keyboard').locator('[data-test=move-toggle]')
    await toggle.focus()
    await page.keyboard.press('Enter')
    // The menu opens on the first stage it may go to; one down skips to the trial order, which
    // the workflow allows (it has no rule against skipping a stage).
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.stage)).toBe('listing_proposal')
    await page.keyboard.press('ArrowDown')
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.stage)).toBe('trial_order')
    await page.keyboard.press('Enter')
    await column('trial_order').locator(`[data-opp="${deals.keyboard.id}"]`).waitFor()
    await expect.poll(() => stageOf(deals.keyboard.id)).toBe('trial_order')
    // The keyboard stays on the card in its new column.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-opp]')?.getAttribute('data-opp'))).toBe(deals.keyboard.id)
  })
})

describe('rep on a phone', () => {
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    context = await newContext(stack, 'phone')
    page = await context.newPage()
    await signIn(page, REP)
    await page.locator('[data-nav=tasks]').click()
    await page.locator('[data-test=task-group]').first().waitFor()
  })
  afterAll(async () => {
    await context?.close()
  })

  it('says so when offline and holds the buttons back', async () => {
    await context.setOffline(true)
    await page.locator('[data-test=offline-notice]').waitFor()
    const buttons = page.locator('[data-test=complete-task]')
    expect(await buttons.count()).toBeGreaterThan(0)
    expect(await buttons.first().isDisabled()).toBe(true)
    await context.setOffline(false)
    await page.locator('[data-test=offline-notice]').waitFor({ state: 'detached' })
  })

  it('sees their open tasks by due date and completes one with a tap; the server agrees', async () => {
    const qualify = (await tasksOf(rep, deals.refused.id)).find((t) => t.title.startsWith(QUALIFY))!
    const item = page.locator(`[data-test=task][data-task="${qualify.id}"]`)
    await item.waitFor()
    // Due two days after the deal opened: later, not today and not late.
    expect(await page.locator(`[data-group=upcoming] [data-task="${qualify.id}"]`).count()).toBe(1)
    // Fits the phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await screenshot(page, 'pipeline-3-tasks-phone')

    await item.locator('[data-test=complete-task]').click()
    await page.locator('[data-test=task-done]').waitFor()
    await item.waitFor({ state: 'detached' })
    const after = (await tasksOf(rep, deals.refused.id)).find((t) => t.id === qualify.id)
    expect(after?.status).toBe('done')
  })
})
