// Units whose targets the server would not show, in words: a unit with no rep has nothing to
// score; one partly out of the caller's reach is not theirs to set.
import { computed, type Ref } from 'vue'
import { ApiError } from '@/api/errors'
import { describeError } from '@/i18n/describeError'
import { i18n } from '@/i18n'
import type { Row } from './targets'

export function useLocks(refused: Ref<Record<string, unknown>>, rows: Ref<Row[]>) {
  const { t } = i18n.global
  return computed(() => {
    const out: Record<string, string> = {}
    for (const row of rows.value) {
      const err = refused.value[row.id]
      if (!err) continue
      if (err instanceof ApiError && err.status === 404) out[row.id] = t('targets.locked.noReps')
      else if (err instanceof ApiError && err.status === 403) out[row.id] = t('targets.locked.notYours')
      else out[row.id] = describeError(err).message
    }
    return out
  })
}
