// Starts a throw-away repflow server for the UI's own tooling (the OpenAPI refresh and the browser
// tests): the Go binary is built once into a temporary folder, served on a free loopback port with
// a fresh data directory, and killed (with its folder removed) by stop().
import { spawn, execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { mkdtempSync, rmSync, openSync, closeSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => ok(port))
    })
  })
}

/**
 * Builds cmd/repflow into dir and answers the binary's path. When REPFLOW_E2E_BIN names a binary,
 * that one is used instead: .ci/run sets it to the binary its build step made from the same tree,
 * so its browser tests do not link repflow again for every test file.
 */
export async function buildRepflow(dir) {
  const prebuilt = process.env.REPFLOW_E2E_BIN
  if (prebuilt) {
    if (!existsSync(prebuilt)) throw new Error(`REPFLOW_E2E_BIN=${prebuilt}: no such binary`)
    log(`using ${prebuilt}`)
    return prebuilt
  }
  const bin = join(dir, 'repflow')
  const started = Date.now()
  await run('go', ['build', '-o', bin, './cmd/repflow'], { cwd: repoRoot, maxBuffer: 16 << 20 })
  log(`built repflow in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return bin
}

async function waitReady(url, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`repflow exited with ${child.exitCode} before it was ready:\n${tail(logFile)}`)
    }
    try {
      const res = await fetch(`${url}/readyz`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`repflow was not ready after ${timeoutMs / 1000} s:\n${tail(logFile)}`)
}

function tail(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n')
  } catch {
    return '(no log)'
  }
}

function log(msg) {
  process.stderr.write(`[repflow-server] ${msg}\n`)
}

/**
 * Starts repflow. Options: demo (build the demo tenant; a minute or two on this machine),
 * readyTimeoutMs, logLevel (warn; info logs each mail a server without SMTP does not send). Answers { url, port, logFile, bin,
 * dataDir, stop }: bin and dataDir let a test run the binary's other commands against the same data.
 */
export async function startRepflow({ demo = false, readyTimeoutMs = 300_000, logLevel = 'warn' } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'repflow-ui-'))
  const bin = await buildRepflow(work)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const logFile = join(work, 'server.log')
  const out = openSync(logFile, 'a')
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', join(work, 'data')]
  if (demo) args.push('--demo')
  const started = Date.now()
  const child = spawn(bin, args, { stdio: ['ignore', out, out], env: { ...process.env, REPFLOW_LOG_LEVEL: logLevel } })
  closeSync(out)
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    rmSync(work, { recursive: true, force: true })
  }
  try {
    await waitReady(url, child, logFile, readyTimeoutMs)
  } catch (err) {
    await stop()
    throw err
  }
  log(`ready at ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s${demo ? ' (with the demo tenant)' : ''}`)
  return { url, port, logFile, bin, dataDir: join(work, 'data'), stop }
}
