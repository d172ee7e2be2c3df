import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../infra/local/dynamodb-local.ts'

const root = resolve(import.meta.dirname, '../..')
let child: ChildProcess | undefined

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
})

/** Processes whose command line mentions this data folder (DynamoDB Local's -dbPath is inside it). */
const processesUsing = (dir: string) =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(dir) && !l.includes('ps -eo'))

describe('npm start', () => {
  it('runs the whole system on one port, prints the URL, and Ctrl-C stops everything it started', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jiefen-start-'))
    const port = await freePort()
    child = spawn(join(root, 'node_modules/.bin/tsx'), ['infra/local/start.ts'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), JIEFEN_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout?.on('data', (d) => {
      output += d
    })
    child.stderr?.on('data', (d) => {
      output += d
    })
    const started = Date.now()
    while (!output.includes('Jiefen is running:')) {
      if (child.exitCode !== null) throw new Error(`npm start exited: ${output}`)
      if (Date.now() - started > 90_000) throw new Error(`npm start did not come up: ${output}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    const url = `http://localhost:${port}`
    expect(output).toContain(url)
    expect(output).toContain('13800138000')

    const health = await fetch(`${url}/api/health`)
    expect(await health.json()).toEqual({ status: 'ok' })
    const page = await fetch(`${url}/apply`)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await page.text()).toContain('<div id="root"')
    expect(processesUsing(dataDir).length).toBeGreaterThan(0)

    const exited = new Promise<number | null>((r) => child?.once('exit', (code) => r(code)))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    await new Promise((r) => setTimeout(r, 500))
    expect(processesUsing(dataDir)).toEqual([])
    await expect(fetch(`${url}/api/health`)).rejects.toThrow()
  })
})
