// Phone or PC, by the width of the screen rather than the device's name: a manager's tablet in
// portrait gets the phone layout, which is the one that fits. Switching layouts remounts the page
// (and reloads its data), so a change must last a moment before it counts: a browser resizing
// for an instant (a full-page capture, a keyboard sliding in) must not throw the page away.
import { onScopeDispose, ref } from 'vue'

export const PHONE_QUERY = '(max-width: 768px)'
const SETTLE_MS = 250

export function useScreen() {
  const media = globalThis.matchMedia?.(PHONE_QUERY)
  const isPhone = ref(media?.matches ?? false)
  let timer: ReturnType<typeof setTimeout> | undefined
  const update = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (media) isPhone.value = media.matches
    }, SETTLE_MS)
  }
  media?.addEventListener('change', update)
  onScopeDispose(() => {
    clearTimeout(timer)
    media?.removeEventListener('change', update)
  })
  return { isPhone }
}
