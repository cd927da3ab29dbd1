// Registers the service worker that keeps the app's own files on the phone, so that a rep who
// opens repflow with no coverage gets the app (and their queued work) rather than an error page.
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // without it the app still works online; nothing to tell the rep
    })
  })
}
