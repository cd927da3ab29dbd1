// A form's failure: the one-line summary, each field's problems, and the problems with no field
// of the form (a file's lines, say), all in the reader's language and re-worded on a switch.
import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { describeError } from '@/i18n/describeError'
import { fieldErrors, issueKey, type Place } from './fieldErrors'

export function useFormErrors(fields: readonly string[], single = false) {
  const { t, te, locale } = useI18n()
  const error = ref<unknown>(null)

  const word = (message: string) => {
    const key = issueKey(message)
    return key ? t(`onboarding.issues.${key}`) : message
  }
  const fieldName = (field: string) => (te(`onboarding.fields.${field}`) ? t(`onboarding.fields.${field}`) : field)
  const placeText = (place: Place) => {
    const parts = [place.line !== undefined ? t('onboarding.place.line', { line: place.line }) : '', place.field ? fieldName(place.field) : '']
    return parts.filter(Boolean).join(' · ')
  }

  const sorted = computed(() => {
    void locale.value
    return fieldErrors(error.value, fields, word, single)
  })
  const summary = computed(() => {
    void locale.value
    return error.value ? describeError(error.value).message : ''
  })
  const others = computed(() =>
    sorted.value.other.map((o) => {
      const where = placeText(o.place)
      return where ? `${where}: ${o.message}` : o.message
    }),
  )
  const of = (field: string) => sorted.value.byField[field] ?? []

  return { error, summary, others, of }
}
