// The board's data: the tenant's pipelines, the chosen one's opportunities (the server scopes
// them: a rep gets their own, a manager their region's) and the open tasks that may hold them in
// their stage. A move shows at once and is undone when the workflow refuses it.
import { computed, ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import { allPages } from './pages'
import { openRequiredByOpportunity } from './board'
import type { Opportunity, Pipeline, Stage, Task } from './model'

export interface MoveFailure {
  opportunityId: string
  opportunityName: string
  error: unknown
}

export function usePipelineBoard() {
  const pipelines = ref<Pipeline[]>([])
  const pipelineId = ref<string>('')
  const opportunities = ref<Opportunity[]>([])
  const tasks = ref<Task[]>([])
  const loading = ref(false)
  const error = ref<unknown>(null)
  const moving = ref(new Set<string>())
  const failure = shallowRef<MoveFailure | null>(null)
  const moved = shallowRef<{ opportunityId: string; stage: string } | null>(null)

  const pipeline = computed(() => pipelines.value.find((p) => p.id === pipelineId.value))
  const openRequired = computed(() => openRequiredByOpportunity(tasks.value, opportunities.value))

  async function loadTasks(opportunityId?: string): Promise<Task[]> {
    return allPages(async (cursor) => {
      const query = { status: 'open' as const, limit: 200, ...(opportunityId ? { opportunity_id: opportunityId } : {}), ...(cursor ? { cursor } : {}) }
      const page = await call(api.GET('/api/v1/tasks', { params: { query } }))
      return { items: page.tasks ?? [], next: page.next_cursor }
    })
  }

  async function loadPipeline(id: string) {
    pipelineId.value = id
    const [opps, open] = await Promise.all([
      allPages(async (cursor) => {
        const page = await call(api.GET('/api/v1/opportunities', { params: { query: { pipeline_id: id, limit: 200, ...(cursor ? { cursor } : {}) } } }))
        return { items: page.opportunities ?? [], next: page.next_cursor }
      }),
      loadTasks(),
    ])
    opportunities.value = opps
    tasks.value = open
  }

  async function load(preferred?: string) {
    loading.value = true
    error.value = null
    try {
      if (!pipelines.value.length) pipelines.value = (await call(api.GET('/api/v1/pipelines'))).pipelines ?? []
      const chosen = pipelines.value.find((p) => p.id === preferred) ?? pipelines.value[0]
      if (chosen) await loadPipeline(chosen.id)
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
  }

  function replace(o: Opportunity) {
    opportunities.value = opportunities.value.map((x) => (x.id === o.id ? o : x))
  }

  /** Moves the card at once, then asks the server; a refusal puts it back and says why. */
  async function move(opp: Opportunity, to: Stage, reason = ''): Promise<boolean> {
    const before = opp
    failure.value = null
    moved.value = null
    moving.value = new Set(moving.value).add(opp.id)
    replace({ ...opp, stage: { key: to.key, name: to.name, probability: to.probability, outcome: to.outcome }, time_in_stage_seconds: 0, over_sla: false })
    try {
      const after = await call(api.POST('/api/v1/opportunities/{id}/moves', { params: { path: { id: opp.id } }, body: reason ? { stage: to.key, reason } : { stage: to.key } }))
      replace(after)
      moved.value = { opportunityId: after.id, stage: after.stage.name }
      // Entering a stage hands out its checklist: the new tasks may hold the card there.
      const fresh = await loadTasks(opp.id).catch(() => null)
      if (fresh) tasks.value = [...tasks.value.filter((t) => t.opportunity_id !== opp.id), ...fresh]
      return true
    } catch (err) {
      replace(before)
      failure.value = { opportunityId: opp.id, opportunityName: opp.name, error: err }
      return false
    } finally {
      const left = new Set(moving.value)
      left.delete(opp.id)
      moving.value = left
    }
  }

  return { pipelines, pipelineId, pipeline, opportunities, tasks, openRequired, loading, error, moving, failure, moved, load, move }
}
