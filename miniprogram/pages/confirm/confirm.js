// Confirm: the chosen time, notes, then book. Tapping confirm first asks for subscribe-message
// consent (WeChat only allows that in a tap), logs in if needed, records the consent, and books
// with an idempotency key, so a retried tap books once. A lost race shows the API's nearest
// free times as buttons.
const config = require('../../config')
const tenant = require('../../utils/business')
const api = require('../../utils/api')
const time = require('../../utils/time')
const session = require('../../utils/session')
const { base, strings, guarded, findService } = require('../../utils/page')
const { money } = require('../../utils/money')

Component({
  data: base({
    service: null,
    start: '',
    when: '',
    notes: '',
    alternatives: [],
    timezone: '',
  }),
  methods: {
    onLoad(query) {
      // WeChat's language, as it is when the page opens.
      this.setData({ t: strings() })
      this.query = {
        service: Number(query.service),
        staff: query.staff ? Number(query.staff) : null,
        location: query.location ? Number(query.location) : null,
      }
      this.key = api.idempotencyKey()
      this.setData({ start: decodeURIComponent(query.start || '') })
      return this.load()
    },
    load() {
      return guarded(this, async () => {
        const slug = tenant.current()
        const [services, business] = await Promise.all([
          api.get(`/businesses/${slug}/services`, { limit: 200 }),
          api.get(`/businesses/${slug}`),
        ])
        const service = findService(services, this.query.service)
        const shop = business.locations.find((l) => l.id === this.query.location)
        const timezone = shop ? shop.timezone : business.timezone
        this.setData({
          service: {
            name: service.name,
            duration: service.duration_minutes,
            price: money(service.price, service.currency),
          },
          timezone,
          when: time.withZone(this.data.start, timezone),
        })
      })
    },
    onNotes(event) {
      this.setData({ notes: event.detail.value })
    },
    onAlternative(event) {
      const start = event.currentTarget.dataset.start
      this.key = api.idempotencyKey()
      this.setData({ start, when: time.withZone(start, this.data.timezone), alternatives: [] })
      return this.onConfirm()
    },
    async onConfirm() {
      const consent = await session.askConsent()
      return guarded(this, async () => {
        if (!(await session.ensureLogin())) {
          wx.navigateTo({ url: '/pages/login/login?back=1' })
          return null
        }
        await session.reportConsent(consent)
        const body = {
          service_id: this.query.service,
          start: this.data.start,
          notes: this.data.notes,
          channel: 'miniprogram',
        }
        if (this.query.staff) body.staff_id = this.query.staff
        if (this.query.location) body.location_id = this.query.location
        let appointment
        try {
          appointment = await api.post(`/businesses/${tenant.current()}/appointments`, body, {
            'Idempotency-Key': this.key,
          })
        } catch (error) {
          if (error.code === 'slot_unavailable') {
            const alternatives = (error.details.alternatives || []).map((slot) => ({
              start: slot.start,
              label: time.withZone(slot.start, this.data.timezone),
            }))
            this.setData({ alternatives })
          }
          throw error
        }
        wx.redirectTo({ url: `/pages/booked/booked?id=${appointment.id}` })
        return appointment
      })
    },
  },
})
