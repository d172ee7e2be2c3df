import { describe, expect, it, vi } from 'vitest'
import { ORIGIN_SECRET_TTL_MS, originCheck } from '../../functions/api/source.ts'

describe('telling CloudFront’s requests from direct calls', () => {
  it('accepts only the exact secret; a missing header never reads the secret', async () => {
    let reads = 0
    const check = originCheck(async () => {
      reads++
      return 'the-origin-secret-the-origin-secret-0123'
    })
    expect(await check(undefined)).toBe(false)
    expect(reads).toBe(0)
    expect(await check('the-origin-secret-the-origin-secret-0123')).toBe(true)
    expect(await check('the-origin-secret-the-origin-secret-012')).toBe(false)
    expect(await check('THE-ORIGIN-SECRET-THE-ORIGIN-SECRET-0123')).toBe(false)
    expect(await check('')).toBe(false)
    // Read once per instance, not per request.
    expect(reads).toBe(1)
  })

  it('a failed read is tried again on the next request rather than remembered', async () => {
    let reads = 0
    const check = originCheck(async () => {
      reads++
      if (reads === 1) throw new Error('Secrets Manager unreachable')
      return 'the-origin-secret-the-origin-secret-0123'
    })
    await expect(check('the-origin-secret-the-origin-secret-0123')).rejects.toThrow('unreachable')
    expect(await check('the-origin-secret-the-origin-secret-0123')).toBe(true)
    expect(reads).toBe(2)
  })
})

describe('a rotated origin secret', () => {
  it('is read again after ORIGIN_SECRET_TTL_MS', async () => {
    vi.useFakeTimers()
    try {
      let value = 'first-origin-secret-first-origin-secret-01'
      const check = originCheck(async () => value)
      expect(await check('first-origin-secret-first-origin-secret-01')).toBe(true)
      value = 'second-origin-secret-second-origin-secret'
      expect(await check('second-origin-secret-second-origin-secret')).toBe(false)
      vi.advanceTimersByTime(ORIGIN_SECRET_TTL_MS + 1)
      expect(await check('second-origin-secret-second-origin-secret')).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })
})
