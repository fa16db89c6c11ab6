import { useMemo, useState } from 'react'
import type { FormEvent } from 'react'
import { Link } from 'react-router'
import type { Image } from '../api/types'
import { dayLabel, formatIsoDay, groupByMonthAndDay, monthLabel, sortTime, validIsoDay } from '../lib/dates'
import type { GallerySort } from '../lib/galleryQuery'
import { useElementWidth } from '../lib/hooks'
import { aspectRatio, targetRowHeightFor } from '../lib/justified'
import { JustifiedGallery } from './Gallery'

const EAGER = 12
const GAP = 8

/**
 * The width a day's photos take in one row at the target height, when that fits in the
 * container (a day of a few photos then sits beside the next day, as in a photo timeline);
 * null when the day needs full rows of its own.
 */
export function inlineDayWidth(items: Array<{ width: number | null; height: number | null }>, containerWidth: number): number | null {
  if (containerWidth <= 0) return null
  const target = targetRowHeightFor(containerWidth)
  const w = items.reduce((sum, it) => sum + aspectRatio(it) * target, 0) + GAP * (items.length - 1)
  // a pixel of slack per photo for rounding, so the row is never wrapped or stretched
  const width = Math.ceil(w) + items.length
  return width <= containerWidth ? width : null
}

/**
 * The gallery as a timeline: a header per month ("October 2008"), and under it one justified
 * block per day ("Wed 22 Oct"). Sections follow the list's order (the server's sort); the date
 * is the photo's own wall clock when sorting by date taken, else the upload time.
 */
export function Timeline({
  images,
  sort,
  ownerBadgesExcept = null,
  favorites = false,
}: {
  images: Image[]
  sort: GallerySort
  ownerBadgesExcept?: string | null
  /** Tiles carry a favourite heart (signed in). */
  favorites?: boolean
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>()
  const months = useMemo(() => groupByMonthAndDay(images, (i) => sortTime(i, sort)), [images, sort])
  return (
    <div ref={ref} className="timeline" data-testid="gallery">
      {months.map((m, mi) => (
        <section
          key={`${m.month}#${mi}`}
          className="tl-month"
          data-testid="timeline-month"
          data-month={m.month}
          aria-label={m.month ? monthLabel(m.month) : 'Date unknown'}
        >
          <h2 className="tl-month-h" data-testid="timeline-month-title">
            {m.month ? monthLabel(m.month) : 'Date unknown'}
            <span className="tl-count">
              {m.count} {m.count === 1 ? 'photo' : 'photos'}
            </span>
          </h2>
          <div className="tl-days">
          {m.days.map((d) => {
            const inline = inlineDayWidth(d.items, width)
            return (
            <div
              key={`${d.day}#${d.start}`}
              className={'tl-day' + (inline ? ' tl-day-inline' : '')}
              style={inline ? { width: inline } : undefined}
              data-testid="timeline-day"
              data-day={d.day}
            >
              {d.day && (
                <h3 className="tl-day-h" data-testid="timeline-day-title">
                  <time dateTime={d.day}>{dayLabel(d.day)}</time>
                </h3>
              )}
              <JustifiedGallery
                images={d.items}
                width={inline ?? (width || undefined)}
                rowHeight={width ? targetRowHeightFor(width) : undefined}
                testId="timeline-day-images"
                eagerCount={Math.max(0, EAGER - d.start)}
                ownerBadgesExcept={ownerBadgesExcept}
                dates={sort}
                favorites={favorites}
                label={d.day ? `Photos of ${formatIsoDay(d.day)}` : 'Photos without a date'}
              />
            </div>
            )
          })}
          </div>
        </section>
      ))}
    </div>
  )
}

/** Years with photos down the side; a year link shows that year at the top, then older ones. */
export function YearScrubber({
  years,
  active,
  hrefFor,
  newestHref,
}: {
  years: Array<{ year: number; count: number }>
  active: number | null
  hrefFor: (year: number) => string
  newestHref: string
}) {
  if (years.length === 0) return null
  return (
    <nav className="year-scrubber" aria-label="Jump to a year" data-testid="year-scrubber">
      <ol>
        <li>
          <Link to={newestHref} aria-current={active === null ? 'true' : undefined} className="ys-newest" data-testid="year-newest">
            Newest
          </Link>
        </li>
        {years.map((y) => (
          <li key={y.year}>
            <Link
              to={hrefFor(y.year)}
              aria-current={active === y.year ? 'true' : undefined}
              title={`${y.count} ${y.count === 1 ? 'photo' : 'photos'} taken in ${y.year}`}
              data-testid="year-link"
              data-year={y.year}
            >
              {y.year}
            </Link>
          </li>
        ))}
      </ol>
    </nav>
  )
}

/**
 * From / to dates for the date taken. Applied with the button (or Enter), not on every change:
 * a date field reports "0002-01-01" while its year is being typed.
 */
export function DateRangeForm({
  from,
  to,
  onApply,
}: {
  from: string | null
  to: string | null
  onApply: (from: string | null, to: string | null) => void
}) {
  const [f, setF] = useState(from ?? '')
  const [t, setT] = useState(to ?? '')
  const [error, setError] = useState<string | null>(null)
  // Follow the URL (back button, a year jump) when it changes under the form.
  const [seen, setSeen] = useState(`${from}|${to}`)
  if (seen !== `${from}|${to}`) {
    setSeen(`${from}|${to}`)
    setF(from ?? '')
    setT(to ?? '')
    setError(null)
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const vf = f ? validIsoDay(f) : null
    const vt = t ? validIsoDay(t) : null
    if ((f && !vf) || (t && !vt)) return setError('Enter dates as year, month and day.')
    if (vf && vt && vf > vt) return setError('The “from” date is after the “to” date.')
    setError(null)
    onApply(vf, vt)
  }
  const active = !!(from || to)
  return (
    <form className="date-range" onSubmit={submit} data-testid="date-range" aria-label="Date taken" noValidate>
      <div className="field inline">
        <label htmlFor="taken-from">From</label>
        <input id="taken-from" type="date" value={f} max={t || undefined} onChange={(e) => setF(e.target.value)} data-testid="taken-from" />
      </div>
      <div className="field inline">
        <label htmlFor="taken-to">to</label>
        <input id="taken-to" type="date" value={t} min={f || undefined} onChange={(e) => setT(e.target.value)} data-testid="taken-to" />
      </div>
      <button type="submit" className="btn btn-secondary btn-small" data-testid="date-apply">
        Apply
      </button>
      {active && (
        <button
          type="button"
          className="btn btn-ghost btn-small"
          data-testid="date-clear"
          onClick={() => {
            setF('')
            setT('')
            setError(null)
            onApply(null, null)
          }}
        >
          Any date
        </button>
      )}
      {error && (
        <p className="err-text small" role="alert" data-testid="date-error">
          {error}
        </p>
      )}
    </form>
  )
}
