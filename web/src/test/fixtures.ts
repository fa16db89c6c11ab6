import type { Image } from '../api/types'

export function makeImage(id: string, over: Partial<Image> = {}): Image {
  return {
    id,
    filename: `${id}.jpg`,
    title: null,
    attribution: null,
    content_type: 'image/jpeg',
    bytes: 1000,
    width: 400,
    height: 300,
    sha256: 'f'.repeat(64),
    created_at: '2026-11-27T05:00:00Z',
    status: 'ready',
    status_reason: null,
    visibility: 'private',
    owner: { id: 'u1', username: 'ada' },
    labels: [{ id: `L-${id}`, name: 'tabby, tabby cat', wnid: 'n02123045', score: 0.83, source: 'model' }],
    predictions: [{ id: `L-${id}`, name: 'tabby, tabby cat', wnid: 'n02123045', score: 0.83 }],
    taken_at: '2008-10-22T16:29:49+02:00',
    taken_at_source: 'exif',
    camera: { make: 'NIKON', model: 'COOLPIX P6000', lens: null, focal_length_mm: 6, f_number: 2.7, exposure_time_s: 0.004, iso: 64 },
    location: { lat: 43.4671, lon: 11.8853, city: 'Arezzo', region: 'Tuscany', country: 'Italy', country_code: 'IT' },
    favorite: false,
    tags: [],
    text: [],
    faces: [],
    face_count: 0,
    colors: [],
    urls: {
      original: `/api/v1/images/${id}/original`,
      thumbnail: `/api/v1/images/${id}/thumbnail`,
      preview: `/api/v1/images/${id}/preview`,
    },
    ...over,
  }
}

export function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

/** Route fetch calls by "METHOD path" prefix; unmatched → 404 JSON. */
export function routeFetch(routes: Array<[RegExp, (url: string, init: RequestInit) => Response | Promise<Response>]>) {
  return async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input.toString()
    const key = `${(init.method ?? 'GET').toUpperCase()} ${url}`
    for (const [re, h] of routes) if (re.test(key)) return h(url, init)
    return json(404, { error: { code: 'not_found', message: `no route for ${key}` } })
  }
}
