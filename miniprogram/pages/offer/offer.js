// A waitlist offer (docs/waitlist.md#the-offer): the time freed and held for this customer,
// until when, and accept (it books; a service paid online then awaits payment) or decline (it
// goes to the next person waiting).
const api = require('../../utils/api')
const time = require('../../utils/time')
const { money } = require('../../utils/money')
const { base, strings, guarded } = require('../../utils/page')

function fill(text, values) {
  return Object.keys(values).reduce((out, key) => out.replace(`{${key}}`, values[key]), text)
}

Component({
  data: base({ offer: null, when: '', held: '', pay: '', standing: false }),
  methods: {
    onLoad(query) {
      this.setData({ t: strings() })
      this.id = query.id
      return this.load()
    },
    load() {
      return guarded(this, async () => {
        const a = await api.get(`/appointments/${this.id}`)
        const zone = a.zone_label || a.zone
        const expires = a.offer_expires_at ? Date.parse(a.offer_expires_at) : 0
        const standing = a.status === 'offered' && expires > Date.now()
        const t = this.data.t
        this.setData({
          offer: a,
          standing,
          when: time.withZone(a.start, zone),
          held: standing
            ? fill(t.offer_held, {
                until: time.parts(a.offer_expires_at).clock,
                n: Math.max(1, Math.round((expires - Date.now()) / 60000)),
              })
            : t.offer_gone,
          pay:
            a.payment && Number(a.payment.amount_due) > 0
              ? fill(t.offer_pay, { amount: money(a.payment.amount_due, a.currency) })
              : '',
        })
      })
    },
    onAccept() {
      return guarded(this, async () => {
        await api.post(`/waitlist/offers/${this.id}/accept`, {})
        wx.redirectTo({ url: `/pages/appointment/appointment?id=${this.id}` })
      })
    },
    onDecline() {
      return guarded(this, async () => {
        await api.post(`/waitlist/offers/${this.id}/decline`, {})
        wx.showToast({ title: this.data.t.offer_declined })
        await this.load()
      })
    },
  },
})
