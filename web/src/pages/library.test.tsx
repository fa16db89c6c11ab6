import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearGalleries } from '../lib/galleryCache'
import { clearNavMemory } from '../lib/nav'
import { json, makeImage } from '../test/fixtures'
import { bulkReply, info, makeAlbum, renderAt, stub } from '../test/stub'
import { trashDates } from './TrashPage'

beforeEach(() => {
  clearGalleries()
  clearNavMemory()
})
afterEach(() => vi.unstubAllGlobals())

const entry = (id: string, day: string, purge: string | null = '2026-12-27T12:00:00Z') => ({
  image: makeImage(id, { title: `Photo ${id}` }),
  trashed_at: `${day}T12:00:00Z`,
  purge_at: purge,
})

describe('trash', () => {
  it('says when each photo was deleted and when it goes for good', () => {
    expect(trashDates({ trashed_at: '2026-11-27T12:00:00Z', purge_at: '2026-12-27T12:00:00Z' })).toBe('Deleted 27 Nov 2026 · removed for good on 27 Dec 2026')
    expect(trashDates({ trashed_at: '2026-11-27T12:00:00Z', purge_at: null })).toBe('Deleted 27 Nov 2026')
  })

  it('lists the trash, restores one photo, and pages by cursor', async () => {
    const calls = stub([
      [/GET \/api\/v1\/trash\?limit=60$/, () => json(200, { items: [entry('t1', '2026-11-27'), entry('t2', '2026-11-26')], next_cursor: 'c2' })],
      [/GET \/api\/v1\/trash\?limit=60&cursor=c2$/, () => json(200, { items: [entry('t3', '2026-11-20', null)], next_cursor: null })],
      [/POST \/api\/v1\/trash\/restore$/, () => json(200, { restored: 1 })],
    ])
    renderAt('/trash')
    await waitFor(() => expect(screen.getAllByTestId('trash-item')).toHaveLength(2))
    expect(screen.getByTestId('trash-title').textContent).toBe('Trash')
    expect(screen.getByText(/deleted for good after 30 days/)).toBeTruthy()
    expect(screen.getAllByTestId('trash-dates')[0].textContent).toBe('Deleted 27 Nov 2026 · removed for good on 27 Dec 2026')
    // in the header's menu
    fireEvent.click(screen.getByTestId('nav-account'))
    expect(screen.getByTestId('menu-trash').getAttribute('aria-current')).toBe('page')
    expect(screen.getByTestId('menu-duplicates').getAttribute('href')).toBe('/duplicates')
    fireEvent.click(screen.getByTestId('nav-account'))
    // thumbnails still show for the owner
    expect(within(screen.getAllByTestId('trash-item')[0]).getByRole('img').getAttribute('src')).toBe('/api/v1/images/t1/thumbnail')

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }))
    await waitFor(() => expect(screen.getAllByTestId('trash-item')).toHaveLength(3))

    fireEvent.click(within(screen.getAllByTestId('trash-item')[0]).getByTestId('restore-one'))
    await waitFor(() => expect(screen.getAllByTestId('trash-item').map((t) => t.dataset.imageId)).toEqual(['t2', 't3']))
    expect(screen.getByTestId('trash-notice').textContent).toBe('Restored “Photo t1”.')
    expect(calls.find((c) => c.url === '/api/v1/trash/restore')!.body).toEqual({ image_ids: ['t1'] })
  })

  it('restores several from the bar', async () => {
    const calls = stub([
      [/GET \/api\/v1\/trash/, () => json(200, { items: ['t1', 't2', 't3'].map((id) => entry(id, '2026-11-27')), next_cursor: null })],
      [/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids, { t3: 'already gone' })],
    ])
    renderAt('/trash')
    await waitFor(() => expect(screen.getAllByTestId('trash-item')).toHaveLength(3))
    const items = () => screen.getAllByTestId('trash-item')
    // a click on the picture selects (there is nothing to open)
    fireEvent.click(within(items()[0]).getByRole('button', { name: 'Select Photo t1' }))
    fireEvent.click(within(items()[2]).getByTestId('tile-select'), { shiftKey: true })
    expect(items().map((t) => t.dataset.selected)).toEqual(['true', 'true', 'true'])
    expect(screen.getByTestId('bulk-delete-forever')).toHaveProperty('disabled', false)
    fireEvent.click(within(items()[1]).getByTestId('tile-select'))
    expect(screen.queryByTestId('bulk-trash')).toBeNull()

    fireEvent.click(screen.getByTestId('bulk-restore'))
    await waitFor(() => expect(screen.getByTestId('bulk-result-text').textContent).toBe('Restored: 1 done, 1 failed'))
    expect(items().map((t) => t.dataset.imageId)).toEqual(['t2', 't3'])
    expect(calls.find((c) => c.url === '/api/v1/images/bulk')!.body).toEqual({ image_ids: ['t1', 't3'], action: 'restore' })
    expect(screen.getByTestId('bulk-result').textContent).toContain('already gone')
  })

  it('deletes the selected photos for good after asking (bulk purge)', async () => {
    const calls = stub([
      [/GET \/api\/v1\/trash/, () => json(200, { items: ['t1', 't2', 't3'].map((id) => entry(id, '2026-11-27')), next_cursor: null })],
      [/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids, {})],
    ])
    renderAt('/trash')
    const items = () => screen.getAllByTestId('trash-item')
    await waitFor(() => expect(items()).toHaveLength(3))
    fireEvent.click(within(items()[0]).getByRole('button', { name: 'Select Photo t1' }))
    fireEvent.click(within(items()[1]).getByTestId('tile-select'))
    fireEvent.click(screen.getByTestId('bulk-delete-forever'))
    fireEvent.click(await screen.findByRole('button', { name: 'Delete for good' }))
    await waitFor(() => expect(items().map((t) => t.dataset.imageId)).toEqual(['t3']))
    expect(calls.find((c) => c.url === '/api/v1/images/bulk')!.body).toEqual({ action: 'purge', image_ids: ['t1', 't2'] })
    expect(screen.getByTestId('trash-notice').textContent).toBe('Deleted 2 photos for good.')
  })

  it('empties the trash after asking, then shows the empty state', async () => {
    const calls = stub([
      [/GET \/api\/v1\/trash/, () => json(200, { items: [entry('t1', '2026-11-27'), entry('t2', '2026-11-27')], next_cursor: null })],
      [/DELETE \/api\/v1\/trash$/, () => json(200, { purged: 2 })],
    ])
    renderAt('/trash')
    fireEvent.click(await screen.findByTestId('empty-trash'))
    const dialog = screen.getByRole('alertdialog', { name: 'Empty the trash?' })
    expect(dialog.textContent).toContain('All 2 photos')
    expect(dialog.textContent).toContain('cannot be undone')
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)
    fireEvent.click(within(dialog).getByTestId('confirm-button'))
    expect((await screen.findByTestId('trash-empty')).textContent).toContain('The trash is empty')
    expect(screen.getByTestId('trash-notice').textContent).toBe('Deleted 2 photos for good.')
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/v1/trash'])
    expect(screen.queryByTestId('empty-trash')).toBeNull()
  })
})

describe('duplicates', () => {
  const group = (ids: string[], similarity = 0.98) => ({
    images: ids.map((id, i) => makeImage(id, { width: 4000 - i * 1000, height: 3000 - i * 750, bytes: 3_000_000 - i * 1_000_000 })),
    similarity,
  })

  it('shows groups side by side, keeps the first unless told otherwise, and trashes the others of a group', async () => {
    const calls = stub([
      [/GET \/api\/v1\/duplicates$/, () => json(200, { groups: [group(['a1', 'a2', 'a3']), group(['b1', 'b2'])], threshold: 0.95 })],
      [/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids)],
    ])
    renderAt('/duplicates')
    await waitFor(() => expect(screen.getAllByTestId('duplicate-group')).toHaveLength(2))
    expect(screen.getByTestId('duplicates-summary').textContent).toBe('2 groups · 3 copies to review')
    const first = () => screen.getAllByTestId('duplicate-group')[0]
    const items = within(first()).getAllByTestId('duplicate-item')
    expect(items.map((i) => i.dataset.keep)).toEqual(['true', 'false', 'false'])
    expect(within(items[0]).getByTestId('duplicate-size').textContent).toBe('4000 × 3000 · 2.9 MB')
    expect(within(items[0]).getByText('Suggested')).toBeTruthy()
    expect(within(first()).getByText(/98% alike/)).toBeTruthy()

    // keep the second instead
    fireEvent.click(within(items[1]).getByTestId('keep-choice'))
    expect(within(first()).getAllByTestId('duplicate-item').map((i) => i.dataset.keep)).toEqual(['false', 'true', 'false'])
    fireEvent.click(within(first()).getByTestId('trash-others'))
    await waitFor(() => expect(screen.getAllByTestId('duplicate-group')).toHaveLength(1))
    expect(calls.find((c) => c.url === '/api/v1/images/bulk')!.body).toEqual({ image_ids: ['a1', 'a3'], action: 'trash' })
    expect(screen.getByTestId('toast-text').textContent).toBe('Moved to trash: 2 done')
    expect(within(first()).getAllByTestId('duplicate-item').map((i) => i.dataset.imageId)).toEqual(['b1', 'b2'])
  })

  it('trashes the others of every group after asking; a failure stays with its group', async () => {
    const calls = stub([
      [/GET \/api\/v1\/duplicates$/, () => json(200, { groups: [group(['a1', 'a2']), group(['b1', 'b2', 'b3'])], threshold: 0.95 })],
      [/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids, { b3: 'database is busy' })],
    ])
    renderAt('/duplicates')
    fireEvent.click(await screen.findByTestId('trash-all-duplicates'))
    const dialog = screen.getByRole('alertdialog', { name: 'Move 3 copies to the trash?' })
    fireEvent.click(within(dialog).getByTestId('confirm-button'))
    await waitFor(() => expect(screen.getAllByTestId('duplicate-group')).toHaveLength(1))
    expect(calls.find((c) => c.url === '/api/v1/images/bulk')!.body).toEqual({ image_ids: ['a2', 'b2', 'b3'], action: 'trash' })
    const left = screen.getByTestId('duplicate-group')
    expect(within(left).getAllByTestId('duplicate-item').map((i) => i.dataset.imageId)).toEqual(['b1', 'b3'])
    expect(within(left).getByRole('alert').textContent).toBe('1 not moved: database is busy')
    expect(screen.getByTestId('toast-text').textContent).toBe('Moved to trash: 2 done, 1 failed')
  })

  it('has an empty state', async () => {
    stub([[/GET \/api\/v1\/duplicates$/, () => json(200, { groups: [], threshold: 0.95 })]])
    renderAt('/duplicates')
    expect((await screen.findByTestId('duplicates-empty')).textContent).toContain('No duplicates')
    expect(screen.queryByTestId('trash-all-duplicates')).toBeNull()
  })
})

describe('album sharing and download', () => {
  it('makes, lists and revokes album share links; the album downloads as a ZIP', async () => {
    const share = { id: 'ash1', created_at: '2026-11-27T05:00:00Z', expires_at: '2099-01-01T00:00:00Z', token: 'albtok123', url: '/s/albtok123' }
    const calls = stub([
      [/GET \/api\/v1\/albums\/al1$/, () => json(200, makeAlbum('al1', { name: 'Italy', image_count: 2 }))],
      [/GET \/api\/v1\/albums\/al1\/shares$/, () => json(200, { items: [] })],
      [/POST \/api\/v1\/albums\/al1\/shares$/, () => json(201, share)],
      [/DELETE \/api\/v1\/albums\/al1\/shares\/ash1$/, () => json(204, null)],
      [/GET \/api\/v1\/images\?/, () => json(200, { items: [makeImage('p1'), makeImage('p2')], next_cursor: null })],
    ])
    renderAt('/albums/al1')
    expect((await screen.findByTestId('download-album')).getAttribute('href')).toBe('/api/v1/albums/al1/download')
    fireEvent.click(screen.getByTestId('share-album'))
    const panel = await screen.findByTestId('album-share-panel')
    await within(panel).findByText('No active links.')
    fireEvent.change(within(panel).getByTestId('share-expiry'), { target: { value: String(86400) } })
    fireEvent.click(within(panel).getByTestId('create-share'))
    const url = (await within(panel).findByTestId('share-url')) as HTMLInputElement
    expect(url.value).toBe(`${window.location.origin}/s/albtok123`)
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ expires_in: 86400 })
    expect(within(panel).getAllByTestId('share-item')).toHaveLength(1)
    fireEvent.click(within(panel).getByTestId('revoke-share'))
    await within(panel).findByText('No active links.')
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/v1/albums/al1/shares/ash1'])
  })
})

describe('a shared album', () => {
  const shared = (id: string) => makeImage(id, { urls: { original: `/api/v1/shared/tok/images/${id}/original`, thumbnail: `/api/v1/shared/tok/images/${id}/thumbnail`, preview: `/api/v1/shared/tok/images/${id}/preview` } })

  it('shows the album, its photos by page, each one large, and a download link — signed out', async () => {
    const calls = stub(
      [
        [/GET \/api\/v1\/shared\/tok$/, () => json(200, { album: { name: 'Italy', description: 'Tuscany, 2008', image_count: 3 }, images: [shared('p1'), shared('p2')], next_cursor: 'c2' })],
        [/GET \/api\/v1\/shared\/tok\?cursor=c2$/, () => json(200, { album: { name: 'Italy', description: 'Tuscany, 2008', image_count: 3 }, images: [shared('p3')], next_cursor: null })],
      ],
      { signedOut: true },
    )
    renderAt('/s/tok')
    expect((await screen.findByTestId('shared-album-title')).textContent).toBe('Italy')
    expect(screen.getByTestId('shared-album-description').textContent).toBe('Tuscany, 2008')
    expect(screen.getByTestId('shared-album-count').textContent).toBe('3 photos')
    expect(screen.getByTestId('shared-album-download').getAttribute('href')).toBe('/api/v1/shared/tok/download')
    const items = () => screen.getAllByTestId('shared-album-item')
    expect(items()).toHaveLength(2)
    expect(within(items()[0]).getByRole('img').getAttribute('src')).toBe('/api/v1/shared/tok/images/p1/thumbnail')
    // no selection, no hearts for a visitor
    expect(screen.queryByTestId('tile-select')).toBeNull()
    expect(screen.queryByTestId('tile-favorite')).toBeNull()

    fireEvent.click(screen.getByTestId('shared-album-more'))
    await waitFor(() => expect(items()).toHaveLength(3))
    expect(calls.map((c) => c.url)).toContain('/api/v1/shared/tok?cursor=c2')

    fireEvent.click(within(items()[1]).getByRole('link'))
    const box = await screen.findByTestId('shared-lightbox')
    expect(within(box).getByTestId('shared-preview').getAttribute('src')).toBe('/api/v1/shared/tok/images/p2/preview')
    expect(within(box).getByText('2 of 3')).toBeTruthy()
    fireEvent.keyDown(window, { key: 'ArrowRight' })
    await waitFor(() => expect(within(screen.getByTestId('shared-lightbox')).getByTestId('shared-preview').getAttribute('src')).toBe('/api/v1/shared/tok/images/p3/preview'))
    expect(screen.queryByTestId('lightbox-next')).toBeNull()
    fireEvent.keyDown(window, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByTestId('shared-lightbox')).toBeNull())
  })

  it('still shows a single shared image, and says when a link is gone', async () => {
    stub(
      [
        [/GET \/api\/v1\/shared\/img$/, () => json(200, shared('p1'))],
        [/GET \/api\/v1\/shared\/gone$/, () => json(404, { error: { code: 'not_found', message: 'no such link' } })],
      ],
      { signedOut: true },
    )
    const view = renderAt('/s/img')
    expect((await screen.findByTestId('shared-preview')).getAttribute('src')).toBe('/api/v1/shared/tok/images/p1/preview')
    expect(screen.queryByTestId('shared-album')).toBeNull()
    view.unmount()
    renderAt('/s/gone')
    expect(await screen.findByTestId('shared-gone')).toBeTruthy()
  })
})

describe('a server without a trash (trash_days 0)', () => {
  it('the bar says Delete and asks first; the image page asks too; nothing offers Undo', async () => {
    const calls = stub([
      [/GET \/api\/v1\/info/, () => json(200, { ...info, trash_days: 0 })],
      [/GET \/api\/v1\/images\?/, () => json(200, { items: [makeImage('a'), makeImage('b')], next_cursor: null })],
      [/GET \/api\/v1\/images\/b$/, () => json(200, makeImage('b', { title: 'Bee' }))],
      [/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids)],
    ])
    renderAt('/')
    await screen.findAllByTestId('tile-select')
    await act(async () => {})
    fireEvent.click(within(screen.getAllByTestId('gallery-item')[0]).getByTestId('tile-select'))
    const del = screen.getByTestId('bulk-trash')
    await waitFor(() => expect(del.textContent).toBe('Delete'))
    fireEvent.click(del)
    const dialog = screen.getByRole('alertdialog', { name: 'Delete 1 photo?' })
    expect(calls.some((c) => c.url === '/api/v1/images/bulk')).toBe(false)
    fireEvent.click(within(dialog).getByTestId('confirm-button'))
    await waitFor(() => expect(screen.getByTestId('bulk-result-text').textContent).toBe('Deleted: 1 done'))
    expect(screen.queryByTestId('bulk-undo')).toBeNull()
    expect(screen.getAllByTestId('gallery-item').map((t) => t.dataset.imageId)).toEqual(['b'])
  })

  it('the image page deletes after a confirmation', async () => {
    stub([
      [/GET \/api\/v1\/info/, () => json(200, { ...info, trash_days: 0 })],
      [/GET \/api\/v1\/images\/b$/, () => json(200, makeImage('b', { title: 'Bee' }))],
    ])
    renderAt('/images/b')
    fireEvent.click(await screen.findByTestId('delete-image'))
    expect(screen.getByRole('alertdialog', { name: 'Delete this image?' }).textContent).toContain('cannot be undone')
    expect(screen.queryByTestId('trash-image')).toBeNull()
  })
})
