import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Image } from '../api/types'
import { clearGalleries } from '../lib/galleryCache'
import { clearNavMemory } from '../lib/nav'
import { json, makeImage } from '../test/fixtures'
import { me, renderAt, stub } from '../test/stub'

const tag = (name: string) => ({ id: `tag:${name}`, name, wnid: '', score: 1, source: 'user' as const })
const model = (id: string, name: string, score = 0.8) => ({ id, name, wnid: id, score, source: 'model' as const })

function serve(img: Image, extra: Parameters<typeof stub>[0] = []) {
  return stub([...extra, [/GET \/api\/v1\/images\/\w+$/, () => json(200, img)]])
}

beforeEach(() => {
  clearGalleries()
  clearNavMemory()
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('text in photo', () => {
  it('lists the lines read, and is hidden when there are none', async () => {
    serve(makeImage('a', { text: [{ text: 'OPEN 24 HOURS', box: [0.1, 0.1, 0.5, 0.1], score: 0.9 }, { text: 'Main St', box: [0.1, 0.3, 0.3, 0.1], score: 0.8 }] }))
    renderAt('/images/a')
    const block = await screen.findByTestId('info-text')
    expect(within(block).getByText('Text in photo')).toBeTruthy()
    expect(within(block).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['OPEN 24 HOURS', 'Main St'])
  })
  it('is hidden without text', async () => {
    serve(makeImage('a'))
    renderAt('/images/a')
    await screen.findByTestId('info-panel')
    expect(screen.queryByTestId('info-text')).toBeNull()
  })
})

describe('colour swatches', () => {
  it('shows one swatch per colour with its hex, name and share', async () => {
    serve(makeImage('a', { colors: [{ name: 'red', hex: '#cc2211', fraction: 0.342 }, { name: 'white', hex: '#fafafa', fraction: 0.2 }] }))
    renderAt('/images/a')
    const sw = await screen.findAllByTestId('color-swatch')
    expect(sw).toHaveLength(2)
    expect(screen.getByRole('img', { name: 'red 34%' })).toBe(sw[0])
    expect(sw[0].getAttribute('title')).toBe('red 34%')
    expect(sw[0].style.background).toMatch(/#cc2211|rgb\(204, 34, 17\)/)
    expect(sw[1].getAttribute('aria-label')).toBe('white 20%')
  })
  it('is hidden without colours', async () => {
    serve(makeImage('a'))
    renderAt('/images/a')
    await screen.findByTestId('info-panel')
    expect(screen.queryByTestId('info-colors')).toBeNull()
  })
})

describe('people', () => {
  it('the owner sees the count and the face boxes over the photo on hover of the row or the photo', async () => {
    serve(makeImage('a', { face_count: 2, faces: [{ box: [0.1, 0.2, 0.3, 0.4], score: 0.9 }, { box: [0.5, 0.5, 0.1, 0.1], score: 0.8 }] }))
    renderAt('/images/a')
    const row = await screen.findByTestId('info-faces')
    expect(row.textContent).toBe('2 faces')
    expect(screen.queryByTestId('face-overlay')).toBeNull()
    fireEvent.mouseEnter(row.firstElementChild!)
    const boxes = screen.getAllByTestId('face-box')
    expect(boxes).toHaveLength(2)
    expect(boxes[0].style.left).toBe('10%')
    expect(boxes[0].style.top).toBe('20%')
    expect(boxes[0].style.width).toBe('30%')
    expect(boxes[0].style.height).toBe('40%')
    // Inside the frame that has the photo's aspect ratio, next to the image (nothing is cropped).
    expect(screen.getByTestId('face-overlay').parentElement).toBe(screen.getByTestId('image-preview').parentElement)
    fireEvent.mouseLeave(row.firstElementChild!)
    expect(screen.queryByTestId('face-overlay')).toBeNull()
    fireEvent.mouseEnter(screen.getByTestId('image-preview').parentElement!)
    expect(screen.getAllByTestId('face-box')).toHaveLength(2)
  })
  it('others see only the count; no row without faces', async () => {
    serve(makeImage('a', { owner: { id: 'u2', username: 'bob' }, face_count: 1, faces: [] }))
    renderAt('/images/a')
    expect((await screen.findByTestId('info-faces')).textContent).toBe('1 face')
    fireEvent.mouseEnter(screen.getByTestId('info-faces').firstElementChild!)
    fireEvent.mouseEnter(screen.getByTestId('image-preview').parentElement!)
    expect(screen.queryByTestId('face-overlay')).toBeNull()
  })
  it('has no people row when no face was found', async () => {
    serve(makeImage('a'))
    renderAt('/images/a')
    await screen.findByTestId('info-panel')
    expect(screen.queryByTestId('info-faces')).toBeNull()
  })
})

describe('tags and labels', () => {
  it('the owner adds a tag with Enter and removes one with ×; the page shows the returned image', async () => {
    const base = makeImage('a', { tags: ['beach'], labels: [tag('beach'), model('n1', 'seashore, coast')] })
    const added = makeImage('a', { tags: ['beach', 'summer'], labels: [tag('beach'), tag('summer'), model('n1', 'seashore, coast')] })
    const removed = makeImage('a', { tags: ['summer'], labels: [tag('summer'), model('n1', 'seashore, coast')] })
    const calls = serve(base, [
      [/POST \/api\/v1\/images\/a\/tags$/, () => json(200, added)],
      [/DELETE \/api\/v1\/images\/a\/tags\/beach$/, () => json(200, removed)],
    ])
    renderAt('/images/a')
    const input = await screen.findByLabelText('Add tag')
    expect(screen.getAllByTestId('tag-chip').map((c) => c.querySelector('a')!.textContent)).toEqual(['beach'])
    // Tags are not repeated among the model's labels.
    expect(screen.getAllByTestId('image-label').map((l) => l.textContent)).toEqual(['seashore80%'])
    fireEvent.change(input, { target: { value: ' summer ' } })
    fireEvent.submit(input.closest('form')!)
    await waitFor(() => expect(screen.getAllByTestId('tag-chip')).toHaveLength(2))
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.url).toBe('/api/v1/images/a/tags')
    expect(post.body).toEqual({ name: 'summer' })
    expect(post.headers['X-Banana-CSRF']).toBe('1')
    expect((input as HTMLInputElement).value).toBe('')
    fireEvent.click(screen.getByRole('button', { name: 'Remove tag beach' }))
    await waitFor(() => expect(screen.getAllByTestId('tag-chip').map((c) => c.querySelector('a')!.textContent)).toEqual(['summer']))
    const del = calls.find((c) => c.method === 'DELETE')!
    expect(del.url).toBe('/api/v1/images/a/tags/beach')
    expect(del.headers['X-Banana-CSRF']).toBe('1')
  })

  it('a refused tag shows an error toast and keeps the typed name', async () => {
    const calls = serve(makeImage('a'), [[/POST \/api\/v1\/images\/a\/tags$/, () => json(400, { error: { code: 'bad_request', message: 'A tag is 1–50 characters.' } })]])
    renderAt('/images/a')
    const input = await screen.findByLabelText('Add tag')
    fireEvent.change(input, { target: { value: 'x' } })
    fireEvent.submit(input.closest('form')!)
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/v1/images/a/tags']))
    await waitFor(() => expect(screen.getByTestId('toast-text').textContent).toBe('Could not add the tag: A tag is 1–50 characters.'))
    expect((screen.getByLabelText('Add tag') as HTMLInputElement).value).toBe('x')
  })

  it('the owner rejects a model label ("Not this")', async () => {
    const base = makeImage('a', { labels: [model('n1', 'seashore, coast'), model('n2', 'sandbar', 0.4)] })
    const after = makeImage('a', { labels: [model('n1', 'seashore, coast')] })
    const calls = serve(base, [[/DELETE \/api\/v1\/images\/a\/labels\/n2$/, () => json(200, after)]])
    renderAt('/images/a')
    await screen.findAllByTestId('image-label')
    fireEvent.click(screen.getByRole('button', { name: 'Not this: remove “sandbar”' }))
    await waitFor(() => expect(screen.getAllByTestId('image-label')).toHaveLength(1))
    const del = calls.find((c) => c.method === 'DELETE')!
    expect(del.url).toBe('/api/v1/images/a/labels/n2')
    expect(del.headers['X-Banana-CSRF']).toBe('1')
  })

  it('someone else sees the tags as links, with no editing and no "Not this"', async () => {
    serve(makeImage('a', { owner: { id: 'u2', username: 'bob' }, visibility: 'public', tags: ['beach'], labels: [tag('beach'), model('n1', 'seashore')] }))
    renderAt('/images/a')
    const row = await screen.findByTestId('info-tags')
    expect(within(row).getByRole('link', { name: 'beach' })).toBeTruthy()
    expect(screen.queryByLabelText('Add tag')).toBeNull()
    expect(screen.queryByTestId('remove-tag')).toBeNull()
    expect(screen.queryByTestId('reject-label')).toBeNull()
  })

  it('an admin may edit tags of another user but not reject their labels', async () => {
    stub([[/GET \/api\/v1\/me$/, () => json(200, { ...me, is_admin: true })], [/GET \/api\/v1\/images\/\w+$/, () => json(200, makeImage('a', { owner: { id: 'u2', username: 'bob' } }))]])
    renderAt('/images/a')
    expect(await screen.findByLabelText('Add tag')).toBeTruthy()
    expect(screen.queryByTestId('reject-label')).toBeNull()
  })
})

describe('alt text', () => {
  it('is the title when there is one', async () => {
    serve(makeImage('a', { title: 'Sunset at sea' }))
    renderAt('/images/a')
    expect((await screen.findByTestId('image-preview')).getAttribute('alt')).toBe('Sunset at sea')
  })
  it('else the first three trusted labels (tags first), never the predictions', async () => {
    serve(
      makeImage('a', {
        labels: [tag('grandma'), model('n1', 'seashore, coast'), model('n2', 'sandbar'), model('n3', 'lakeside')],
        predictions: [model('n9', 'volcano', 0.05)],
      }),
    )
    renderAt('/images/a')
    const alt = (await screen.findByTestId('image-preview')).getAttribute('alt')
    expect(alt).toBe('grandma, seashore, sandbar')
    expect(alt).not.toMatch(/volcano/)
  })
  it('else "Photo"', async () => {
    serve(makeImage('a', { labels: [], predictions: [model('n9', 'volcano', 0.05)] }))
    renderAt('/images/a')
    expect((await screen.findByTestId('image-preview')).getAttribute('alt')).toBe('Photo')
  })
})
