import { describe, expect, it } from 'vitest'
import { lazy } from '../../functions/handlers/deps.ts'

describe('lazily loaded adapters', () => {
  it('load once, on first use, and forward calls and results', async () => {
    let loads = 0
    const sms = lazy(async () => {
      loads++
      return { send: async (phone: string, text: string) => `${phone}:${text}` }
    })
    expect(loads).toBe(0)
    expect(await sms.send('13800138000', 'hi')).toBe('13800138000:hi')
    expect(await sms.send('13800138001', 'again')).toBe('13800138001:again')
    expect(loads).toBe(1)
  })

  it('are not mistaken for promises when awaited or returned from async code', async () => {
    const sms = lazy(async () => ({ send: async () => 'sent' }))
    const same = await Promise.resolve(sms)
    expect(await same.send()).toBe('sent')
  })

  it('pass a loading failure to the caller', async () => {
    const broken = lazy<{ send(): Promise<void> }>(async () => {
      throw new Error('no SNS here')
    })
    await expect(broken.send()).rejects.toThrow('no SNS here')
  })
})
