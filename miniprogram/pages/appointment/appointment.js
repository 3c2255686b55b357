// One appointment (also where a subscribe message's card opens): cancel with a reason, or
// reschedule through the same picker, when the API's `actions` say the person may (the server
// decides, with the service's cut-offs; the page never works the rule out itself). What was
// paid and refunded shows; before a cancellation is confirmed the page says what comes back
// (the API's `payment.refund_if_cancelled_now`); a booking held for payment has "pay now".
const api = require('../../utils/api')
const time = require('../../utils/time')
const shop = require('../../utils/shop')
const { money } = require('../../utils/money')
const payment = require('../../utils/payment')
const { base, strings, guarded } = require('../../utils/page')

const CHANGEABLE = ['pending', 'confirmed']

Component({
  data: base({
    appointment: null,
    when: '',
    price: '',
    reason: '',
    canCancel: false,
    canMove: false,
    tooLate: false,
    deadline: '',
    qr: '',
    paid: '',
    refundNotice: '',
    refundUntil: '',
    awaiting: false,
    unpaidReason: '',
  }),
  methods: {
    onLoad(query) {
      // WeChat's language, as it is when the page opens.
      this.setData({ t: strings() })
      this.id = query.id
      return this.load()
    },
    load() {
      return guarded(this, async () => {
        const a = await api.get(`/appointments/${this.id}`)
        if (a.status === 'offered') {
          // A waitlist offer is answered on its own page.
          wx.redirectTo({ url: `/pages/offer/offer?id=${this.id}` })
          return
        }
        const actions = a.actions || []
        const open = CHANGEABLE.indexOf(a.status) >= 0
        const canCancel = actions.indexOf('cancel') >= 0
        const canMove = actions.indexOf('reschedule') >= 0
        const zone = a.zone_label || a.zone
        // The check-in code's QR code, drawn by the server (no QR library here): shown at the
        // counter, where staff scan it or type the digits (核销).
        const qr = a.checkin_code ? (await api.get(`/appointments/${this.id}/checkin-qr`)).png : ''
        this.setData({
          qr,
          appointment: a,
          when: time.withZone(a.start, zone),
          price: money(a.price, a.currency),
          canCancel,
          canMove,
          tooLate: open && !canCancel && !canMove,
          deadline: canCancel ? time.withZone(a.cancel_deadline, zone) : '',
          paid: payment.paidLine(a.payment, a.currency),
          refundNotice: canCancel ? payment.refundNotice(a.payment, a.currency) : '',
          refundUntil: this.refundUntil(a, canCancel, zone),
          awaiting: a.status === 'awaiting_payment',
          unpaidReason:
            a.status === 'cancelled' && a.payment.state === 'expired' ? this.data.t.unpaid_reason : '',
        })
      })
    },
    // "12月1日 10:00 前取消可全额退款", while that is still ahead and everything would come back.
    refundUntil(a, canCancel, zone) {
      const p = a.payment
      if (!canCancel || !p.full_refund_until || Number(p.kept_if_cancelled_now || 0) > 0) return ''
      if (new Date(p.full_refund_until).getTime() <= Date.now()) return ''
      if (a.cancel_deadline === p.full_refund_until) return ''
      return payment.fill(this.data.t.refund_until, { when: time.withZone(p.full_refund_until, zone) })
    },
    onPay() {
      wx.navigateTo({ url: `/pages/pay/pay?id=${this.id}` })
    },
    // Asks first when money is at stake, saying what comes back.
    confirmCancel() {
      const notice = this.data.refundNotice
      if (!notice) return Promise.resolve(true)
      return new Promise((resolve) => {
        wx.showModal({
          title: this.data.t.confirm_cancel,
          content: notice,
          success: (res) => resolve(Boolean(res.confirm)),
          fail: () => resolve(false),
        })
      })
    },
    onReason(event) {
      this.setData({ reason: event.detail.value })
    },
    async onCancel() {
      if (!(await this.confirmCancel())) return undefined
      const body = { reason: this.data.reason }
      const shown = this.data.refundNotice && this.data.appointment.payment.refund_if_cancelled_now
      // On the terms just shown: if the cut-off passed meanwhile the server cancels nothing
      // (409 refund_changed) and the page shows the new terms.
      if (shown) body.refund_shown = shown
      return guarded(this, async () => {
        try {
          await api.post(`/appointments/${this.id}/cancel`, body)
        } catch (error) {
          await this.load()
          throw error
        }
        wx.showToast({ title: this.data.t.cancel_done })
        await this.load()
      })
    },
    onReschedule() {
      const a = this.data.appointment
      wx.navigateTo({
        url: `/pages/book/book?service=${a.service.id}&staff=${a.staff.id}&reschedule=${a.id}`,
      })
    },
  },
})
