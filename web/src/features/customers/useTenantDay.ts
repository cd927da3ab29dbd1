// Calendar days as the tenant's people read them: on the tenant's clock, in the screen's language.
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { useSessionStore } from '@/stores/session'
import { tenantDay } from '@/features/scorecards/periods'

export function useTenantDay() {
  const { locale } = useI18n()
  const session = useSessionStore()
  const timeZone = computed(() => session.me?.tenant.time_zone ?? 'Asia/Shanghai')
  return {
    timeZone,
    /** An instant's day, e.g. "2026年11月27日" / "27 Nov 2026". */
    day: (value: string | Date) => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeZone: timeZone.value }).format(new Date(value)),
    /** A YYYY-MM-DD day (already the tenant's), written the same way. */
    civil: (ymd: string) => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${ymd}T00:00:00Z`)),
    today: () => tenantDay(timeZone.value),
  }
}
