import { describe, expect, it } from 'vitest'
import { classifyUploadResponse } from './upload'
import { isRetryable, uploadFailureMessage } from './uploadErrors'

/** The message a user sees for the server's answer. */
const said = (status: number, body: unknown, limits?: { max_upload_bytes?: number; max_pixels?: number }) => {
  const o = classifyUploadResponse(status, typeof body === 'string' ? body : JSON.stringify(body))
  if (o.kind !== 'rejected') throw new Error(`not rejected: ${o.kind}`)
  return { text: uploadFailureMessage(o, limits), retry: isRetryable(o) }
}

describe('upload errors in plain words', () => {
  it('an undecodable file: no decoder jargon', () => {
    const r = said(422, { error: { code: 'undecodable', message: 'jpeg decoder: invalid marker 0xd9 at offset 512' } })
    expect(r.text).toBe('This file isn’t a photo Banana can read (it may be damaged or in an unsupported format).')
    expect(r.text).not.toMatch(/decoder|marker|0x/)
    expect(r.retry).toBe(false)
  })
  it('too large, with the server limit when known', () => {
    expect(said(413, { error: { code: 'too_large', message: 'body over 52428800 bytes' } }).text).toBe('Too large for this server.')
    expect(said(413, '', { max_upload_bytes: 50 * 1024 * 1024 }).text).toBe('Too large: this server takes files up to 50 MB.')
  })
  it('too many pixels, in megapixels', () => {
    expect(said(422, { error: { code: 'too_many_pixels', message: '20000x20000 > 100000000' } }, { max_pixels: 100_000_000 }).text).toBe(
      'This photo has too many pixels: this server takes up to 100 megapixels.',
    )
  })
  it('storage full (507 quota_exceeded) can be retried after making room', () => {
    const r = said(507, { error: { code: 'quota_exceeded', message: 'quota of 1073741824 bytes exceeded' } })
    expect(r.text).toMatch(/^Your storage is full\./)
    expect(r.retry).toBe(true)
  })
  it('unsupported types name what is supported', () => {
    expect(said(415, { error: { code: 'unsupported_media_type', message: 'image/svg+xml' } }).text).toMatch(/isn’t supported\. Banana takes JPEG, HEIC/)
  })
  it('the server and the network: worth a retry', () => {
    expect(said(503, '<html>Bad gateway</html>')).toEqual({ text: 'Banana isn’t reachable right now. Retry in a moment.', retry: true })
    expect(said(500, { error: { code: 'internal', message: 'sqlx: pool timed out' } })).toEqual({ text: 'Banana had a problem storing this photo. Retry.', retry: true })
    expect(said(429, { error: { code: 'rate_limited', message: 'slow down', retry_after: 3 } }).retry).toBe(true)
    expect(said(401, { error: { code: 'unauthorized', message: 'no session' } }).text).toBe('You were signed out. Sign in again, then retry.')
    const net = { status: 0, code: 'network_error', message: 'x' }
    expect(uploadFailureMessage(net)).toBe('Couldn’t reach Banana — check your connection, then retry.')
    expect(isRetryable(net)).toBe(true)
    expect(uploadFailureMessage({ status: 0, code: 'aborted', message: 'x' })).toBe('Cancelled.')
  })
  it('a refused field says what the server said', () => {
    expect(said(400, { error: { code: 'bad_request', message: 'Title is over 1000 characters' } }).text).toBe('Not accepted: title is over 1000 characters.')
  })
})
