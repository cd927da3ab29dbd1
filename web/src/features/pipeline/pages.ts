// Reads every page of a cursor-paged list, up to a bound: a board shows a pipeline whole, and a
// pipeline is what a team works on, hundreds of deals at most.
const MAX_PAGES = 10

export async function allPages<T>(fetchPage: (cursor?: string) => Promise<{ items: T[]; next?: string | null }>): Promise<T[]> {
  const out: T[] = []
  let cursor: string | undefined
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await fetchPage(cursor)
    out.push(...page.items)
    if (!page.next) break
    cursor = page.next
  }
  return out
}
