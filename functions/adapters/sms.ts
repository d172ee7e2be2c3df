import { PublishCommand, SNSClient } from '@aws-sdk/client-sns'
import { maskPhone } from '../domain/phone.ts'
import type { SmsSender } from '../domain/ports.ts'

export interface OutboxMessage {
  phone: string
  text: string
  at: string
}

/**
 * Local SMS: messages are kept in memory for `GET /api/dev/outbox` and printed on the console with
 * the number masked, so a developer can sign in without a phone.
 */
export function outboxSms(print: (line: string) => void = (l) => console.log(l)) {
  const messages: OutboxMessage[] = []
  const sender: SmsSender & { read(phone: string): OutboxMessage[] } = {
    async send(phone, text) {
      messages.push({ phone, text, at: new Date().toISOString() })
      if (messages.length > 1000) messages.shift()
      print(`📱 SMS to ${maskPhone(phone)}: ${text}`)
    },
    read: (phone) => messages.filter((m) => m.phone === phone),
  }
  return sender
}

/** SMS through Amazon SNS (transactional). The sender ID and spend limit are set on the account. */
export function snsSms(client: SNSClient = new SNSClient({})): SmsSender {
  return {
    async send(phone, text) {
      await client.send(
        new PublishCommand({
          PhoneNumber: `+86${phone}`,
          Message: text,
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }),
      )
    },
  }
}
