// Unsaved targets are not lost by accident: leaving the page in the app, or closing or reloading
// the tab, asks first.
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { onBeforeRouteLeave } from 'vue-router'

export function useLeaveGuard(dirty: Ref<boolean>, question: () => string) {
  onBeforeRouteLeave(() => !dirty.value || window.confirm(question()))
  const beforeUnload = (e: BeforeUnloadEvent) => {
    if (dirty.value) e.preventDefault()
  }
  onMounted(() => window.addEventListener('beforeunload', beforeUnload))
  onBeforeUnmount(() => window.removeEventListener('beforeunload', beforeUnload))
}
