import { useEffect, useState } from 'react'
import type { FormEvent } from 'react'
import { Link } from 'react-router'
import { addImageTag, patchImage, removeImageTag } from '../api/endpoints'
import { errorMessage } from '../api/errors'
import type { Image } from '../api/types'
import { formatTakenAt, parseWallClock, takenSourceNote } from '../lib/dates'
import {
  formatAperture,
  formatCamera,
  formatCoordinates,
  formatExposure,
  formatFocalLength,
  formatIso,
  formatPlace,
  GEONAMES_CREDIT,
  GEONAMES_URL,
  parsePosition,
} from '../lib/photoInfo'
import { showToast } from '../lib/toast'

/**
 * What the photo itself says: when it was taken (its own wall clock and offset), the camera and
 * its settings, and — for the owner only, the server sends no position to anyone else — where.
 * The owner can correct the date and the position.
 */
export function PhotoInfo({
  image,
  editable,
  onSaved,
  canTag = false,
  onChanged,
  onFacesHover,
}: {
  image: Image
  editable: boolean
  onSaved: (img: Image) => void
  /** Whether the caller may add and remove tags (the owner or an admin). */
  canTag?: boolean
  /** A tag was added or removed: the image as the server now has it. */
  onChanged?: (img: Image) => void
  /** The pointer is on the "faces" row (show the boxes over the photo) or has left it. */
  onFacesHover?: (on: boolean) => void
}) {
  const [editing, setEditing] = useState(false)
  useEffect(() => setEditing(false), [image.id])
  const c = image.camera
  const camera = formatCamera(c)
  const w = parseWallClock(image.taken_at)
  const note =
    takenSourceNote(image.taken_at_source) ??
    (w && !w.offset && (image.taken_at_source === 'exif' || image.taken_at_source === 'xmp') ? 'time zone not recorded' : null)
  const loc = image.location
  const place = formatPlace(loc)
  const rows: Array<[string, React.ReactNode, string]> = []
  if (camera) {
    rows.push([
      'Camera',
      c.make ? (
        <Link to={`/?camera=${encodeURIComponent(c.make.trim())}`} title={`Photos taken with a ${c.make.trim()}`}>
          {camera}
        </Link>
      ) : (
        camera
      ),
      'info-camera',
    ])
  }
  if (c.lens?.trim()) rows.push(['Lens', c.lens.trim(), 'info-lens'])
  if (canTag) rows.push(['Tags', <TagEditor image={image} onChanged={onChanged ?? onSaved} />, 'info-tags'])
  else if (image.tags.length)
    rows.push([
      'Tags',
      <span className="info-tags">
        {image.tags.map((t, i) => (
          <span key={t}>
            {i > 0 && ', '}
            <Link to={`/search?q=${encodeURIComponent(t)}`} title={`Search for “${t}”`}>
              {t}
            </Link>
          </span>
        ))}
      </span>,
      'info-tags',
    ])
  const faceCount = image.face_count ?? 0
  if (faceCount > 0) {
    const hasBoxes = (image.faces ?? []).length > 0
    rows.push([
      'People',
      <span
        className={hasBoxes ? 'info-faces has-boxes' : 'info-faces'}
        onMouseEnter={hasBoxes ? () => onFacesHover?.(true) : undefined}
        onMouseLeave={hasBoxes ? () => onFacesHover?.(false) : undefined}
        onFocus={hasBoxes ? () => onFacesHover?.(true) : undefined}
        onBlur={hasBoxes ? () => onFacesHover?.(false) : undefined}
        tabIndex={hasBoxes ? 0 : undefined}
        title={hasBoxes ? 'Point here to see the faces on the photo' : undefined}
      >
        {faceCount === 1 ? '1 face' : `${faceCount} faces`}
      </span>,
      'info-faces',
    ])
  }
  const focal = formatFocalLength(c.focal_length_mm)
  if (focal) rows.push(['Focal length', focal, 'info-focal'])
  const aperture = formatAperture(c.f_number)
  if (aperture) rows.push(['Aperture', aperture, 'info-aperture'])
  const exposure = formatExposure(c.exposure_time_s)
  if (exposure) rows.push(['Exposure', exposure, 'info-exposure'])
  const iso = formatIso(c.iso)
  if (iso) rows.push(['ISO', iso.replace(/^ISO /, ''), 'info-iso'])

  return (
    <section className="side-section" aria-labelledby="info-h" data-testid="info-panel">
      <h2 id="info-h">Photo info</h2>
      <dl className="details">
        <dt>Taken</dt>
        <dd data-testid="info-taken">
          {image.taken_at ? (
            <>
              <time className="info-when" dateTime={image.taken_at}>
                {formatTakenAt(image.taken_at, image.taken_at_source)}
              </time>
              {note && <span className="info-note"> · {note}</span>}
            </>
          ) : (
            <span className="muted">Not known</span>
          )}
        </dd>
        {rows.map(([k, v, id]) => (
          <InfoRow key={id} label={k} testId={id}>
            {v}
          </InfoRow>
        ))}
        {loc && (
          <>
            <dt>Place</dt>
            <dd data-testid="info-place">
              {place && loc.country_code ? (
                <Link
                  to={`/?country=${encodeURIComponent(loc.country_code)}${loc.city ? `&city=${encodeURIComponent(loc.city)}` : ''}`}
                  title="More photos from here"
                >
                  {place}
                </Link>
              ) : (
                (place ?? <span className="muted">No town nearby</span>)
              )}
              <br />
              <span className="mono small" data-testid="info-coordinates">
                {formatCoordinates(loc.lat, loc.lon)}
              </span>
            </dd>
          </>
        )}
      </dl>
      <PhotoText image={image} />
      <ColorSwatches image={image} />
      {loc && (
        <>
          <GeoGrid lat={loc.lat} lon={loc.lon} />
          <p className="credit" data-testid="geonames-credit">
            <a href={GEONAMES_URL} target="_blank" rel="noreferrer">
              {GEONAMES_CREDIT}
            </a>
            {' · '}
            <span>Only you see where this photo was taken.</span>
          </p>
        </>
      )}
      {editable &&
        (editing ? (
          <DatePlaceForm image={image} onSaved={onSaved} onDone={() => setEditing(false)} />
        ) : (
          <div className="button-row">
            <button type="button" className="btn btn-secondary btn-small" onClick={() => setEditing(true)} data-testid="edit-date-place">
              Edit date and place
            </button>
          </div>
        ))}
    </section>
  )
}

function InfoRow({ label, testId, children }: { label: string; testId: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  )
}

/** The lines of text read in the photo, as text one can select and copy; nothing when none. */
export function PhotoText({ image }: { image: Image }) {
  const lines = (image.text ?? []).map((t) => t.text.trim()).filter((t) => t)
  if (!lines.length) return null
  return (
    <div className="info-block" data-testid="info-text">
      <h3 id="info-text-h" className="info-subhead">Text in photo</h3>
      <ul className="photo-text" aria-labelledby="info-text-h">
        {lines.map((t, i) => (
          <li key={i}>{t}</li>
        ))}
      </ul>
    </div>
  )
}

/** The photo's dominant colours as small swatches, largest first; nothing when none. */
export function ColorSwatches({ image }: { image: Image }) {
  const colors = (image.colors ?? []).filter((c) => /^#[0-9a-f]{3,8}$/i.test(c.hex))
  if (!colors.length) return null
  return (
    <div className="info-block" data-testid="info-colors">
      <h3 id="info-colors-h" className="info-subhead">Colours</h3>
      <ul className="swatches" aria-labelledby="info-colors-h">
        {colors.map((c, i) => {
          const label = `${c.name} ${Math.round(c.fraction * 100)}%`
          return (
            <li key={`${c.hex}-${i}`}>
              <span className="swatch" style={{ background: c.hex }} role="img" aria-label={label} title={label} data-testid="color-swatch" />
            </li>
          )
        })}
      </ul>
    </div>
  )
}

/**
 * The owner's (or an admin's) tags: each a link to a search with a × to take it off, and an
 * "Add tag" field (Enter adds). The server answers the image as it now is.
 */
function TagEditor({ image, onChanged }: { image: Image; onChanged: (img: Image) => void }) {
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => setName(''), [image.id])
  const run = async (what: string, call: () => Promise<Image>) => {
    setBusy(true)
    try {
      onChanged(await call())
      return true
    } catch (e) {
      showToast({ text: `${what}: ${errorMessage(e)}`, tone: 'error' })
      return false
    } finally {
      setBusy(false)
    }
  }
  const add = async (e: FormEvent) => {
    e.preventDefault()
    const t = name.trim()
    if (!t || busy) return
    if (image.tags.some((x) => x.toLowerCase() === t.toLowerCase())) return setName('')
    if (await run('Could not add the tag', () => addImageTag(image.id, t))) setName('')
  }
  return (
    <div className="tag-editor">
      {image.tags.length > 0 && (
        <ul className="chips tag-chips" data-testid="tag-chips">
          {image.tags.map((t) => (
            <li key={t} className="chip chip-static tag-chip" data-testid="tag-chip">
              <Link to={`/search?q=${encodeURIComponent(t)}`} title={`Search for “${t}”`}>
                {t}
              </Link>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove tag ${t}`}
                title="Remove tag"
                disabled={busy}
                onClick={() => void run('Could not remove the tag', () => removeImageTag(image.id, t))}
                data-testid="remove-tag"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="tag-add" onSubmit={add}>
        <input
          type="text"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Add tag"
          aria-label="Add tag"
          maxLength={50}
          readOnly={busy}
          data-testid="add-tag"
        />
      </form>
    </div>
  )
}

/**
 * Where on Earth, drawn without any map tiles (nothing is fetched, so no third party learns a
 * position): a latitude/longitude grid, every 30°, with a crosshair at the photo's position.
 */
export function GeoGrid({ lat, lon }: { lat: number; lon: number }) {
  const x = Math.min(360, Math.max(0, lon + 180))
  const y = Math.min(180, Math.max(0, 90 - lat))
  const lines = [30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330]
  return (
    <svg className="geo-grid" viewBox="-2 -2 364 184" role="img" aria-label={`Position on a latitude and longitude grid: ${formatCoordinates(lat, lon)}`} data-testid="geo-grid">
      <rect x="0" y="0" width="360" height="180" fill="var(--geo-bg)" stroke="var(--geo-edge)" />
      {lines.map((v) => (
        <line key={`v${v}`} x1={v} y1="0" x2={v} y2="180" stroke={v === 180 ? 'var(--geo-axis)' : 'var(--geo-line)'} strokeWidth={v === 180 ? 1.2 : 0.8} />
      ))}
      {[30, 60, 90, 120, 150].map((v) => (
        <line key={`h${v}`} x1="0" y1={v} x2="360" y2={v} stroke={v === 90 ? 'var(--geo-axis)' : 'var(--geo-line)'} strokeWidth={v === 90 ? 1.2 : 0.8} />
      ))}
      <line x1={x} y1="0" x2={x} y2="180" stroke="var(--accent)" strokeWidth="1" strokeDasharray="3 3" />
      <line x1="0" y1={y} x2="360" y2={y} stroke="var(--accent)" strokeWidth="1" strokeDasharray="3 3" />
      <circle cx={x} cy={y} r="6" fill="none" stroke="var(--accent)" strokeWidth="2" />
      <circle cx={x} cy={y} r="2" fill="var(--accent)" />
      <text x="4" y="176" fontSize="11" fill="var(--geo-text)">
        equator, 0° meridian; lines every 30°
      </text>
    </svg>
  )
}

const OFFSET = /^([+-])(\d{2}):?(\d{2})$/

/** "+2", "+0200", "-05:00", "Z" → "+02:00" / "-05:00" / "+00:00"; "" → ""; null when not an offset. */
export function normalizeOffset(t: string): string | null {
  const s = t.trim().replace(/^UTC/i, '').replace('−', '-')
  if (!s) return ''
  if (/^z$/i.test(s)) return '+00:00'
  const short = /^([+-])(\d{1,2})$/.exec(s)
  const m = short ? [s, short[1], short[2].padStart(2, '0'), '00'] : OFFSET.exec(s)
  if (!m) return null
  const h = Number(m[2])
  const min = Number(m[3])
  if (h > 14 || min > 59 || (h === 14 && min > 0)) return null
  return `${m[1]}${m[2]}:${m[3]}`
}

/** The `taken_at` to send for a datetime-local value and an offset ("" = wall clock only). */
export function takenAtFor(local: string, offset: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(?:\.\d+)?$/.exec(local)
  if (!m) return null
  return `${m[1]}T${m[2]}${m[3] ?? ':00'}${offset}`
}

function initialDate(image: Image): { local: string; offset: string } {
  const w = parseWallClock(image.taken_at)
  if (!w) return { local: '', offset: '' }
  const p = (n: number) => String(n).padStart(2, '0')
  return { local: `${w.year}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second)}`, offset: w.offset ?? '' }
}

function DatePlaceForm({ image, onSaved, onDone }: { image: Image; onSaved: (img: Image) => void; onDone: () => void }) {
  const init = initialDate(image)
  const initLat = image.location ? String(image.location.lat) : ''
  const initLon = image.location ? String(image.location.lon) : ''
  const [local, setLocal] = useState(init.local)
  const [offset, setOffset] = useState(init.offset)
  const [lat, setLat] = useState(initLat)
  const [lon, setLon] = useState(initLon)
  const [busy, setBusy] = useState(false)
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null)

  const sameTime = (a: string, b: string) => takenAtFor(a, '') === takenAtFor(b, '') && (a === b || takenAtFor(a, '') !== null)
  const dateDirty = !sameTime(local, init.local) || (normalizeOffset(offset) ?? offset) !== init.offset
  const placeDirty = lat !== initLat || lon !== initLon

  const send = async (patch: Parameters<typeof patchImage>[1]) => {
    setBusy(true)
    setMsg(null)
    try {
      onSaved(await patchImage(image.id, patch))
      setMsg({ ok: true, text: 'Saved.' })
    } catch (err) {
      setMsg({ ok: false, text: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }

  const save = (e: FormEvent) => {
    e.preventDefault()
    const patch: Parameters<typeof patchImage>[1] = {}
    if (dateDirty) {
      const off = normalizeOffset(offset)
      if (off === null) return setMsg({ ok: false, text: 'Write the offset from UTC like +02:00 or -05:00, or leave it empty.' })
      if (!local) return setMsg({ ok: false, text: 'Enter the date and time the photo was taken.' })
      const t = takenAtFor(local, off)
      if (!t) return setMsg({ ok: false, text: 'Enter the date and time the photo was taken.' })
      patch.taken_at = t
    }
    if (placeDirty) {
      if (!lat.trim() && !lon.trim()) {
        patch.location = null
      } else {
        const p = parsePosition(lat, lon)
        if ('error' in p) return setMsg({ ok: false, text: p.error })
        patch.location = p
      }
    }
    void send(patch)
  }

  return (
    <form className="edit-meta" onSubmit={save} data-testid="date-place-form" noValidate>
      <div className="form-row">
        <div className="field">
          <label htmlFor="taken-local">Date taken</label>
          <input id="taken-local" type="datetime-local" step={1} value={local} onChange={(e) => setLocal(e.target.value)} data-testid="edit-taken-at" />
        </div>
        <div className="field">
          <label htmlFor="taken-offset">Offset from UTC</label>
          <input id="taken-offset" type="text" inputMode="text" placeholder="+02:00" maxLength={9} value={offset} onChange={(e) => setOffset(e.target.value)} data-testid="edit-taken-offset" />
        </div>
      </div>
      <p className="hint">The time as the camera’s clock showed it. Leave the offset empty when you do not know it.</p>
      <div className="form-row">
        <div className="field">
          <label htmlFor="pos-lat">Latitude</label>
          <input id="pos-lat" type="text" inputMode="decimal" placeholder="48.8566" value={lat} onChange={(e) => setLat(e.target.value)} data-testid="edit-lat" />
        </div>
        <div className="field">
          <label htmlFor="pos-lon">Longitude</label>
          <input id="pos-lon" type="text" inputMode="decimal" placeholder="2.3522" value={lon} onChange={(e) => setLon(e.target.value)} data-testid="edit-lon" />
        </div>
      </div>
      <p className="hint">Decimal degrees; south and west are negative. Clear both to remove the position.</p>
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy || (!dateDirty && !placeDirty)} data-testid="save-date-place">
          {busy ? 'Saving…' : 'Save'}
        </button>
        {image.taken_at_source === 'manual' && (
          <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={() => void send({ taken_at: null })} data-testid="reset-taken-at">
            Use the file’s date
          </button>
        )}
        <button type="button" className="btn btn-ghost btn-small" onClick={onDone} disabled={busy}>
          Close
        </button>
        {msg && (
          <span className={msg.ok ? 'ok-text' : 'err-text'} role={msg.ok ? 'status' : 'alert'} data-testid="date-place-msg">
            {msg.text}
          </span>
        )}
      </div>
    </form>
  )
}
