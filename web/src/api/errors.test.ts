import { describe, expect, it } from 'vitest'
import { ApiError, errorMessage, parseApiError } from './errors'

describe('parseApiError', () => {
  it('reads the server error shape', () => {
    const e = parseApiError(404, '{"error":{"code":"not_found","message":"image not found"}}')
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(404)
    expect(e.code).toBe('not_found')
    expect(e.message).toBe('image not found')
  })

  it('carries the existing image id of a duplicate upload', () => {
    const e = parseApiError(409, JSON.stringify({ error: { code: 'duplicate', message: 'already uploaded', image_id: 'abc123' } }))
    expect(e.code).toBe('duplicate')
    expect(e.imageId).toBe('abc123')
  })

  it('takes retry_after from the body, else from the header, and says when to retry', () => {
    const a = parseApiError(429, '{"error":{"code":"rate_limited","message":"Too many login attempts.","retry_after":30}}')
    expect(a.retryAfter).toBe(30)
    expect(a.message).toContain('30')
    const b = parseApiError(429, '', '12')
    expect(b.retryAfter).toBe(12)
    expect(b.code).toBe('rate_limited')
  })

  it('falls back to a readable message for HTML or empty bodies', () => {
    const e = parseApiError(502, '<html><body>Bad Gateway</body></html>')
    expect(e.message).not.toContain('<')
    expect(e.code).toBe('server_error')
    expect(parseApiError(413, '').message).toMatch(/too large/i)
    expect(parseApiError(418, null).message).toContain('418')
  })

  it('ignores malformed fields', () => {
    const e = parseApiError(400, '{"error":{"code":5,"message":"","image_id":7}}')
    expect(e.code).toBe('http_400')
    expect(e.message).toBe('The request was not valid.')
    expect(e.imageId).toBeUndefined()
  })

  it('describes network failures (status 0)', () => {
    expect(parseApiError(0, '').code).toBe('network_error')
  })

  it('errorMessage prefers ApiError messages', () => {
    expect(errorMessage(parseApiError(403, '{"error":{"code":"forbidden","message":"nope"}}'))).toBe('nope')
    expect(errorMessage(new Error('x'))).toBe('x')
    expect(errorMessage(42)).toBe('Something went wrong.')
  })
})
