// Languages: Simplified Chinese for the field teams this is made for, English for everyone else.
// Chinese is chosen when the browser prefers any Chinese; the rep's own choice, once made, wins.
import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN'
import en from './locales/en'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
const STORAGE_KEY = 'repflow.locale'

/** The language for a browser's preferences: the first of its languages we have, Chinese first. */
export function detectLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const lower = tag.toLowerCase()
    if (lower.startsWith('zh')) return 'zh-CN'
    if (lower.startsWith('en')) return 'en'
  }
  return 'zh-CN'
}

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale
  } catch {
    // storage unavailable: fall through to the browser's preference
  }
  const nav = globalThis.navigator
  return detectLocale(nav?.languages?.length ? nav.languages : [nav?.language ?? 'zh-CN'])
}

export const messages = { 'zh-CN': zhCN, en }

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages,
  // Missing keys are caught by the catalogue test; at run time show the key, not a console storm.
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
})

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale)
  } catch {
    // not remembered across visits; still switched for this one
  }
  if (globalThis.document) document.documentElement.lang = locale
}
