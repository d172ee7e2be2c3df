import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto'
import { ulid } from 'ulid'
import type { Crypto } from '../domain/ports.ts'
import { hashPassword, verifyPassword } from './password.ts'
import { verifyTotp } from './totp.ts'

export function nodeCrypto(secret: string): Crypto {
  return {
    hmac: (value) => createHmac('sha256', secret).update(value).digest('base64url'),
    sha256: (value) => createHash('sha256').update(value).digest('base64url'),
    sha256Hex: (bytes) => createHash('sha256').update(bytes).digest('hex'),
    hashPassword,
    verifyPassword,
    verifyTotp,
    randomToken: () => randomBytes(32).toString('base64url'),
    otpCode: () => String(randomInt(0, 1_000_000)).padStart(6, '0'),
    id: () => ulid(),
  }
}
