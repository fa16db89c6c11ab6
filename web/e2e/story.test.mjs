// End-to-end story for the Banana web UI, driven by playwright-core and Debian's Chromium
// against a running `banana serve` (with real models). Run with `npm run e2e`.
//
// Environment:
//   BANANA_URL            server to test (default http://127.0.0.1:8000); should be a fresh server
//   BANANA_SAMPLES        folder with the ImageNet sample photos (default ../../../shared/data/imagenet-sample)
//   BANANA_EXIF_SAMPLES   folder with the camera/phone samples (default: exif-samples beside BANANA_SAMPLES);
//                         the #15 steps (HEIC upload, timeline, info panel, places) skip when it is absent
//   E2E_SCREENSHOTS       where screenshots go (default web/test-results/e2e-screenshots)
//   CHROMIUM_PATH         browser binary (default /usr/bin/chromium)
//   E2E_LABEL_TIMEOUT_MS  how long labeling may take (default 180000: first run may fetch models)
//   E2E_USERNAME / E2E_PASSWORD  account to use when the server does not allow registration
//   E2E_VIEWPORT          `desktop` (default, 1280×900) or `phone` (390×844, touch); screenshots of a
//                         phone run end in `-phone`
//
// Every screenshot is taken twice, in light and in dark mode (`prefers-color-scheme` emulated):
// `NN-name-light.png`, `NN-name-dark.png` (`-light-phone` / `-dark-phone` in a phone run).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = path.dirname(fileURLToPath(import.meta.url))
const BASE = (process.env.BANANA_URL ?? 'http://127.0.0.1:8000').replace(/\/$/, '')
const SAMPLES = process.env.BANANA_SAMPLES ?? path.resolve(here, '../../../shared/data/imagenet-sample')
const SHOTS = process.env.E2E_SCREENSHOTS ?? path.resolve(here, '../test-results/e2e-screenshots')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const LABEL_TIMEOUT = Number(process.env.E2E_LABEL_TIMEOUT_MS ?? 180000)
const USERNAME = process.env.E2E_USERNAME ?? `e2e${Date.now().toString(36)}`
const PASSWORD = process.env.E2E_PASSWORD ?? 'e2e-correct-horse-battery'
const PHONE = process.env.E2E_VIEWPORT === 'phone'
const SUFFIX = PHONE ? '-phone' : ''

const PHOTOS = {
  tabby: 'n02123045_tabby.JPEG',
  mug: 'n03063599_coffee_mug.JPEG',
  volcano: 'n09472597_volcano.JPEG',
}
const SENTENCE = 'something to drink coffee from'
const EXIF_SAMPLES = process.env.BANANA_EXIF_SAMPLES ?? path.resolve(SAMPLES, '../exif-samples')
// #15: an iPhone HEIC (taken 2021-04-11 15:47:53 at -05:00, GPS near Kansas City, Missouri) and a
// Nikon JPEG with GPS (taken 2008-10-22 16:29:49, no offset recorded, in Arezzo, Italy).
const META_PHOTOS = {
  heic: 'heic/IMG_5195.HEIC',
  gps2008: 'jpg/gps/DSCN0012.jpg',
}
const haveMetaPhotos = Object.values(META_PHOTOS).every((f) => fs.existsSync(path.join(EXIF_SAMPLES, f)))

let browser
let ctx
let page
const problems = []
const ids = {}
let shareUrl = ''
let deleted = false
let searchSkipped = false

function watch(p, name) {
  p.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`))
  p.on('console', (m) => {
    if (m.type() !== 'error') return
    const text = m.text()
    const url = m.location()?.url ?? ''
    // The browser logs every non-2xx response. These are expected answers of the API:
    // the signed-out /me probe (401) and the share link after its image was deleted (404).
    if (/Failed to load resource/.test(text)) {
      if (/\/api\/v1\/me$/.test(url) && /401/.test(text)) return
      if (deleted && /\/api\/v1\/shared\//.test(url) && /404/.test(text)) return
      // Without search on the server, "more like this" (/similar) is missing too; the page hides it.
      if (searchSkipped && /\/api\/v1\/images\/[^/]+\/similar/.test(url) && /404/.test(text)) return
    }
    problems.push(`${name}: console error: ${text} ${url}`)
  })
}

/** A screenshot of the page as it is, in light and in dark mode (the theme follows the system). */
async function shot(p, name) {
  // Park the mouse in a corner so a hover highlight does not look like the active nav item.
  if (!PHONE) await p.mouse.move(1, (p.viewportSize()?.height ?? 600) - 1)
  for (const scheme of ['light', 'dark']) {
    await p.emulateMedia({ colorScheme: scheme })
    await p.waitForFunction((s) => document.documentElement.dataset.theme === s, scheme, { timeout: 3000 }).catch(() => {})
    await p.waitForTimeout(scheme === 'light' ? 250 : 120)
    await p.screenshot({ path: path.join(SHOTS, `${name}-${scheme}${SUFFIX}.png`), fullPage: false })
  }
  await p.emulateMedia({ colorScheme: 'light' })
}

/** Is this element on screen (not in a closed menu or hidden at this width)? */
const shown = async (loc) => (await loc.count()) > 0 && (await loc.first().isVisible())

/** Open the header menu (the avatar signed in, ☰ signed out) unless it is open. */
async function openMenu(p) {
  if (await shown(p.getByTestId('menu-panel'))) return
  const trigger = (await p.getByTestId('nav-account').count()) ? p.getByTestId('nav-account') : p.getByTestId('menu-button')
  await trigger.click()
  await p.getByTestId('menu-panel').waitFor()
}

/** Go to a section: its link in the header bar when shown (desktop), else the same in the menu. */
async function go(p, name) {
  const bar = p.getByTestId(`nav-${name}`)
  if (await shown(bar)) return bar.click()
  await openMenu(p)
  await p.getByTestId((await p.getByTestId(`menu-${name}`).count()) ? `menu-${name}` : `nav-${name}`).click()
}

async function signOut(p) {
  await openMenu(p)
  await p.getByTestId('sign-out').click()
}

/** Search from the header (a phone opens the field with the search button first). */
async function searchFor(p, q) {
  if (!(await shown(p.getByTestId('search-input')))) await p.getByTestId('search-toggle').click()
  await p.getByTestId('search-input').fill(q)
  await p.getByTestId('search-input').press('Enter')
}

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true })
  for (const f of Object.values(PHOTOS)) assert.ok(fs.existsSync(path.join(SAMPLES, f)), `missing sample ${f} in ${SAMPLES}`)
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  ctx = await browser.newContext(
    PHONE ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 900 } },
  )
  ctx.setDefaultTimeout(20000)
  page = await ctx.newPage()
  watch(page, 'main')
})

after(async () => {
  await browser?.close()
})

let failedStep = null
/** Steps depend on each other: after one fails, the rest are skipped rather than failing confusingly. */
function step(name, fn) {
  test(name, async (t) => {
    if (failedStep) {
      t.skip(`skipped: "${failedStep}" failed`)
      return
    }
    try {
      await fn(t)
    } catch (e) {
      failedStep = name
      await page?.screenshot({ path: path.join(SHOTS, `FAILED-${name.replace(/\W+/g, '-')}${SUFFIX}.png`) }).catch(() => {})
      throw e
    }
  })
}

async function signIn(p) {
  await p.goto(`${BASE}/login`)
  await p.getByLabel('Username').fill(USERNAME)
  await p.getByLabel('Password').fill(PASSWORD)
  await p.getByTestId('login-submit').click()
  await p.getByTestId('nav-account').waitFor()
}

step('sign up (or sign in when registration is closed)', async () => {
  const info = await (await page.request.get(`${BASE}/api/v1/info`)).json()
  await page.goto(`${BASE}/`)
  if (info.needs_setup) {
    // A server without accounts: the first visit is "Set up Banana", the first account its admin.
    await page.getByTestId('setup-title').waitFor()
    assert.match(await page.getByTestId('setup-note').textContent(), /becomes the administrator/)
    await page.getByLabel('Username').fill(USERNAME)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Repeat password').fill(PASSWORD)
    await shot(page, '02-setup')
    await page.getByTestId('register-submit').click()
    await page.getByTestId('nav-account').waitFor()
  } else {
    await page.getByTestId('gallery-title').waitFor()
    await shot(page, '01-gallery-signed-out')
    if (info.open_registration) {
      if (await shown(page.getByTestId('nav-register'))) await page.getByTestId('nav-register').click()
      else await page.goto(`${BASE}/register`)
      await page.getByLabel('Username').fill(USERNAME)
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
      await page.getByLabel('Repeat password').fill(PASSWORD)
      await shot(page, '02-register')
      await page.getByTestId('register-submit').click()
      await page.getByTestId('nav-account').waitFor()
    } else {
      assert.ok(process.env.E2E_PASSWORD, 'registration is closed: set E2E_USERNAME and E2E_PASSWORD')
      await page.getByTestId('nav-sign-in').click()
      await page.getByLabel('Username').fill(USERNAME)
      await page.getByLabel('Password').fill(PASSWORD)
      await shot(page, '02-sign-in')
      await page.getByTestId('login-submit').click()
      await page.getByTestId('nav-account').waitFor()
    }
  }
  await page.getByTestId('gallery-title').waitFor()
  assert.equal(await page.getByTestId('gallery-title').textContent(), 'Your library')
  if (PHONE) {
    // One compact row, the search reachable.
    const h = await page.getByTestId('site-header').evaluate((e) => e.getBoundingClientRect().height)
    assert.ok(h <= 56, `phone header is ${h}px tall`)
    assert.ok(await page.getByTestId('search-toggle').isVisible(), 'search button shown')
  }
})

step('upload three photos through the file input', async () => {
  await go(page, 'upload')
  await page.getByTestId('file-input').setInputFiles(Object.values(PHOTOS).map((f) => path.join(SAMPLES, f)))
  const items = page.getByTestId('upload-item')
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid=upload-item]')].filter((e) => e.dataset.state === 'done').length === 3,
    null,
    { timeout: 60000 },
  )
  assert.equal(await items.count(), 3)
  for (const [key, file] of Object.entries(PHOTOS)) {
    const href = await page.locator(`[data-testid=upload-item][data-filename="${file}"] a[data-testid=upload-result]`).getAttribute('href')
    assert.match(href, /^\/images\/.+/)
    ids[key] = decodeURIComponent(href.slice('/images/'.length))
  }
  await shot(page, '03-upload-done')
})

step('the photos appear in the gallery and get labels', async () => {
  await go(page, 'gallery')
  await page.waitForFunction(
    (want) => {
      const tiles = [...document.querySelectorAll('[data-testid=gallery-item]')]
      return want.every((id) => {
        const t = tiles.find((e) => e.dataset.imageId === id)
        return t && t.dataset.status === 'ready' && t.querySelector('[data-testid=label-chip]')
      })
    },
    Object.values(ids),
    { timeout: LABEL_TIMEOUT },
  )
  const tabbyChips = await page.locator(`[data-testid=gallery-item][data-image-id="${ids.tabby}"] [data-testid=label-chip]`).allTextContents()
  assert.ok(tabbyChips.length > 0, 'tabby has labels')
  // Thumbnails are requested as the tiles mount; give them a moment to arrive and decode.
  await page
    .waitForFunction(
      () => {
        const imgs = [...document.querySelectorAll('[data-testid=gallery-item] img')]
        return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0)
      },
      null,
      { timeout: 10000 },
    )
    .catch(() => assert.fail('thumbnails load'))
  assert.equal(await page.getByText('Preview unavailable').count(), 0, 'no broken thumbnails')
  await shot(page, '04-gallery-labeled')
})

step('the labels page lists them with counts', async () => {
  await go(page, 'labels')
  await page.getByTestId('label-link').first().waitFor()
  assert.ok((await page.getByTestId('label-link').count()) >= 3)
  await shot(page, '05-labels')
})

// ---------- the full-screen viewer ----------


/** The viewer's stage as the page reports it: scale and offset. */
async function viewState() {
  const st = page.getByTestId('viewer-stage')
  return {
    scale: Number(await st.getAttribute('data-scale')),
    x: Number(await st.getAttribute('data-x')),
    y: Number(await st.getAttribute('data-y')),
  }
}
const viewerId = () => page.getByTestId('viewer').getAttribute('data-image-id')
async function viewerLoaded() {
  await page.waitForFunction(() => {
    const i = document.querySelector('[data-testid=viewer-image]')
    return i && i.complete && i.naturalWidth > 0
  })
}

/** A touch swipe (CDP touch events become pointer events of type "touch"). */
async function swipe(p, from, to, steps = 8) {
  const cdp = await p.context().newCDPSession(p)
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] })
  for (let i = 1; i <= steps; i++) {
    const x = from.x + ((to.x - from.x) * i) / steps
    const y = from.y + ((to.y - from.y) * i) / steps
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] })
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
  await cdp.detach()
}

step('the full-screen viewer: zoom, pan, ←/→ through the gallery, Escape back to the image page', async () => {
  await go(page, 'gallery')
  await page.getByTestId('gallery-item').nth(2).waitFor()
  const order = await page.$$eval('[data-testid=gallery-item]', (els) => els.map((e) => e.dataset.imageId))
  const probe = await page.request.get(`${BASE}/api/v1/images/${encodeURIComponent(order[0])}/neighbors`)
  assert.equal(probe.status(), 200, 'GET neighbors')
  const nb = await probe.json()
  assert.equal(nb.previous, null, 'the newest photo has no previous one')
  assert.equal(nb.next?.id, order[1], 'its next is the second in the gallery')

  await page.locator(`[data-testid=gallery-item][data-image-id="${order[0]}"] a`).first().click()
  await page.getByTestId('image-preview').waitFor()
  const imagePageUrl = page.url()
  await page.getByTestId('open-viewer').click()
  await page.waitForURL(/[?&]view=1/)
  await page.getByTestId('viewer').waitFor()
  await viewerLoaded()
  assert.equal(await viewerId(), order[0])
  await shot(page, '06a-viewer')

  const box = await page.getByTestId('viewer-stage').boundingBox()
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  if (PHONE) {
    // double-tap zooms in around the finger
    await page.touchscreen.tap(cx + 40, cy)
    await page.waitForTimeout(60)
    await page.touchscreen.tap(cx + 40, cy)
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=viewer-stage]').dataset.scale) >= 2)
    // and again with the + button's neighbour, the keyboard-free way: pinch is not drivable here
  } else {
    // the wheel zooms around the cursor
    await page.mouse.move(cx + 60, cy + 30)
    await page.mouse.wheel(0, -400)
    await page.waitForTimeout(50)
    await page.mouse.wheel(0, -400)
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=viewer-stage]').dataset.scale) > 3)
  }
  const zoomed = await viewState()
  assert.ok(zoomed.scale > 1.9, `zoomed in: ${JSON.stringify(zoomed)}`)
  // zoomed in, the original JPEG replaces the preview
  await page.waitForFunction(() => document.querySelector('[data-testid=viewer-image]')?.dataset.original === 'true')
  assert.match(await page.getByTestId('viewer-image').getAttribute('src'), /\/original$/)
  await viewerLoaded()
  await shot(page, '06b-viewer-zoomed')

  // drag to pan
  await page.mouse.move(cx, cy)
  await page.mouse.down()
  await page.mouse.move(cx - 50, cy - 30, { steps: 5 })
  await page.mouse.up()
  const panned = await viewState()
  assert.ok(panned.x !== zoomed.x || panned.y !== zoomed.y, `panned: ${JSON.stringify(zoomed)} → ${JSON.stringify(panned)}`)
  assert.equal(panned.scale, zoomed.scale)

  // → and ← step through the gallery's order (the server's neighbours, or the remembered list)
  // (each step waits until the viewer knows that neighbour: a key pressed before does nothing)
  const ready = (which) => page.waitForFunction((w) => document.querySelector(`[data-testid=viewer-${w}]`)?.disabled === false, which)
  await ready('next')
  await page.keyboard.press('ArrowRight')
  await page.waitForFunction((id) => document.querySelector('[data-testid=viewer]')?.dataset.imageId === id, order[1])
  // a new photo starts fitted (the reset lands a frame after the photo changes)
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=viewer-stage]')?.dataset.scale) === 1, null, { timeout: 5000 })
  await viewerLoaded()
  if (PHONE) {
    // swipe left: the next one
    await ready('next')
    await swipe(page, { x: cx + 120, y: cy }, { x: cx - 120, y: cy + 5 })
    await page.waitForFunction((id) => document.querySelector('[data-testid=viewer]')?.dataset.imageId === id, order[2])
    await viewerLoaded()
    await ready('prev')
    await swipe(page, { x: cx - 120, y: cy }, { x: cx + 120, y: cy - 5 })
    await page.waitForFunction((id) => document.querySelector('[data-testid=viewer]')?.dataset.imageId === id, order[1])
    await viewerLoaded()
  }
  await ready('prev')
  await page.keyboard.press('ArrowLeft')
  await page.waitForFunction((id) => document.querySelector('[data-testid=viewer]')?.dataset.imageId === id, order[0])

  // Escape: back to the image page it was opened from (one history step, not one per photo)
  await page.keyboard.press('Escape')
  await page.getByTestId('image-page').waitFor()
  assert.equal(page.url(), imagePageUrl)
  assert.equal(await page.getByTestId('viewer').count(), 0)

  // A link to the viewer opens it directly; Back closes it.
  await page.goto(`${BASE}/images/${encodeURIComponent(order[1])}?view=1`)
  await page.getByTestId('viewer').waitFor()
  await viewerLoaded()
  await page.waitForFunction(() => !document.querySelector('[data-testid=viewer-prev]')?.disabled)
  await page.getByTestId('viewer-prev').click()
  await page.waitForFunction((id) => document.querySelector('[data-testid=viewer]')?.dataset.imageId === id, order[0])
  await page.goBack()
  await page.getByTestId('image-page').waitFor()
  assert.equal(page.url(), imagePageUrl)
})

step('search by a sentence finds the mug', async (t) => {
  // Search may not be wired into the server yet: probe the API (outside the page, so the 404 is
  // not a console error) and skip this step rather than fail the story.
  const probe = await page.request.get(`${BASE}/api/v1/search?q=${encodeURIComponent(SENTENCE)}`)
  if (probe.status() === 404) {
    const body = await probe.text()
    searchSkipped = true
    console.log(`search step SKIPPED: GET /api/v1/search answers 404 on this server (${body.trim()}); the story opens the mug from the gallery instead`)
    t.skip('GET /api/v1/search answers 404: search is not available on this server yet')
    return
  }
  await searchFor(page, SENTENCE)
  await page.getByTestId('search-result').first().waitFor()
  const order = await page.$$eval('[data-testid=search-result]', (els) => els.map((e) => e.dataset.imageId))
  assert.ok(order.slice(0, 2).includes(ids.mug), `mug in the top 2 for "${SENTENCE}", got ${order.join(',')}`)
  await shot(page, '06-search')
})

step('open it and make it public', async () => {
  if (searchSkipped) {
    await go(page, 'gallery')
    await page.locator(`[data-testid=gallery-item][data-image-id="${ids.mug}"] a`).first().click()
  } else {
    await page.locator(`[data-testid=search-result][data-image-id="${ids.mug}"] a`).first().click()
  }
  await page.getByTestId('image-preview').waitFor()
  const toggle = page.getByRole('switch', { name: 'Public' })
  assert.equal(await toggle.getAttribute('aria-checked'), 'false')
  await toggle.click()
  await page.waitForFunction(() => document.querySelector('[role=switch]')?.getAttribute('aria-checked') === 'true')
  await page.getByTestId('image-labels').waitFor()
  await shot(page, '07-image-page')
})

step('signed out, only the public image is visible', async () => {
  await signOut(page)
  await page.getByTestId('nav-sign-in').waitFor()
  await page.locator(`[data-testid=gallery-item][data-image-id="${ids.mug}"]`).waitFor()
  const visible = await page.$$eval('[data-testid=gallery-item]', (els) => els.map((e) => e.dataset.imageId))
  assert.ok(!visible.includes(ids.tabby) && !visible.includes(ids.volcano), 'private images are hidden')
  await shot(page, '08-gallery-signed-out')
})

step('a share link opens in a fresh context without an account', async () => {
  await signIn(page)
  await page.goto(`${BASE}/images/${encodeURIComponent(ids.tabby)}`)
  await page.getByTestId('image-preview').waitFor()
  await page.getByTestId('share-expiry').selectOption({ label: '1 day' })
  await page.getByTestId('create-share').click()
  shareUrl = await page.getByTestId('share-url').inputValue()
  assert.match(shareUrl, /\/s\/.+/)
  await shot(page, '09-share-created')

  const fresh = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const p2 = await fresh.newPage()
  watch(p2, 'share')
  await p2.goto(shareUrl)
  await p2.getByTestId('shared-preview').waitFor()
  await p2.waitForFunction(() => {
    const i = document.querySelector('[data-testid=shared-preview]')
    return i && i.complete && i.naturalWidth > 0
  })
  await shot(p2, '10-shared-page-on-a-phone')
  await fresh.close()

  // After a reload the link is listed as the server lists it (no token: only its hash is kept).
  await page.reload()
  const item = page.getByTestId('share-item')
  await item.waitFor()
  assert.match(await item.innerText(), /made .*expires/s)
  await page.evaluate(() => document.querySelector('[data-testid=share-list]')?.scrollIntoView({ block: 'center' }))
  await shot(page, '10b-share-listed')
})

step('move it to the trash, then delete it for good', async () => {
  // #18: no question asked; the toast offers Undo instead.
  await page.getByTestId('trash-image').click()
  deleted = true
  await page.getByTestId('gallery-title').waitFor()
  assert.match(await page.getByTestId('toast-text').textContent(), /^Moved to trash/)
  await page.getByTestId('toast-action').waitFor()
  await shot(page, '11-moved-to-trash')
  await page.waitForFunction((id) => !document.querySelector(`[data-testid=gallery-item][data-image-id="${id}"]`), ids.tabby)
  const res = await page.request.get(`${BASE}/api/v1/images/${encodeURIComponent(ids.tabby)}`)
  assert.equal(res.status(), 404)

  const shareGone = async (label) => {
    const fresh = await browser.newContext()
    const p2 = await fresh.newPage()
    watch(p2, label)
    await p2.goto(shareUrl)
    await p2.getByTestId('shared-gone').waitFor()
    await fresh.close()
  }
  await shareGone('share-in-trash')

  // It waits in the trash until it is emptied (the Trash is in the header's menu).
  await go(page, 'trash')
  const item = page.locator(`[data-testid=trash-item][data-image-id="${ids.tabby}"]`)
  await item.waitFor()
  assert.match(await item.getByTestId('trash-dates').textContent(), /^Deleted \d{1,2} \w{3} \d{4}( · removed for good on \d{1,2} \w{3} \d{4})?$/)
  await thumbsLoaded('[data-testid=trash-item] img')
  await shot(page, '11b-trash')
  await page.getByTestId('empty-trash').click()
  await page.getByRole('alertdialog').waitFor()
  await shot(page, '11c-empty-trash-confirm')
  await page.getByTestId('confirm-button').click()
  await page.getByTestId('trash-empty').waitFor()
  const trash = await (await page.request.get(`${BASE}/api/v1/trash`)).json()
  assert.equal(trash.items.length, 0, 'the trash is empty')
  await shareGone('share-after-delete')
})

step('account pages render', async () => {
  await page.goto(`${BASE}/account/tokens`)
  await page.getByTestId('token-name').fill('e2e token')
  await page.getByTestId('create-token').click()
  await page.getByTestId('new-token-value').waitFor()
  await shot(page, '12-tokens')
  await page.goto(`${BASE}/admin/users`)
  await page.getByRole('heading', { name: 'Users' }).waitFor()
  await shot(page, '13-admin-users')
})

// ---------- #15: dates, camera, places ----------

/** Skips a #15 step when the exif samples are missing or an earlier #15 step skipped. */
let metaSkipped = null
function metaStep(name, fn) {
  step(name, async (t) => {
    if (!haveMetaPhotos) metaSkipped ??= `exif samples not found in ${EXIF_SAMPLES} (set BANANA_EXIF_SAMPLES)`
    if (metaSkipped) {
      console.log(`"${name}" SKIPPED: ${metaSkipped}`)
      t.skip(metaSkipped)
      return
    }
    await fn(t)
  })
}

/** The image as the API shows it to its owner. */
async function apiImage(id) {
  const res = await page.request.get(`${BASE}/api/v1/images/${encodeURIComponent(id)}`)
  assert.equal(res.status(), 200, `GET image ${id}`)
  return res.json()
}

metaStep('upload a HEIC from an iPhone and a 2008 camera photo with GPS', async () => {
  await go(page, 'upload')
  const accept = await page.getByTestId('file-input').getAttribute('accept')
  assert.match(accept, /\.heic/i, 'the file picker offers .heic')
  await page.getByTestId('file-input').setInputFiles(Object.values(META_PHOTOS).map((f) => path.join(EXIF_SAMPLES, f)))
  const names = Object.values(META_PHOTOS).map((f) => path.basename(f))
  await page.waitForFunction(
    (names) => {
      const rows = [...document.querySelectorAll('[data-testid=upload-item]')].filter((e) => names.includes(e.dataset.filename))
      return rows.length === names.length && rows.every((e) => ['done', 'duplicate', 'rejected'].includes(e.dataset.state))
    },
    names,
    { timeout: 60000 },
  )
  for (const [key, f] of Object.entries(META_PHOTOS)) {
    const row = page.locator(`[data-testid=upload-item][data-filename="${path.basename(f)}"]`)
    assert.equal(await row.getAttribute('data-state'), 'done', `${f}: ${await row.innerText()}`)
    const href = await row.locator('a[data-testid=upload-result]').getAttribute('href')
    ids[key] = decodeURIComponent(href.slice('/images/'.length))
  }
  // The browser cannot show a HEIC: the row shows the server's JPEG thumbnail instead of the file.
  const heicRow = page.locator(`[data-testid=upload-item][data-filename="${path.basename(META_PHOTOS.heic)}"]`)
  await heicRow.locator('[data-testid=upload-server-thumb]').waitFor()
  await page.waitForFunction(
    (name) => {
      const i = document.querySelector(`[data-testid=upload-item][data-filename="${name}"] img`)
      return i && i.complete && i.naturalWidth > 0 && !i.src.startsWith('blob:')
    },
    path.basename(META_PHOTOS.heic),
    { timeout: 20000 },
  )
  const heic = await apiImage(ids.heic)
  assert.ok(heic.taken_at?.startsWith('2021-04-11T15:47:53'), `HEIC taken_at from its EXIF, got ${heic.taken_at}`)
  assert.equal(heic.taken_at_source, 'exif')
  assert.equal(heic.camera.make, 'Apple')
  assert.ok(heic.location, 'the owner sees the HEIC position')
  const gps = await apiImage(ids.gps2008)
  assert.ok(gps.taken_at?.startsWith('2008-10-22T16:29:49'), `DSCN0012 taken_at, got ${gps.taken_at}`)
  assert.ok(gps.location?.city, `DSCN0012 has a place: ${JSON.stringify(gps.location)}`)
  await shot(page, '14-upload-heic')
})

metaStep('the timeline shows them under the dates they were taken', async () => {
  await go(page, 'gallery')
  const tile = (month, id) => page.locator(`[data-testid=timeline-month][data-month="${month}"] [data-testid=gallery-item][data-image-id="${id}"]`)
  await tile('2021-04', ids.heic).waitFor()
  await tile('2008-10', ids.gps2008).waitFor()
  assert.equal(await tile('2021-04', ids.heic).getByTestId('tile-date').textContent(), '11 Apr 2021')
  assert.equal(await tile('2008-10', ids.gps2008).getByTestId('tile-date').textContent(), '22 Oct 2008')
  const months = await page.$$eval('[data-testid=timeline-month-title]', (els) => els.map((e) => e.textContent))
  assert.ok(months.some((m) => m.startsWith('April 2021')) && months.some((m) => m.startsWith('October 2008')), months.join(' | '))
  const days = await page.$$eval('[data-testid=timeline-day-title]', (els) => els.map((e) => e.textContent))
  assert.ok(days.includes('Sun 11 Apr') && days.includes('Wed 22 Oct'), days.join(' | '))
  // Newest first: the 2021 section comes before the 2008 one.
  const order = await page.$$eval('[data-testid=timeline-month]', (els) => els.map((e) => e.dataset.month))
  assert.ok(order.indexOf('2021-04') < order.indexOf('2008-10'), order.join(','))
  // The HEIC's thumbnail is the server's JPEG, and it loads.
  await page.waitForFunction(
    (id) => {
      const i = document.querySelector(`[data-testid=gallery-item][data-image-id="${id}"] img`)
      return i && i.complete && i.naturalWidth > 0
    },
    ids.heic,
    { timeout: 20000 },
  )
  // Labeled (and so searchable) before the search steps.
  await page.waitForFunction(
    (want) => want.every((id) => document.querySelector(`[data-testid=gallery-item][data-image-id="${id}"]`)?.dataset.status === 'ready'),
    [ids.heic, ids.gps2008],
    { timeout: LABEL_TIMEOUT },
  )
  const years = await page.$$eval('[data-testid=year-link]', (els) => els.map((e) => e.textContent))
  assert.ok(years.includes('2021') && years.includes('2008'), `year scrubber: ${years.join(',')}`)
  await shot(page, '15-timeline')

  await page.locator('[data-testid=year-link][data-year="2008"]').click()
  await page.waitForURL(/taken_to=2008-12-31/)
  await page.waitForFunction(() => document.querySelector('[data-testid=timeline-month]')?.dataset.month === '2008-10')
  assert.equal(await page.locator('[data-testid=year-link][data-year="2008"]').getAttribute('aria-current'), 'true')
  assert.equal(await page.locator(`[data-testid=gallery-item][data-image-id="${ids.heic}"]`).count(), 0, '2021 is not shown up to 2008')
  await shot(page, '16-timeline-2008')

  // The date range filter: October 2008 only, in the URL.
  await page.getByTestId('taken-from').fill('2008-10-01')
  await page.getByTestId('taken-to').fill('2008-10-31')
  await page.getByTestId('date-apply').click()
  await page.waitForURL(/taken_from=2008-10-01&taken_to=2008-10-31/)
  await page.locator(`[data-testid=gallery-item][data-image-id="${ids.gps2008}"]`).waitFor()
  await page.getByTestId('filter-date').waitFor()
  await page.getByTestId('year-newest').click()
  await page.waitForURL((u) => !u.search.includes('taken_'))
})

metaStep('the info panel shows when, with what and where', async () => {
  await page.locator(`[data-testid=gallery-item][data-image-id="${ids.heic}"] a`).first().click()
  await page.getByTestId('info-panel').waitFor()
  // The page shows the server's JPEG preview, never the HEIC original.
  const src = await page.getByTestId('image-preview').getAttribute('src')
  assert.match(src, /\/preview$/, `preview src ${src}`)
  await page.waitForFunction(() => {
    const i = document.querySelector('[data-testid=image-preview]')
    return i && i.complete && i.naturalWidth > 0
  })
  const text = async (id) => (await page.getByTestId(id).textContent()).trim()
  assert.match(await text('info-taken'), /^11 Apr 2021, 15:47 \(UTC-05:00\)/)
  assert.match(await text('info-camera'), /iPhone 11 Pro Max/)
  assert.equal(await text('info-aperture'), 'ƒ/1.8')
  assert.equal(await text('info-exposure'), '1/391 s')
  assert.equal(await text('info-iso'), '32')
  assert.match(await text('info-place'), /United States/)
  assert.match(await text('info-coordinates'), /^39\.05\d\d° N, 94\.28\d\d° W$/)
  assert.match(await text('geonames-credit'), /Places from GeoNames \(CC BY 4\.0\)/)
  await page.getByTestId('info-panel').scrollIntoViewIfNeeded()
  await shot(page, '17-info-panel')

  // The owner can correct the date: open the form, see it filled in, close it unchanged.
  await page.getByTestId('edit-date-place').click()
  assert.match(await page.getByTestId('edit-taken-at').inputValue(), /^2021-04-11T15:47/)
  assert.equal(await page.getByTestId('edit-taken-offset').inputValue(), '-05:00')
  await page.getByTestId('info-panel').screenshot({ path: path.join(SHOTS, `17b-info-edit${SUFFIX}.png`) })
  await page.getByRole('button', { name: 'Close' }).click()
})

metaStep('the places page lists countries and cities', async () => {
  const gps = await apiImage(ids.gps2008)
  await go(page, 'places')
  await page.locator(`[data-testid=place-country][data-country="${gps.location.country_code}"]`).waitFor()
  assert.ok((await page.getByTestId('place-country').count()) >= 2, 'Italy and the United States')
  await shot(page, '18-places')
  const city = page.locator(`[data-testid=place-country][data-country="${gps.location.country_code}"] [data-testid=place-city][data-city="${gps.location.city}"]`)
  await city.click()
  await page.locator(`[data-testid=gallery-item][data-image-id="${ids.gps2008}"]`).waitFor()
  assert.equal(await page.getByTestId('gallery-title').textContent(), `${gps.location.city}, ${gps.location.country}`)
  assert.equal(await page.locator(`[data-testid=gallery-item][data-image-id="${ids.heic}"]`).count(), 0, 'only photos from there')
  await shot(page, '18b-gallery-place')
})

metaStep('search by year and by city', async (t) => {
  if (searchSkipped) {
    t.skip('search is not available on this server')
    return
  }
  const gps = await apiImage(ids.gps2008)
  await page.goto(`${BASE}/search`)
  await page.getByTestId('search-help').waitFor()
  await shot(page, '19-search-help')
  const search = async (q) => {
    await searchFor(page, q)
    await page.waitForFunction((q) => document.querySelector('[data-testid=search-title]')?.textContent === `“${q}”`, q)
    await page.getByTestId('search-result').first().waitFor()
    return page.$$eval('[data-testid=search-result]', (els) => els.map((e) => e.dataset.imageId))
  }
  const by2008 = await search('photos from 2008')
  assert.equal(by2008[0], ids.gps2008, `the 2008 photo first for "photos from 2008", got ${by2008.join(',')}`)
  const matched = await page.locator(`[data-testid=search-result][data-image-id="${ids.gps2008}"] [data-testid=matched]`).textContent()
  assert.match(matched, /2008/, `matched: ${matched}`)
  await shot(page, '20-search-2008')
  const byCity = await search(`in ${gps.location.city}`)
  assert.equal(byCity[0], ids.gps2008, `the photo from ${gps.location.city} first, got ${byCity.join(',')}`)
  const m2 = await page.locator(`[data-testid=search-result][data-image-id="${ids.gps2008}"] [data-testid=matched]`).textContent()
  assert.ok(m2.includes(gps.location.city), `matched: ${m2}`)
  await shot(page, '21-search-city')
})

// ---------- #17: favourites and albums ----------

const ALBUM = 'Best of the story'

/** Waits until every thumbnail under `selector` has loaded. */
async function thumbsLoaded(selector) {
  await page.waitForFunction(
    (sel) => {
      const imgs = [...document.querySelectorAll(sel)]
      return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0)
    },
    selector,
    { timeout: 10000 },
  )
}

step('favourite the first photo and see it in Favourites', async () => {
  await go(page, 'gallery')
  const first = page.getByTestId('gallery-item').first()
  await first.waitFor()
  ids.favourite = await first.getAttribute('data-image-id')
  await first.locator('a').first().click()
  await page.getByTestId('image-preview').waitFor()
  const heart = page.getByTestId('favorite-toggle')
  assert.equal(await heart.getAttribute('aria-pressed'), 'false')
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PUT' && /\/api\/v1\/images\/[^/]+\/favorite$/.test(new URL(r.url()).pathname)),
    heart.click(),
  ])
  assert.equal(res.status(), 200, 'PUT /favorite')
  assert.equal(await heart.getAttribute('aria-pressed'), 'true')
  // the server agrees (the heart turns on before it answers)
  assert.equal((await apiImage(ids.favourite)).favorite, true)
  await go(page, 'favorites')
  await page.getByTestId('favorites-title').waitFor()
  await page.locator(`[data-testid=gallery-item][data-image-id="${ids.favourite}"]`).waitFor()
  const listed = await page.$$eval('[data-testid=gallery-item]', (els) => els.map((e) => e.dataset.imageId))
  assert.deepEqual(listed, [ids.favourite], 'only the favourite is listed')
  assert.equal(await page.locator('[data-testid=gallery-item] [data-testid=tile-favorite]').getAttribute('aria-pressed'), 'true')
  await thumbsLoaded('[data-testid=gallery-item] img')
  await shot(page, '22-favourites')
})

step('create an album from the image page', async () => {
  await page.locator(`[data-testid=gallery-item][data-image-id="${ids.favourite}"] a`).first().click()
  await page.getByTestId('image-preview').waitFor()
  await page.getByTestId('add-to-album').click()
  // A fresh account has no albums: the name field shows at once; otherwise pick "New album…".
  await page.locator('[data-testid=album-select], [data-testid=new-album-name]').first().waitFor()
  if (await page.getByTestId('album-select').count()) await page.getByTestId('album-select').selectOption({ label: 'New album…' })
  await page.getByTestId('new-album-name').fill(ALBUM)
  await page.getByTestId('album-add-submit').click()
  const added = page.getByTestId('album-added')
  await added.waitFor()
  assert.equal((await added.textContent()).trim(), `Added to ${ALBUM}.`)
})

step('the Albums page lists the album, and the album shows the photo', async () => {
  await go(page, 'albums')
  const card = page.locator('[data-testid=album-card]', { hasText: ALBUM }).first()
  await card.waitFor()
  assert.match(await card.getByTestId('album-count').textContent(), /^1 photo$/)
  if (await card.getByTestId('album-cover').count()) await thumbsLoaded('[data-testid=album-cover]')
  await shot(page, '23-albums')
  await card.click()
  await page.getByTestId('album-title').waitFor()
  assert.equal(await page.getByTestId('album-title').textContent(), ALBUM)
  await page.locator(`[data-testid=gallery-item][data-image-id="${ids.favourite}"]`).waitFor()
  assert.equal(await page.getByTestId('gallery-item').count(), 1)
  await thumbsLoaded('[data-testid=gallery-item] img')
  await shot(page, '24-album-view')
})

// ---------- theme, drop anywhere, folders ----------

step('the theme switch: Dark is kept across a reload, then back to System', async () => {
  await go(page, 'gallery')
  await page.getByTestId('gallery-title').waitFor()
  await openMenu(page)
  assert.equal(await page.getByTestId('theme-system').isChecked(), true)
  await page.getByTestId('theme-dark').check()
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark')
  await page.screenshot({ path: path.join(SHOTS, `25-theme-menu-dark${SUFFIX}.png`) })
  // Applied before the first paint by a blocking script in <head> (no flash of the light theme).
  assert.equal(await page.locator('head script[src="/theme.js"]:not([type=module])').count(), 1)
  await page.reload()
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark')
  // an explicit choice wins over the system's light
  await page.emulateMedia({ colorScheme: 'light' })
  await page.waitForTimeout(100)
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark')
  await openMenu(page)
  await page.getByTestId('theme-system').check()
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light')
  assert.equal(await page.evaluate(() => localStorage.getItem('banana.theme')), null)
  await page.keyboard.press('Escape')
})

const DROP_PHOTO = 'n01440764_tench.JPEG'
const FOLDER_PHOTOS = ['n01443537_goldfish.JPEG', 'n01484850_great_white_shark.JPEG']

step('a photo dropped on the gallery uploads there, without opening it in the browser', async () => {
  await go(page, 'gallery')
  await page.getByTestId('gallery-title').waitFor()
  const bytes = fs.readFileSync(path.join(SAMPLES, DROP_PHOTO)).toString('base64')
  const dt = await page.evaluateHandle(
    ([b64, name]) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      const t = new DataTransfer()
      t.items.add(new File([bin], name, { type: 'image/jpeg', lastModified: Date.now() }))
      return t
    },
    [bytes, DROP_PHOTO],
  )
  await page.getByTestId('gallery-item').first().waitFor()
  const before = await page.getByTestId('gallery-item').count()
  const target = page.getByTestId('gallery-title')
  await target.dispatchEvent('dragenter', { dataTransfer: dt })
  await target.dispatchEvent('dragover', { dataTransfer: dt })
  await page.getByTestId('drop-overlay').waitFor()
  await shot(page, '26-drop-overlay')
  const url = page.url()
  await target.dispatchEvent('drop', { dataTransfer: dt })
  await page.getByTestId('drop-toast').waitFor()
  assert.equal(page.url(), url, 'the browser did not open the file')
  await page.getByTestId('upload-indicator').waitFor()
  // it shows up in the gallery by itself once uploaded
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=gallery-item]').length > n, before, { timeout: 30000 })
  await shot(page, '27-after-drop')
})

step('a folder upload takes its photos and skips the rest, with a count', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banana-e2e-folder-'))
  const folder = path.join(dir, 'Trip')
  fs.mkdirSync(path.join(folder, 'day 2'), { recursive: true })
  fs.copyFileSync(path.join(SAMPLES, FOLDER_PHOTOS[0]), path.join(folder, FOLDER_PHOTOS[0]))
  fs.copyFileSync(path.join(SAMPLES, FOLDER_PHOTOS[1]), path.join(folder, 'day 2', FOLDER_PHOTOS[1]))
  fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a photo')
  await go(page, 'upload')
  await page.getByTestId('folder-input').setInputFiles(folder)
  await page.getByTestId('upload-skipped').waitFor()
  assert.match(await page.getByTestId('upload-skipped').textContent(), /Skipped 1 file that isn’t a photo: .*notes\.txt/)
  await page.waitForFunction(
    (names) => names.every((n) => document.querySelector(`[data-testid=upload-item][data-filename="${n}"]`)?.dataset.state === 'done'),
    FOLDER_PHOTOS,
    { timeout: 60000 },
  )
  await shot(page, '28-upload-folder')
  fs.rmSync(dir, { recursive: true, force: true })
})

// ---------- #18: multi-select, bulk actions, trash, album sharing, duplicates ----------

const PICKED = 'Picked in the story'
// Not used by the steps before (a second upload of a file is a duplicate: 409).
const MORE_PHOTOS = ['n01530575_brambling.JPEG', 'n01558993_robin.JPEG', 'n01580077_jay.JPEG', 'n01582220_magpie.JPEG', 'n01592084_chickadee.JPEG']
const tileIds = () => page.$$eval('[data-testid=gallery-item]', (els) => els.map((e) => e.dataset.imageId))
const tileOf = (id) => page.locator(`[data-testid=gallery-item][data-image-id="${id}"]`)
const selectedIds = () => page.$$eval('[data-testid=gallery-item][data-selected=true]', (els) => els.map((e) => e.dataset.imageId))

/** A finger resting on an element (real touch events through the DevTools protocol). */
async function longPress(loc) {
  // In the middle of the screen: not under the bar along the bottom.
  await loc.evaluate((e) => e.scrollIntoView({ block: 'center' }))
  const box = await loc.boundingBox()
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
  const cdp = await ctx.newCDPSession(page)
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at] })
  await page.waitForTimeout(700)
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
  await cdp.detach()
}

/**
 * Starts a selection with the tile `id`: on a desktop its check (shown on hover), on a phone a
 * long press on the photo.
 */
async function selectFirst(id) {
  if (PHONE) {
    await longPress(tileOf(id))
  } else {
    await tileOf(id).hover()
    await tileOf(id).getByTestId('tile-select').click()
  }
  await page.waitForFunction((id) => document.querySelector(`[data-testid=gallery-item][data-image-id="${id}"]`)?.dataset.selected === 'true', id)
}

/** Adds a tile while selecting: its check (with Shift: the range up to it), on a phone a tap. */
async function selectMore(id, { range = false } = {}) {
  if (PHONE) await tileOf(id).locator('a').first().click()
  else await tileOf(id).getByTestId('tile-select').click(range ? { modifiers: ['Shift'] } : {})
}

step('upload more photos, and a re-encoded copy of one', async () => {
  await go(page, 'upload')
  // A near-identical copy: the brambling drawn smaller and saved again as a JPEG by the browser.
  const original = fs.readFileSync(path.join(SAMPLES, MORE_PHOTOS[0]))
  const copy = await page.evaluate(async (b64) => {
    const img = new Image()
    img.src = `data:image/jpeg;base64,${b64}`
    await img.decode()
    const c = document.createElement('canvas')
    c.width = Math.round(img.naturalWidth * 0.8)
    c.height = Math.round(img.naturalHeight * 0.8)
    c.getContext('2d').drawImage(img, 0, 0, c.width, c.height)
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.85))
    return [...new Uint8Array(await blob.arrayBuffer())]
  }, original.toString('base64'))
  // (Playwright takes either paths or buffers in one call: all as buffers.)
  const files = [
    ...MORE_PHOTOS.map((f) => ({ name: f, mimeType: 'image/jpeg', buffer: fs.readFileSync(path.join(SAMPLES, f)) })),
    { name: 'brambling-copy.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(copy) },
  ]
  await page.getByTestId('file-input').setInputFiles(files)
  const names = [...MORE_PHOTOS, 'brambling-copy.jpg']
  await page.waitForFunction(
    (names) => {
      const rows = [...document.querySelectorAll('[data-testid=upload-item]')].filter((e) => names.includes(e.dataset.filename))
      return rows.length === names.length && rows.every((e) => e.dataset.state === 'done')
    },
    names,
    { timeout: 60000 },
  )
  for (const name of names) {
    const href = await page.locator(`[data-testid=upload-item][data-filename="${name}"] a[data-testid=upload-result]`).getAttribute('href')
    ids[name] = decodeURIComponent(href.slice('/images/'.length))
  }
})

step('select five photos (a click and a Shift-click; a long press and taps on a phone), and add them to a new album from the bar', async () => {
  await go(page, 'gallery')
  // Everything labeled (a pending tile polls its image, which would 404 once it is in the trash).
  await page.waitForFunction(
    (n) => {
      const tiles = [...document.querySelectorAll('[data-testid=gallery-item]')]
      return tiles.length >= n && tiles.every((t) => t.dataset.status !== 'pending' && t.dataset.selected === 'false')
    },
    7,
    { timeout: LABEL_TIMEOUT },
  )
  await thumbsLoaded('[data-testid=gallery-item] img')
  const order = await tileIds()
  ids.picked = order.slice(0, 5)
  await selectFirst(order[0])
  if (PHONE) for (const id of order.slice(1, 5)) await selectMore(id)
  else await selectMore(order[4], { range: true })
  assert.deepEqual(await selectedIds(), ids.picked, 'the first five tiles')
  assert.equal(await page.getByTestId('selection-count').textContent(), '5 selected')
  // The long press did not open the photo.
  assert.equal(new URL(page.url()).pathname, '/')
  await shot(page, '29-gallery-selecting')

  // The ZIP of the selection comes through fetch and a generated link.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bulk-download').click()])
  assert.match(download.suggestedFilename(), /\.zip$/)
  const zip = fs.readFileSync(await download.path())
  assert.equal(zip.subarray(0, 2).toString(), 'PK', 'a ZIP file')
  await page.getByTestId('bulk-result-text').filter({ hasText: /^Downloaded 5 photos/ }).waitFor()

  await page.getByTestId('bulk-add-to-album').click()
  await page.locator('[data-testid=bulk-album-select], [data-testid=bulk-new-album-name]').first().waitFor()
  if (await page.getByTestId('bulk-album-select').count()) await page.getByTestId('bulk-album-select').selectOption({ label: 'New album…' })
  await page.getByTestId('bulk-new-album-name').fill(PICKED)
  await shot(page, '30-bar-add-to-album')
  await page.getByTestId('bulk-album-submit').click()
  const result = page.getByTestId('bulk-result-text')
  await result.filter({ hasText: 'done' }).waitFor()
  assert.equal((await result.textContent()).trim(), `Added to “${PICKED}”: 5 done`)
  assert.deepEqual(await selectedIds(), [], 'nothing left selected')
  await shot(page, '31-bar-result')
})

step('favourite two from the bar', async () => {
  const order = await tileIds()
  ids.favTwo = [order[5], order[6]]
  await selectFirst(ids.favTwo[0])
  await selectMore(ids.favTwo[1])
  await page.getByTestId('bulk-favorite').click()
  await page.getByTestId('bulk-result-text').filter({ hasText: 'Added to favourites: 2 done' }).waitFor()
  for (const id of ids.favTwo) {
    assert.equal((await apiImage(id)).favorite, true, `${id} is a favourite`)
    assert.equal(await tileOf(id).getByTestId('tile-favorite').getAttribute('aria-pressed'), 'true')
  }
})

step('move one to the trash from the bar, and restore it from the Trash page', async () => {
  const victim = ids.favTwo[1]
  await selectFirst(victim)
  await page.getByTestId('bulk-trash').click()
  await page.getByTestId('bulk-result-text').filter({ hasText: 'Moved to trash: 1 done' }).waitFor()
  await page.getByTestId('bulk-undo').waitFor()
  assert.equal(await tileOf(victim).count(), 0, 'gone from the gallery')
  assert.equal((await page.request.get(`${BASE}/api/v1/images/${encodeURIComponent(victim)}`)).status(), 404)

  await go(page, 'trash')
  const item = page.locator(`[data-testid=trash-item][data-image-id="${victim}"]`)
  await item.waitFor()
  await thumbsLoaded('[data-testid=trash-item] img')
  await shot(page, '32-trash')
  await item.getByTestId('restore-one').click()
  await page.getByTestId('trash-notice').filter({ hasText: /^Restored/ }).waitFor()
  await page.getByTestId('trash-empty').waitFor()
  assert.equal((await apiImage(victim)).id, victim)
  await go(page, 'gallery')
  await tileOf(victim).waitFor()
})

step('share the album; the link opens signed out with the album and its photos', async () => {
  await go(page, 'albums')
  await page.locator('[data-testid=album-card]', { hasText: PICKED }).first().click()
  await page.getByTestId('album-title').waitFor()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=gallery-item]').length === 5)
  const href = await page.getByTestId('download-album').getAttribute('href')
  const zip = await page.request.get(`${BASE}${href}`)
  assert.equal(zip.status(), 200, 'GET the album as a ZIP')
  assert.match(zip.headers()['content-type'] ?? '', /zip/)
  await page.getByTestId('share-album').click()
  const panel = page.getByTestId('album-share-panel')
  await panel.getByTestId('share-expiry').selectOption({ label: '1 day' })
  await panel.getByTestId('create-share').click()
  const albumShare = await panel.getByTestId('share-url').inputValue()
  assert.match(albumShare, /\/s\/.+/)
  await thumbsLoaded('[data-testid=gallery-item] img')
  await shot(page, '33-album-share')

  const fresh = await browser.newContext(PHONE ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 900 } })
  const p2 = await fresh.newPage()
  watch(p2, 'album-share')
  await p2.goto(albumShare)
  await p2.getByTestId('shared-album-title').waitFor()
  assert.equal(await p2.getByTestId('shared-album-title').textContent(), PICKED)
  await p2.waitForFunction(() => document.querySelectorAll('[data-testid=shared-album-item]').length === 5)
  const shown = await p2.$$eval('[data-testid=shared-album-item]', (els) => els.map((e) => e.dataset.imageId))
  assert.deepEqual([...shown].sort(), [...ids.picked].sort(), 'the album’s five photos')
  await p2.waitForFunction(() => [...document.querySelectorAll('[data-testid=shared-album-item] img')].every((i) => i.complete && i.naturalWidth > 0))
  assert.equal(await p2.getByTestId('nav-account').count(), 0, 'signed out')
  await shot(p2, '34-shared-album')
  await p2.locator('[data-testid=shared-album-item] a').first().click()
  await p2.getByTestId('shared-lightbox').waitFor()
  await p2.waitForFunction(() => {
    const i = document.querySelector('[data-testid=shared-lightbox] [data-testid=shared-preview]')
    return i && i.complete && i.naturalWidth > 0
  })
  await shot(p2, '34b-shared-album-photo')
  await p2.keyboard.press('Escape')
  await p2.getByTestId('shared-lightbox').waitFor({ state: 'detached' })
  const dl = await p2.request.get(`${BASE}${await p2.getByTestId('shared-album-download').getAttribute('href')}`)
  assert.equal(dl.status(), 200, 'the shared album downloads')
  await fresh.close()
})

step('the Duplicates page shows the re-encoded copy beside its original', async () => {
  const pair = [ids[MORE_PHOTOS[0]], ids['brambling-copy.jpg']]
  // Near-duplicates are found from what labeling computes: wait until the API has the pair.
  const deadline = Date.now() + LABEL_TIMEOUT
  let found = false
  while (!found && Date.now() < deadline) {
    const r = await (await page.request.get(`${BASE}/api/v1/duplicates`)).json()
    found = r.groups.some((g) => pair.every((id) => g.images.some((i) => i.id === id)))
    if (!found) await page.waitForTimeout(1000)
  }
  // In the header's menu (and linked from the trash and the account page).
  await go(page, 'duplicates')
  await page.getByTestId('duplicates-title').waitFor()
  await page.locator('[data-testid=duplicate-group], [data-testid=duplicates-empty]').first().waitFor()
  if (await page.getByTestId('duplicate-group').count()) await thumbsLoaded('[data-testid=duplicate-item] img')
  await shot(page, '35-duplicates')
  assert.ok(found, 'GET /api/v1/duplicates groups the brambling with its re-encoded copy')
  const group = page.locator('[data-testid=duplicate-group]', { has: page.locator(`[data-image-id="${pair[1]}"]`) })
  // The first of a group is the one to keep (the original is the larger).
  assert.equal(await group.locator('[data-testid=duplicate-item]').first().getAttribute('data-image-id'), pair[0])
  await group.getByTestId('trash-others').click()
  await page.getByTestId('toast-text').filter({ hasText: /^Moved to trash: 1 done/ }).waitFor()
  assert.equal((await page.request.get(`${BASE}/api/v1/images/${encodeURIComponent(pair[1])}`)).status(), 404, 'the copy is in the trash')
  assert.equal((await apiImage(pair[0])).id, pair[0], 'the original stays')
})

test('no console errors on any page', () => {
  assert.deepEqual(problems, [])
})
