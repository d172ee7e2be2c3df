/**
 * Structured JSON logs with personal data masked on the way out: mobile numbers and ID numbers
 * never reach a log line, whatever a caller passes in.
 */
const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g
const ID_NUMBER = /(?<![\dA-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![\dA-Za-z])/g

export function maskText(text: string): string {
  return text.replace(ID_NUMBER, '$1********$2').replace(MOBILE, '$1****$2')
}

type Level = 'debug' | 'info' | 'warn' | 'error'
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void
  info(msg: string, data?: Record<string, unknown>): void
  warn(msg: string, data?: Record<string, unknown>): void
  error(msg: string, data?: Record<string, unknown>): void
}

export function createLogger(
  level: Level = 'info',
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Logger {
  const emit = (at: Level) => (msg: string, data?: Record<string, unknown>) => {
    if (order[at] < order[level]) return
    const line = JSON.stringify({ level: at, time: new Date().toISOString(), msg, ...data }, errorReplacer)
    write(maskText(line))
  }
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') }
}

function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack }
  return value
}
