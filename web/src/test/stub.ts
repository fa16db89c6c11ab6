import { render } from '@testing-library/react'
import { createElement } from 'react'
import { MemoryRouter } from 'react-router'
import { vi } from 'vitest'
import App from '../App'
import type { Album } from '../api/types'
import { json, routeFetch } from './fixtures'

export const me = { id: 'u1', username: 'ada', is_admin: false, disabled: false, created_at: '2026-01-01T00:00:00Z' }
export const info = { version: '0.1.0', demo: false, open_registration: false, needs_setup: false, models: { state: 'ready' }, trash_days: 30 }

export function makeAlbum(id: string, over: Partial<Album> = {}): Album {
  return {
    id,
    name: `Album ${id}`,
    description: null,
    cover_image_id: null,
    image_count: 0,
    created_at: '2026-11-27T05:00:00Z',
    updated_at: '2026-11-27T05:00:00Z',
    owner: { id: 'u1', username: 'ada' },
    ...over,
  }
}

export type Call = { method: string; url: string; body: unknown; headers: Record<string, string> }
type Handler = (url: string, init: RequestInit) => Response | Promise<Response>

/** The session routes (signed in as ada, unless `signedOut`) plus `routes`; every request is recorded. */
export function stub(routes: Array<[RegExp, Handler]>, { signedOut = false } = {}) {
  const calls: Call[] = []
  // The test's own routes first: they may replace a session route (another /info).
  const route = routeFetch([
    ...routes,
    [/GET \/api\/v1\/info/, () => json(200, info)],
    [/GET \/api\/v1\/me$/, () => (signedOut ? json(401, { error: { code: 'unauthorized', message: 'sign in' } }) : json(200, me))],
    [/GET \/api\/v1\/timeline/, () => json(200, { buckets: [] })],
    [/GET \/api\/v1\/images\/\w+\/similar/, () => json(200, { items: [] })],
    [/GET \/api\/v1\/images\/\w+\/shares/, () => json(200, { items: [] })],
  ])
  vi.stubGlobal(
    'fetch',
    vi.fn((input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input)
      calls.push({
        method: (init.method ?? 'GET').toUpperCase(),
        url,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
        headers: (init.headers ?? {}) as Record<string, string>,
      })
      return route(input, init)
    }),
  )
  return calls
}

/** A bulk response: every id in `ids` works except those in `fail` (with that reason). */
export function bulkReply(ids: string[], fail: Record<string, string> = {}) {
  const results = ids.map((id) => (fail[id] ? { id, ok: false, error: { code: 'forbidden', message: fail[id] } } : { id, ok: true, error: null }))
  return json(200, { results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length })
}

export const renderAt = (path: string) => render(createElement(MemoryRouter, { initialEntries: [path] }, createElement(App)))
