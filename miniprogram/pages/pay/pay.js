// Pay: a booking held for payment (待支付) until `pay_by`, with the time left counting down.
// "Pay with WeChat" asks the server for the JSAPI parameters (POST /appointments/{id}/pay) and
// opens WeChat Pay's sheet with them; once paid, the page asks for the appointment until it no
// longer awaits payment (WeChat Pay tells the server, not the phone) and shows it booked.
// Closing the sheet leaves the booking held, with "pay now" to try again.
const api = require('../../utils/api')
const time = require('../../utils/time')
const payment = require('../../utils/payment')
const { money } = require('../../utils/money')
const { base, strings, guarded } = require('../../utils/page')

const POLL_MS = 1000
const POLL_TRIES = 20

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

Component({
  data: base({
    appointment: null,
    when: '',
    amount: '',
    left: '',
    // awaiting | confirming | expired (released unpaid) | ended (the window closed meanwhile)
    state: 'awaiting',
    note: '',
  }),
  lifetimes: {
    detached() {
      this.stopCountdown()
    },
  },
  methods: {
    onLoad(query) {
      // WeChat's language, as it is when the page opens.
      this.setData({ t: strings() })
      this.id = query.id
      return this.load()
    },
    onUnload() {
      this.stopCountdown()
    },
    load() {
      return guarded(this, async () => {
        this.show(await api.get(`/appointments/${this.id}`))
      })
    },
    show(a) {
      const zone = a.zone_label || a.zone
      this.setData({
        appointment: a,
        when: time.withZone(a.start, zone),
        amount: money(a.payment.amount_due, a.currency),
      })
      if (a.status === 'awaiting_payment') {
        this.setData({ state: this.data.state === 'confirming' ? 'confirming' : 'awaiting' })
        this.startCountdown(a.payment.pay_by)
        return
      }
      this.stopCountdown()
      if (a.status === 'cancelled') {
        this.setData({ state: 'expired', left: '' })
        return
      }
      // Paid: booked, as after any booking.
      wx.redirectTo({ url: `/pages/booked/booked?id=${a.id}` })
    },
    startCountdown(payBy) {
      this.stopCountdown()
      const tick = () => {
        const left = payment.countdown(payBy, Date.now())
        this.setData({ left })
        if (!left) {
          this.setData({ state: 'ended' })
          this.timer = null
          return
        }
        this.timer = setTimeout(tick, 1000)
      }
      tick()
    },
    stopCountdown() {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
    },
    onPay() {
      return guarded(this, async () => {
        this.setData({ note: '' })
        const answer = await api.post(`/appointments/${this.id}/pay`, { method: 'wechat_jsapi' })
        const outcome = await payment.requestPayment(answer.jsapi)
        if (outcome === 'cancelled') {
          // Still held: the countdown goes on, and "pay now" tries again.
          this.setData({ state: 'awaiting', note: this.data.t.pay_cancelled })
          return
        }
        this.setData({ state: 'confirming' })
        let a = null
        for (let i = 0; i < POLL_TRIES; i++) {
          a = await api.get(`/appointments/${this.id}`)
          if (a.status !== 'awaiting_payment') break
          await pause(POLL_MS)
        }
        this.show(a)
      })
    },
    onMine() {
      wx.switchTab({ url: '/pages/appointments/appointments' })
    },
  },
})
