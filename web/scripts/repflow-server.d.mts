export const repoRoot: string
export function freePort(): Promise<number>
export function buildRepflow(dir: string): Promise<string>
export interface RepflowServer {
  url: string
  port: number
  logFile: string
  /** the built repflow binary, and the data directory the server runs on */
  bin: string
  dataDir: string
  stop(): Promise<void>
}
export function startRepflow(opts?: { demo?: boolean; readyTimeoutMs?: number; logLevel?: 'debug' | 'info' | 'warn' | 'error' }): Promise<RepflowServer>
