// A filtered, cursor-paged list whose filters and page live in the URL query (a link opens the
// same page). The server pages forward only, so the way back is the cursors this tab has seen.
import { computed, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'

interface Paged {
  cursor: string
}

export function useUrlPaging<F extends Paged, R>(options: {
  fromQuery: (q: LocationQuery) => F
  toQuery: (f: F) => Record<string, string>
  fetch: (f: F) => Promise<{ rows: R[]; next: string | null }>
}) {
  const route = useRoute()
  const router = useRouter()
  const filter = computed(() => options.fromQuery(route.query))
  const rows = shallowRef<R[]>([])
  const next = ref<string | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  // Cursors of the pages before this one; '' is the first page.
  const earlier = ref<string[]>([])
  let asked = 0

  async function load() {
    const ticket = ++asked
    loading.value = true
    error.value = null
    try {
      const page = await options.fetch(filter.value)
      if (ticket !== asked) return // a newer filter's answer wins
      rows.value = page.rows
      next.value = page.next
    } catch (err) {
      if (ticket === asked) error.value = err
    } finally {
      if (ticket === asked) loading.value = false
    }
  }

  /** New filters start from the first page. */
  function setFilter(changes: Partial<F>) {
    earlier.value = []
    void router.replace({ query: options.toQuery({ ...filter.value, ...changes, cursor: '' }) })
  }

  function goNext() {
    if (!next.value) return
    earlier.value = [...earlier.value, filter.value.cursor]
    void router.push({ query: options.toQuery({ ...filter.value, cursor: next.value }) })
  }

  function goPrevious() {
    const back = earlier.value.at(-1) ?? ''
    earlier.value = earlier.value.slice(0, -1)
    void router.push({ query: options.toQuery({ ...filter.value, cursor: back }) })
  }

  watch(() => JSON.stringify(filter.value), () => void load(), { immediate: true })
  const pageNumber = computed(() => (filter.value.cursor ? earlier.value.length + 1 : 1))
  const hasPrevious = computed(() => !!filter.value.cursor)
  return { filter, rows, next, loading, error, load, setFilter, goNext, goPrevious, pageNumber, hasPrevious }
}
