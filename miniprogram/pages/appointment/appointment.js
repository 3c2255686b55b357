// One appointment (also where a subscribe message's card opens): cancel with a reason, or
// reschedule through the same picker, when the API's `actions` say the person may (the server
// decides, with the service's cut-offs; the page never works the rule out itself).
const api = require('../../utils/api')
const time = require('../../utils/time')
const shop = require('../../utils/shop')
const { money } = require('../../utils/money')
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
        this.setData({
          appointment: a,
          when: time.withZone(a.start, zone),
          price: money(a.price, a.currency),
          canCancel,
          canMove,
          tooLate: open && !canCancel && !canMove,
          deadline: canCancel ? time.withZone(a.cancel_deadline, zone) : '',
        })
      })
    },
    onReason(event) {
      this.setData({ reason: event.detail.value })
    },
    onCancel() {
      return guarded(this, async () => {
        await api.post(`/appointments/${this.id}/cancel`, { reason: this.data.reason })
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
