// The catalogues agree with each other and with the code: every key is in both languages, every
// key the code names exists, and templates carry no words that bypass i18n.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse as parseSfc } from '@vue/compiler-sfc'
import { NodeTypes, type RootNode, type TemplateChildNode } from '@vue/compiler-dom'
import zhCN from './locales/zh-CN'
import en from './locales/en'

type Catalogue = { [key: string]: string | Catalogue }
const catalogues: Record<string, Catalogue> = { 'zh-CN': zhCN, en }
const SRC = fileURLToPath(new URL('..', import.meta.url))

function leaves(cat: Catalogue, prefix = ''): string[] {
  return Object.entries(cat).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : leaves(v, `${prefix}${k}.`)))
}

function branches(cat: Catalogue, prefix = ''): string[] {
  return Object.entries(cat).flatMap(([k, v]) => (typeof v === 'string' ? [] : [prefix + k, ...branches(v, `${prefix}${k}.`)]))
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(vue|ts)$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [path] : []
  })
}

/**
 * Keys the code names: t('a.b'), $t('a.b'), te('a.b'), keypath="a.b", and route meta titles.
 * A template literal t(`a.${x}`) names a family: its fixed part must be a branch of the catalogue.
 */
function keysUsed(text: string): { exact: string[]; prefixes: string[] } {
  const exact = new Set<string>()
  const prefixes = new Set<string>()
  for (const m of text.matchAll(/(?<![\w.])\$?te?\(\s*(['"])([\w.-]+)\1/g)) exact.add(m[2]!)
  for (const m of text.matchAll(/keypath="([\w.-]+)"/g)) exact.add(m[1]!)
  for (const m of text.matchAll(/title:\s*'((?:nav)\.[\w.-]+)'/g)) exact.add(m[1]!)
  for (const m of text.matchAll(/(?<![\w.])\$?te?\(\s*`([\w.-]*)\$\{/g)) prefixes.add(m[1]!.replace(/\.$/, ''))
  for (const m of text.matchAll(/`(errors\.code|trust\.reasons)\.\$\{/g)) prefixes.add(m[1]!)
  return { exact: [...exact], prefixes: [...prefixes] }
}

describe('i18n catalogues', () => {
  const zhKeys = leaves(zhCN).sort()
  const enKeys = leaves(en).sort()

  it('has every Chinese key in English', () => {
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([])
  })

  it('has every English key in Chinese', () => {
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([])
  })

  it('has no empty message', () => {
    for (const [name, cat] of Object.entries(catalogues)) {
      const empty = leaves(cat).filter((k) => !k.split('.').reduce<unknown>((o, p) => (o as Catalogue)[p], cat))
      expect(empty, name).toEqual([])
    }
  })

  it('uses the same placeholders in both languages', () => {
    const get = (cat: Catalogue, key: string) => key.split('.').reduce<unknown>((o, p) => (o as Catalogue)[p], cat) as string
    const names = (msg: string) => [...msg.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    const differ = zhKeys.filter((k) => JSON.stringify(names(get(zhCN, k))) !== JSON.stringify(names(get(en, k))))
    expect(differ).toEqual([])
  })

  it('has every key the code uses', () => {
    const known = new Set(zhKeys)
    const families = new Set(branches(zhCN))
    const missing: string[] = []
    for (const file of sourceFiles(SRC)) {
      const { exact, prefixes } = keysUsed(readFileSync(file, 'utf8'))
      const where = relative(SRC, file)
      for (const key of exact) if (!known.has(key)) missing.push(`${where}: ${key}`)
      for (const prefix of prefixes) if (prefix && !families.has(prefix)) missing.push(`${where}: ${prefix}.*`)
    }
    expect(missing).toEqual([])
  })

  it('finds the keys it looks for (the scanner itself works)', () => {
    const found = keysUsed("t('a.b'); $t(\"c.d\"); te('e.f'); t(`g.h.${x}`); <i18n-t keypath=\"i.j\">")
    expect(found.exact.sort()).toEqual(['a.b', 'c.d', 'e.f', 'i.j'])
    expect(found.prefixes).toEqual(['g.h'])
  })
})

/** Words in a template that are not from a catalogue: text nodes and static user-facing attributes. */
function literalText(root: RootNode): string[] {
  const found: string[] = []
  const wordy = (s: string) => /[\p{L}]/u.test(s)
  const visit = (node: RootNode | TemplateChildNode) => {
    if (node.type === NodeTypes.TEXT && wordy(node.content)) found.push(node.content.trim())
    if (node.type === NodeTypes.ELEMENT) {
      for (const prop of node.props) {
        if (prop.type === NodeTypes.ATTRIBUTE && ['placeholder', 'title', 'aria-label', 'alt', 'label'].includes(prop.name)) {
          if (prop.value && wordy(prop.value.content)) found.push(`${prop.name}="${prop.value.content}"`)
        }
      }
    }
    if ('children' in node) for (const child of node.children as TemplateChildNode[]) visit(child)
  }
  visit(root)
  return found
}

describe('components', () => {
  it('show no words that bypass i18n', () => {
    const offenders: string[] = []
    for (const file of sourceFiles(SRC).filter((f) => f.endsWith('.vue'))) {
      const { descriptor } = parseSfc(readFileSync(file, 'utf8'), { filename: file })
      if (!descriptor.template?.ast) continue
      for (const text of literalText(descriptor.template.ast)) offenders.push(`${relative(SRC, file)}: ${text}`)
    }
    expect(offenders).toEqual([])
  })
})
