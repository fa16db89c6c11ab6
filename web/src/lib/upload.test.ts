import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeXHR } from '../test/fakeXhr'
import { makeImage } from '../test/fixtures'
import { buildUploadForm, classifyUploadResponse, looksLikeImage, uploadFile } from './upload'

describe('classifyUploadResponse', () => {
  it('201 → done with the image', () => {
    const o = classifyUploadResponse(201, JSON.stringify(makeImage('a')))
    expect(o.kind).toBe('done')
    if (o.kind === 'done') expect(o.image.id).toBe('a')
  })
  it('200 demo → done (demo image)', () => {
    const o = classifyUploadResponse(200, JSON.stringify({ ...makeImage('d'), demo: true, urls: null }))
    expect(o.kind === 'done' && o.image.demo).toBe(true)
  })
  it('409 → duplicate with the existing id', () => {
    const o = classifyUploadResponse(409, '{"error":{"code":"duplicate","message":"already uploaded","image_id":"old1"}}')
    expect(o).toEqual({ kind: 'duplicate', imageId: 'old1', message: 'already uploaded' })
  })
  it('415/422/413 → rejected with the server message', () => {
    expect(classifyUploadResponse(415, '{"error":{"code":"unsupported_media_type","message":"not an image we accept"}}')).toEqual({
      kind: 'rejected',
      status: 415,
      code: 'unsupported_media_type',
      message: 'not an image we accept',
    })
    const big = classifyUploadResponse(413, '')
    expect(big.kind === 'rejected' && big.message).toMatch(/too large/i)
  })
  it('a 2xx with a broken body is reported, not thrown', () => {
    expect(classifyUploadResponse(201, 'not json').kind).toBe('rejected')
  })
})

describe('buildUploadForm', () => {
  it('adds trimmed optional fields and the file', () => {
    const f = new File(['x'], 'cat.jpg', { type: 'image/jpeg' })
    const fd = buildUploadForm(f, { title: '  My cat ', attribution: '', visibility: 'public' })
    expect(fd.get('title')).toBe('My cat')
    expect(fd.has('attribution')).toBe(false)
    expect(fd.get('visibility')).toBe('public')
    expect((fd.get('file') as File).name).toBe('cat.jpg')
    expect([...fd.keys()].at(-1)).toBe('file')
  })
})

describe('uploadFile', () => {
  beforeEach(() => {
    FakeXHR.reset()
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('POSTs to the images endpoint with the CSRF header and reports progress', async () => {
    const progress: number[] = []
    const h = uploadFile(new File(['abc'], 'a.png', { type: 'image/png' }), {}, (p) => progress.push(p))
    const x = FakeXHR.instances[0]
    expect(x.method).toBe('POST')
    expect(x.url).toBe('/api/v1/images')
    expect(x.headers['X-Banana-CSRF']).toBe('1')
    x.progress(25, 100)
    x.progress(100, 100)
    x.respond(201, makeImage('new'))
    const o = await h.promise
    expect(o.kind).toBe('done')
    expect(progress).toEqual([0.25, 1, 1])
  })

  it('reports a network error and an abort as rejected', async () => {
    const h1 = uploadFile(new File(['a'], 'a.jpg'), {}, () => {})
    FakeXHR.instances[0].fail()
    expect((await h1.promise).kind).toBe('rejected')
    const h2 = uploadFile(new File(['a'], 'b.jpg'), {}, () => {})
    h2.abort()
    const o = await h2.promise
    expect(o.kind === 'rejected' && o.code).toBe('aborted')
  })
})

describe('looksLikeImage', () => {
  it('accepts image types and image extensions, rejects others', () => {
    expect(looksLikeImage({ name: 'x.heic', type: 'image/heic' })).toBe(true)
    expect(looksLikeImage({ name: 'IMG_1.JPG', type: '' })).toBe(true)
    expect(looksLikeImage({ name: 'notes.txt', type: 'text/plain' })).toBe(false)
  })
})
