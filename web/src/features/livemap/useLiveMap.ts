// The live map's state: the base layer's settings, customers' fences, reps' names, positions and
// tracks of the day, and the fence events, kept current by the live stream. Tracks arrive after
// the page is shown: the map is useful from the first positions on.
import { computed, ref, shallowReactive, shallowRef } from 'vue'
import { useSessionStore } from '@/stores/session'
import { dayIn, liveEvents, mergeEvents, mergeFix, newer, type Customer, type FenceEvent, type LiveUpdate, type MapSettings, type Position, type TrackPoint } from './model'
import { fetchCustomers, fetchPositions, fetchRepNames, fetchSettings, fetchTrackDay } from './sources'

/** Tracks read at once on opening: a region's reps are read a few at a time, not all together. */
const TRACK_READERS = 3

export function useLiveMap() {
  const session = useSessionStore()
  const timeZone = computed(() => session.me?.tenant.time_zone ?? 'Asia/Shanghai')
  const today = () => dayIn(new Date(), timeZone.value)
  const settings = shallowRef<MapSettings | null>(null)
  const customers = shallowRef<Customer[]>([])
  const names = shallowRef(new Map<string, string>())
  const positions = shallowReactive(new Map<string, Position>())
  const tracks = shallowReactive(new Map<string, TrackPoint[]>())
  const events = shallowRef<FenceEvent[]>([])
  const loading = ref(true)
  const error = ref<unknown>(null)

  async function load() {
    loading.value = true
    error.value = null
    try {
      const [s, c, n, p] = await Promise.all([fetchSettings(), fetchCustomers(), fetchRepNames(), fetchPositions()])
      settings.value = s
      customers.value = c
      names.value = n
      positions.clear()
      for (const pos of p) positions.set(pos.rep_id, pos)
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
    if (!error.value) void loadTodaysTracks()
  }

  /** The day's track of every rep seen today; the others have none to draw. */
  async function loadTodaysTracks() {
    const day = today()
    const queue = [...positions.values()].filter((p) => dayIn(p.at, timeZone.value) === day).map((p) => p.rep_id)
    const reader = async () => {
      for (let rep = queue.shift(); rep; rep = queue.shift()) await loadTrack(rep).catch(() => undefined)
    }
    await Promise.all(Array.from({ length: TRACK_READERS }, reader))
  }

  /** Reads a rep's track of today, keeping the live fixes that arrived while it was read. */
  async function loadTrack(repId: string) {
    const day = await fetchTrackDay(repId, today())
    let track: TrackPoint[] = (day.fixes ?? []).map((f) => ({ at: f.time, lat: f.lat, lon: f.lon }))
    for (const p of tracks.get(repId) ?? []) track = mergeFix(track, p)
    tracks.set(repId, track)
    const read = (day.events ?? []).map((e) => ({ repId, customerId: e.customer_id, kind: e.kind, at: e.at }))
    events.value = mergeEvents(events.value, read)
  }

  /** After a reconnect: what the stream may have dropped meanwhile. */
  async function refresh(selected: string | null) {
    for (const p of await fetchPositions()) positions.set(p.rep_id, newer(positions.get(p.rep_id), p))
    if (selected) await loadTrack(selected)
  }

  /** Applies a live update and answers its fence events. */
  function apply(u: LiveUpdate): FenceEvent[] {
    const pos = u.position
    if (pos) {
      positions.set(u.rep_id, newer(positions.get(u.rep_id), pos))
      if (dayIn(pos.at, timeZone.value) === today()) {
        tracks.set(u.rep_id, mergeFix(tracks.get(u.rep_id) ?? [], { at: pos.at, lat: pos.lat, lon: pos.lon }))
      }
    }
    const fresh = liveEvents(u)
    if (fresh.length) events.value = mergeEvents(events.value, fresh)
    return fresh
  }

  return { settings, customers, names, positions, tracks, events, loading, error, load, loadTrack, refresh, apply }
}
