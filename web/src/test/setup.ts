import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'
import { dismissToast } from '../lib/toast'

// A loaded machine (CI's cargo build beside the tests on two cores) can take over three
// seconds to render a page: seen failing at 3 s.
configure({ asyncUtilTimeout: 10000 })

// jsdom does not implement scrolling; the app calls it on navigation.
window.scrollTo = (() => {}) as typeof window.scrollTo

afterEach(() => {
  cleanup()
  sessionStorage.clear()
  dismissToast()
})
