// The tenant admin's organisation pages in a real browser against a fresh demo repflow: a
// subregion made through the keyboard-driven tree, a team with a lead and a member, a rep moved
// there and given a role, a custom policy (refused until complete), each change read back
// through the API; and the server's refusals (a region that still has people, the last
// administrator) told on screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { ApiAs, newContext, screenshot, signIn, startStack, type Stack } from './harness'

const ADMIN = 'admin@demo.repflow.test'
const REP = 'rep.jinan.1@demo.repflow.test'
const OTHER_REP = 'rep.jinan.2@demo.repflow.test'

interface Region { id: string; name: string; parent_id: string | null }
interface User { id: string; email: string; name: string; roles: string[]; region_id: string; status: string }
interface Team { id: string; name: string; region_id: string; lead_id: string | null; member_ids: string[] }
interface Policy { id: string; description: string; subjects: string[]; actions: string[]; kinds: string[]; scope: string; effect: string; builtin: boolean }

let stack: Stack
let api: ApiAs

beforeAll(async () => {
  stack = await startStack()
  api = await ApiAs.signIn(stack.repflow.url, ADMIN)
})

afterAll(async () => {
  await stack?.stop()
})

const regions = async () => (await api.request<{ regions: Region[] }>('GET', '/api/v1/regions')).body.regions
const userByEmail = async (email: string) => (await api.request<{ users: User[] }>('GET', `/api/v1/users?q=${encodeURIComponent(email)}`)).body.users[0]!

describe('tenant admin organises the company on a PC', () => {
  let context: BrowserContext
  let page: Page
  const stamp = Date.now().toString(36)
  const SUBREGION = `Lixia ${stamp}`
  const TEAM = `Lixia Sales ${stamp}`
  let subregion: Region

  beforeAll(async () => {
    context = await newContext(stack, 'desk')
    page = await context.newPage()
    page.on('dialog', (d) => void d.accept()) // the delete confirmations
    await signIn(page, ADMIN)
  })
  afterAll(async () => {
    await context?.close()
  })

  /** Unfolds a region of the tree by keyboard and shows its children. */
  async function unfold(name: string) {
    const row = page.locator(`[data-test=region][data-name="${name}"]`)
    await row.focus()
    if ((await row.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight')
    await expect.poll(() => row.getAttribute('aria-expanded')).toBe('true')
  }

  it('makes a subregion of Jinan, reached through the tree by keyboard', async () => {
    await page.locator('[data-nav=admin-regions]').click()
    await page.locator('[data-test=region]').first().waitFor()
    await unfold('Shandong')
    await page.keyboard.press('ArrowRight') // to the first child, Jinan
    await page.keyboard.press('Enter')
    const editor = page.locator('[data-test=region-editor]')
    await expect.poll(() => editor.getAttribute('data-region')).toBe('Jinan')
    expect(await page.locator('[data-test=region][data-name="Jinan"] [data-test=region-people]').textContent()).toContain('3') // its three reps

    await page.locator('[data-test=subregion-name]').fill(SUBREGION)
    await page.locator('[data-test=subregion-add]').click()
    await expect.poll(() => editor.getAttribute('data-region')).toBe(SUBREGION)
    const all = await regions()
    const jinan = all.find((r) => r.name === 'Jinan')!
    subregion = all.find((r) => r.name === SUBREGION)!
    expect(subregion?.parent_id).toBe(jinan.id)
    await screenshot(page, 'admin-1-regions')
  })

  it('forms a team in it with a lead and a member', async () => {
    const lead = await userByEmail(REP)
    const member = await userByEmail(OTHER_REP)
    await page.locator('[data-nav=admin-teams]').click()
    await page.locator('[data-test=new-team-form]').waitFor()
    await page.locator('[data-test=new-team-name]').fill(TEAM)
    await page.locator('[data-test=new-team-region]').selectOption(subregion.id)
    await page.locator('[data-test=new-team-lead]').selectOption(lead.id)
    await page.locator('[data-test=new-team-save]').click()
    const editor = page.locator('[data-test=team-editor]')
    await expect.poll(() => editor.getAttribute('data-team')).toBe(TEAM)

    await page.locator('[data-test=member-pick]').selectOption(member.id)
    await page.locator('[data-test=member-add]').click()
    await page.locator(`[data-test=team-member][data-email="${OTHER_REP}"]`).waitFor()

    const teams = (await api.request<{ teams: Team[] }>('GET', '/api/v1/teams')).body.teams
    const team = teams.find((t) => t.name === TEAM)!
    expect(team).toMatchObject({ region_id: subregion.id, lead_id: lead.id, member_ids: [member.id] })
    await screenshot(page, 'admin-2-teams')
  })

  it('moves a rep to the subregion and makes them a manager too', async () => {
    const rep = await userByEmail(REP)
    expect(rep.roles).toEqual(['rep'])
    await page.locator('[data-nav=admin-users]').click()
    await page.locator(`[data-test=user-row][data-email="${REP}"] [data-test=user-edit]`).click()
    const editor = page.locator(`[data-test=user-editor][data-email="${REP}"]`)
    await editor.waitFor()
    await editor.locator('[data-test=edit-region]').selectOption(subregion.id)
    await editor.locator('[data-test=edit-role-manager]').check()
    await editor.locator('[data-test=user-save]').click()
    await editor.locator('[data-test=user-saved]').waitFor()
    expect((await api.request<User>('GET', `/api/v1/users/${rep.id}`)).body.region_id).toBe(subregion.id)
    const after = (await api.request<User>('GET', `/api/v1/users/${rep.id}`)).body
    expect([...after.roles].sort()).toEqual(['manager', 'rep'])
    await expect.poll(() => page.locator(`[data-test=user-row][data-email="${REP}"]`).textContent()).toContain(SUBREGION)
    expect(await page.locator('[data-test=user-error]').count()).toBe(0)
    await screenshot(page, 'admin-3-people')
  })

  it('refuses to deactivate the last administrator, in words', async () => {
    await page.locator(`[data-test=user-row][data-email="${ADMIN}"] [data-test=user-edit]`).click()
    const editor = page.locator(`[data-test=user-editor][data-email="${ADMIN}"]`)
    await editor.locator('[data-test=user-status]').click()
    await expect.poll(() => editor.locator('[data-test=user-error]').textContent()).toContain('最后一位在用的管理员')
    expect((await userByEmail(ADMIN)).status).toBe('active')
  })

  it('creates a custom policy, refused until it names whom, what and how far', async () => {
    await page.locator('[data-nav=admin-roles]').click()
    await page.locator('[data-test=builtin-role][data-role=rep]').waitFor()
    await page.locator('[data-test=policy-new]').click()
    const form = page.locator('[data-test=policy-form]')
    await form.locator('[data-test=policy-save]').click()
    await expect.poll(() => form.locator('[data-field=subjects] + [data-test=field-error]').textContent()).toContain('至少选择一个角色或一位人员')
    expect(await form.locator('[data-field=scope] [data-test=field-error]').textContent()).toContain('请选择范围')

    const description = `Data specialists export customers ${stamp}`
    await form.locator('[data-test=policy-description]').fill(description)
    await form.locator('[data-test=policy-role-data_specialist]').check()
    await form.locator('[data-test=policy-action-export]').check()
    await form.locator('[data-test=policy-kind-customer]').check()
    await form.locator('[data-test=policy-scope-tenant]').check()
    expect(await form.locator('[data-test=field-error]:visible').count()).toBe(0)
    expect(await form.locator('[data-test=policy-preview]').textContent()).toContain('导出')
    await screenshot(page, 'admin-4-policy-form')
    await form.locator('[data-test=policy-save]').click()
    await page.locator('[data-test=custom-policy]', { hasText: description }).waitFor()

    const policies = (await api.request<Policy[]>('GET', '/api/v1/policies')).body
    expect(policies.find((p) => p.description === description)).toMatchObject({
      builtin: false,
      subjects: ['role:data_specialist'],
      actions: ['export'],
      kinds: ['customer'],
      scope: 'tenant',
      effect: 'allow',
    })
    // The built-in roles, read from the policies: a rep keeps their own customers.
    const rep = page.locator('[data-test=builtin-role][data-role=rep]')
    await rep.locator('summary').click()
    expect(await rep.locator('li').allTextContents()).toContainEqual(expect.stringContaining('客户（限本人的记录）'))
    await screenshot(page, 'admin-5-roles')
  })

  it('refuses to delete a region that still has people, saying why, and keeps it', async () => {
    await page.locator('[data-nav=admin-regions]').click()
    await page.locator('[data-test=region]').first().waitFor()
    await unfold('Shandong')
    await unfold('Jinan')
    await page.locator(`[data-test=region][data-name="${SUBREGION}"]`).click()
    const editor = page.locator('[data-test=region-editor]')
    await expect.poll(() => editor.getAttribute('data-region')).toBe(SUBREGION)
    await editor.locator('[data-test=region-delete]').click()
    const refusal = editor.locator('[data-test=region-delete-error]')
    await expect.poll(() => refusal.textContent()).toContain('还有内容')
    expect(await refusal.textContent()).toContain('1 位人员') // the rep moved there
    expect(await refusal.textContent()).toContain('1 个团队')
    expect((await api.request<Region>('GET', `/api/v1/regions/${subregion.id}`)).status).toBe(200)
    await screenshot(page, 'admin-6-region-refused')
  })
})

describe('on a 360 px phone', () => {
  it('shows the administration pages without sideways scrolling', async () => {
    const context = await newContext(stack, 'phone')
    try {
      const page = await context.newPage()
      await signIn(page, ADMIN)
      for (const [path, ready] of [
        ['/admin/regions', '[data-test=region-editor]'],
        ['/admin/teams', '[data-test=team]'],
        ['/admin/roles', '[data-test=builtin-role]'],
        ['/admin/users', '[data-test=user-row]'],
      ] as const) {
        await page.goto(path)
        await page.locator(ready).first().waitFor()
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
        expect(overflow, path).toBeLessThanOrEqual(0)
      }
      await screenshot(page, 'admin-7-phone-users')
    } finally {
      await context.close()
    }
  })
})
