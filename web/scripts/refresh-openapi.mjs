// Refreshes the committed snapshot src/api/openapi.json from a repflow server: the one named by
// REPFLOW_URL (e.g. http://127.0.0.1:8080), or else one built from this repository and started
// just for this. The TypeScript types are then generated from the snapshot (npm run gen:api), so
// a change of the API shows up as a diff of the snapshot and as type errors in the UI.
import { writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startRepflow } from './repflow-server.mjs'

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'api', 'openapi.json')

let server
let base = process.env.REPFLOW_URL
if (!base) {
  server = await startRepflow({ demo: false })
  base = server.url
}
try {
  const res = await fetch(`${base.replace(/\/$/, '')}/api/openapi.json`)
  if (!res.ok) throw new Error(`GET /api/openapi.json answered ${res.status}`)
  const doc = await res.json()
  // The server names itself in absolute $schema URLs; the snapshot must not depend on the port.
  const text = JSON.stringify(doc, null, 2).replaceAll(base.replace(/\/$/, ''), '') + '\n'
  writeFileSync(target, text)
  process.stderr.write(`wrote ${target} (${Object.keys(doc.paths ?? {}).length} paths)\n`)
} finally {
  await server?.stop()
}
