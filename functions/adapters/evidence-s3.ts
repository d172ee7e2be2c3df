import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { createPresignedPost } from '@aws-sdk/s3-presigned-post'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { EvidenceStorage } from '../domain/ports.ts'

export interface S3Config {
  bucket: string
  region: string
  endpoint?: string
  credentials?: { accessKeyId: string; secretAccessKey: string }
}

/**
 * One S3 client per process. `requestChecksumCalculation: WHEN_REQUIRED` keeps newer SDKs from
 * baking a checksum into presigned requests that a browser's upload would then fail; the SHA-256
 * is computed server-side during verification instead.
 */
export function s3Client(config: S3Config): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    forcePathStyle: Boolean(config.endpoint),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 30_000 },
  })
}

export function s3EvidenceStorage(client: S3Client, bucket: string): EvidenceStorage {
  return {
    async presignUpload(key, contentType, maxBytes, expiresSeconds) {
      // The policy fixes the key, the content type and the size range: S3 refuses anything else.
      const { url, fields } = await createPresignedPost(client, {
        Bucket: bucket,
        Key: key,
        Conditions: [
          ['content-length-range', 1, maxBytes],
          ['eq', '$Content-Type', contentType],
        ],
        Fields: { 'Content-Type': contentType },
        Expires: expiresSeconds,
      })
      return { url, fields }
    },

    async read(key, maxBytes) {
      try {
        const out = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${maxBytes}` }),
        )
        const bytes = await out.Body?.transformToByteArray()
        if (!bytes) return undefined
        const total = Number(
          /\/(\d+)$/.exec(out.ContentRange ?? '')?.[1] ?? out.ContentLength ?? bytes.length,
        )
        return { bytes, size: Math.max(total, bytes.length) }
      } catch (e) {
        // Without s3:ListBucket (deliberately not granted) S3 answers a missing key with AccessDenied.
        const name = (e as { name?: string }).name
        if (name === 'NoSuchKey' || name === 'NotFound' || name === 'AccessDenied') return undefined
        throw e
      }
    },

    async write(key, bytes, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType }),
      )
    },

    async presignDownload(key, fileName, contentType, expiresSeconds) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentType: contentType,
        ResponseContentDisposition: `inline; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      })
      return getSignedUrl(client, command, { expiresIn: expiresSeconds })
    },
  }
}
