// Applies the colour theme before the first paint (no light flash on a dark setting). A file of
// its own, not inline: the server's Content-Security-Policy allows scripts from this origin only.
// Keep in step with src/lib/theme.ts (the key and the values).
;(function () {
  var pref = 'system'
  try {
    var v = localStorage.getItem('banana.theme')
    if (v === 'light' || v === 'dark') pref = v
  } catch (e) {}
  var dark = pref === 'dark' || (pref === 'system' && !!window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches)
  var root = document.documentElement
  root.setAttribute('data-theme', dark ? 'dark' : 'light')
  root.setAttribute('data-theme-pref', pref)
  root.style.colorScheme = dark ? 'dark' : 'light'
})()
