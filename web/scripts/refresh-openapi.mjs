// Refreshes the committed snapshots of the server's two OpenAPI documents, src/api/openapi.json
// (the tenants' API) and src/api/operator-openapi.json (the SaaS operator's console API), from a
// repflow server: the one named by REPFLOW_URL (e.g. http://127.0.0.1:8080), or else one built
// from this repository and started just for this. The TypeScript types are then generated from
// the snapshots (npm run gen:api), so a change of an API shows up as a diff of its snapshot and
// as type errors in the UI.
import { writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startRepflow } from './repflow-server.mjs'

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'api')
const documents = [
  { path: '/api/openapi.json', file: 'openapi.json' },
  { path: '/admin/api/openapi.json', file: 'operator-openapi.json' },
]

let server
let base = process.env.REPFLOW_URL
if (!base) {
  server = await startRepflow({ demo: false })
  base = server.url
}
base = base.replace(/\/$/, '')
try {
  for (const { path, file } of documents) {
    const res = await fetch(`${base}${path}`)
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`)
    const doc = await res.json()
    // The server names itself in absolute $schema URLs; the snapshot must not depend on the port.
    const text = JSON.stringify(doc, null, 2).replaceAll(base, '') + '\n'
    const target = join(apiDir, file)
    writeFileSync(target, text)
    process.stderr.write(`wrote ${target} (${Object.keys(doc.paths ?? {}).length} paths)\n`)
  }
} finally {
  await server?.stop()
}
