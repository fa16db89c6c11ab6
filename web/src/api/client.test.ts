import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, requestHeaders, withQuery } from './client'
import { ApiError } from './errors'
import { createShare, deleteImage, listImages, patchImage, search } from './endpoints'

afterEach(() => vi.unstubAllGlobals())

function stubFetch(status: number, body: string, headers: Record<string, string> = {}) {
  const f = vi.fn(async (_url: string, _init?: RequestInit) => new Response(status === 204 ? null : body, { status, headers }))
  vi.stubGlobal('fetch', f)
  return f
}

describe('api client', () => {
  it('adds the CSRF header only to state-changing methods', () => {
    expect(requestHeaders('GET', false)['X-Banana-CSRF']).toBeUndefined()
    expect(requestHeaders('POST', true)['X-Banana-CSRF']).toBe('1')
    expect(requestHeaders('patch', true)['X-Banana-CSRF']).toBe('1')
    expect(requestHeaders('DELETE', false)['X-Banana-CSRF']).toBe('1')
    expect(requestHeaders('POST', true)['Content-Type']).toBe('application/json')
  })

  it('builds query strings, skipping empty values', () => {
    expect(withQuery('/x', { limit: 40, cursor: null, label: undefined, q: '' })).toBe('/x?limit=40')
    expect(withQuery('/x', {})).toBe('/x')
    expect(withQuery('/s', { q: 'a cat & a dog' })).toBe('/s?q=a+cat+%26+a+dog')
  })

  it('sends same-origin credentials and the CSRF header on PATCH with a JSON body', async () => {
    const f = stubFetch(200, '{"id":"i1"}')
    await patchImage('i1', { visibility: 'public' })
    const [url, init] = f.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/v1/images/i1')
    expect(init.method).toBe('PATCH')
    expect(init.credentials).toBe('same-origin')
    expect((init.headers as Record<string, string>)['X-Banana-CSRF']).toBe('1')
    expect(JSON.parse(init.body as string)).toEqual({ visibility: 'public' })
  })

  it('returns undefined for 204', async () => {
    stubFetch(204, '')
    await expect(deleteImage('x')).resolves.toBeUndefined()
  })

  it('throws ApiError with the server message', async () => {
    stubFetch(400, '{"error":{"code":"bad_request","message":"q must not be empty"}}')
    const err = await search({ q: ' ' }).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.message).toBe('q must not be empty')
    expect(err.status).toBe(400)
  })

  it('turns network failure into a network_error ApiError', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch') }))
    const err = (await api('/x').catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('network_error')
  })

  it('passes list parameters and share expiry the way the API expects', async () => {
    const f = stubFetch(200, '{"items":[],"next_cursor":null}')
    await listImages({ limit: 40, cursor: 'c1', label: 'L' })
    expect((f.mock.calls[0] as unknown[])[0]).toBe('/api/v1/images?limit=40&cursor=c1&label=L')
    stubFetch(201, '{"id":"s","token":"t","url":"/s/t","expires_at":null,"created_at":"x"}')
    const f2 = vi.mocked(fetch)
    await createShare('img 1', 3600)
    const [url, init] = f2.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/v1/images/img%201/shares')
    expect(JSON.parse(init.body as string)).toEqual({ expires_in: 3600 })
  })
})
