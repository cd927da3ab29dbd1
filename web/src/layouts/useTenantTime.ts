// Times as the tenant's people read them: on the tenant's clock (a Shanghai team's 9:00 is 9:00
// wherever the browser or the test machine thinks it is), in the screen's language.
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { useSessionStore } from '@/stores/session'

export function useTenantTime() {
  const { locale } = useI18n()
  const session = useSessionStore()
  const timeZone = computed(() => session.me?.tenant.time_zone ?? 'Asia/Shanghai')
  const format = (value: string | Date, options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale.value, { ...options, timeZone: timeZone.value }).format(new Date(value))
  return {
    time: (value: string | Date) => format(value, { timeStyle: 'short' }),
    dateTime: (value: string | Date) => format(value, { dateStyle: 'medium', timeStyle: 'short' }),
  }
}
