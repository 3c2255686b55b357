// My appointments: upcoming first (soonest first), then past and cancelled (newest first),
// each with its status label in the API's words. A booking held for payment (待支付) has
// "pay now" and the time left to pay; one released unpaid says so.
const api = require('../../utils/api')
const time = require('../../utils/time')
const session = require('../../utils/session')
const payment = require('../../utils/payment')
const { base, strings, guarded } = require('../../utils/page')

const HOLDING = ['awaiting_payment', 'pending', 'confirmed', 'in_progress']

function row(a, t) {
  const awaiting = a.status === 'awaiting_payment'
  return {
    id: a.id,
    service: a.service.name,
    staff: a.staff.name,
    when: time.withZone(a.start, a.zone_label || a.zone),
    status: a.status,
    label: a.status_label,
    payBy: awaiting ? a.payment.pay_by : '',
    left: awaiting ? payment.countdown(a.payment.pay_by, Date.now()) : '',
    reason: a.status === 'cancelled' && a.payment.state === 'expired' ? t.unpaid_reason : '',
  }
}

Component({
  data: base({ upcoming: [], past: [], needsLogin: false }),
  lifetimes: {
    detached() {
      this.stopCountdown()
    },
  },
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
    onHide() {
      this.stopCountdown()
    },
    onUnload() {
      this.stopCountdown()
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
        const t = this.data.t
        answer.items.forEach((a) => {
          const ahead = new Date(a.end).getTime() > now && HOLDING.indexOf(a.status) >= 0
          ;(ahead ? upcoming : past).push(row(a, t))
        })
        past.reverse()
        this.setData({ upcoming, past, needsLogin: false })
        this.startCountdown()
      })
    },
    // The time left to pay, each second, on the bookings held for payment.
    startCountdown() {
      this.stopCountdown()
      if (!this.data.upcoming.some((r) => r.payBy)) return
      this.timer = setTimeout(() => {
        const now = Date.now()
        const changes = {}
        this.data.upcoming.forEach((r, i) => {
          if (r.payBy) changes[`upcoming[${i}].left`] = payment.countdown(r.payBy, now)
        })
        this.setData(changes)
        this.startCountdown()
      }, 1000)
    },
    stopCountdown() {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
    },
    onPay(event) {
      wx.navigateTo({ url: `/pages/pay/pay?id=${event.currentTarget.dataset.id}` })
    },
    onOpen(event) {
      wx.navigateTo({ url: `/pages/appointment/appointment?id=${event.currentTarget.dataset.id}` })
    },
    onLogin() {
      wx.navigateTo({ url: '/pages/login/login?back=1' })
    },
  },
})
