// My appointments: upcoming first (soonest first), then past and cancelled (newest first),
// each with its status label in the API's words.
const api = require('../../utils/api')
const time = require('../../utils/time')
const session = require('../../utils/session')
const { base, strings, guarded } = require('../../utils/page')

const HOLDING = ['pending', 'confirmed', 'in_progress']

function row(a) {
  return {
    id: a.id,
    service: a.service.name,
    staff: a.staff.name,
    when: time.withZone(a.start, a.zone_label || a.zone),
    status: a.status,
    label: a.status_label,
  }
}

Component({
  data: base({ upcoming: [], past: [], needsLogin: false }),
  methods: {
    onLoad() {
      // WeChat's language, as it is when the page opens.
      this.setData({ t: strings() })
      return this.load()
    },
    onShow() {
      if (this.loaded) return this.load()
      return undefined
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      this.loaded = true
      return guarded(this, async () => {
        if (!(await session.ensureLogin())) {
          this.setData({ needsLogin: true })
          return
        }
        const answer = await api.get('/appointments', { order: 'start', limit: 200 })
        const now = Date.now()
        const upcoming = []
        const past = []
        answer.items.forEach((a) => {
          const ahead = new Date(a.end).getTime() > now && HOLDING.indexOf(a.status) >= 0
          ;(ahead ? upcoming : past).push(row(a))
        })
        past.reverse()
        this.setData({ upcoming, past, needsLogin: false })
      })
    },
    onOpen(event) {
      wx.navigateTo({ url: `/pages/appointment/appointment?id=${event.currentTarget.dataset.id}` })
    },
    onLogin() {
      wx.navigateTo({ url: '/pages/login/login?back=1' })
    },
  },
})
