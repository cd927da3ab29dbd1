import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { i18n, setLocale, currentLocale } from './i18n'
import { onSessionEnded } from './api/client'
import { useSessionStore } from './stores/session'
import { registerServiceWorker } from './offline/serviceWorker'
import './styles/base.css'

const app = createApp(App)
app.use(createPinia())
app.use(i18n)
app.use(router)
setLocale(currentLocale())

// Any 401 anywhere ends the session in the UI and leads to the login page, back here afterwards.
onSessionEnded(() => {
  const session = useSessionStore()
  // Signed out already, or still restoring (the guard then decides, and a deep link to a public
  // page such as /signup/verify must not be sent to the login page by /me's 401).
  if (session.status !== 'signed-in') return
  session.signedOut()
  const here = router.currentRoute.value
  if (!here.meta.public) void router.push({ name: 'login', query: { next: here.fullPath } })
})

app.mount('#app')
registerServiceWorker()
