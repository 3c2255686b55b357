// Confirm: the chosen time, notes, then book. Tapping confirm first asks for subscribe-message
// consent (WeChat only allows that in a tap), logs in if needed, records the consent, and books
// with an idempotency key, so a retried tap books once. A lost race shows the API's nearest
// free times as buttons. A service paid online goes on to the pay step.
const tenant = require('../../utils/business')
const api = require('../../utils/api')
const time = require('../../utils/time')
const session = require('../../utils/session')
const { base, strings, guarded, findService } = require('../../utils/page')
const { money } = require('../../utils/money')
const shop = require('../../utils/shop')

Component({
  data: base({
    service: null,
    start: '',
    when: '',
    notes: '',
    alternatives: [],
    timezone: '',
    staffName: '',
    shop: null,
    seriesOffered: false,
    // The member cards that can pay this service (docs/cards.md): '' books without one.
    cards: [],
    cardId: '',
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
        const [services, business, staff] = await Promise.all([
          api.get(`/businesses/${slug}/services`, { limit: 200 }),
          api.get(`/businesses/${slug}`),
          api.get(`/businesses/${slug}/staff`, { service_id: this.query.service, limit: 200 }),
        ])
        const service = findService(services, this.query.service)
        const member = staff.items.find((s) => s.id === this.query.staff)
        // The shop: the one chosen, else the chosen person's, else the only one; with anyone
        // at any of several shops it is known once booked.
        const shopId = this.query.location || (member && member.location_id)
        const place =
          business.locations.find((l) => l.id === shopId) ||
          (business.locations.length === 1 ? business.locations[0] : null)
        const zone = place || business
        this.setData({
          service: {
            name: service.name,
            duration: time.duration(service.duration_minutes),
            price: money(service.price, service.currency),
          },
          staffName: member ? member.name : this.data.t.anyone_short,
          shop: place
            ? Object.assign({}, place, { hasMap: place.latitude != null && place.longitude != null })
            : null,
          timezone: zone.timezone_label || zone.timezone,
          when: time.withZone(this.data.start, zone.timezone_label || zone.timezone),
          // A weekly series, where the service and the business allow customers one.
          seriesOffered: Boolean(service.allows_series && business.customers_book_series),
        })
        await this.loadCards(slug)
      })
    },
    // My cards at this business that can pay this service: a package of it with a use left,
    // or stored value with money left (the server decides at booking; 409 when it cannot).
    async loadCards(slug) {
      if (!api.token()) return
      const held = await api.get('/me/cards', { limit: 100 })
      const usable = held.items.filter(
        (card) =>
          card.business.slug === slug &&
          card.status === 'active' &&
          (card.kind === 'package'
            ? card.uses_left - card.uses_reserved > 0 &&
              card.services.some((s) => s.id === this.query.service)
            : Number(card.balance_available) > 0)
      )
      this.setData({ cards: usable.map((card) => ({ id: card.id, name: card.name })) })
    },
    onCard(event) {
      const id = event.currentTarget.dataset.id || ''
      this.setData({ cardId: this.data.cardId === id ? '' : id })
    },
    onCall() {
      shop.call(this.data.shop && this.data.shop.phone)
    },
    onMap() {
      shop.openMap(this.data.shop)
    },
    onSeries() {
      const q = this.query
      const parts = [`service=${q.service}`, `start=${encodeURIComponent(this.data.start)}`]
      if (q.staff) parts.push(`staff=${q.staff}`)
      if (q.location) parts.push(`location=${q.location}`)
      wx.navigateTo({ url: `/pages/series/series?${parts.join('&')}` })
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
        if (this.data.cardId) body.card_id = this.data.cardId
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
        // A service paid online is held (待支付) until paid: the pay step, else booked.
        const next = appointment.status === 'awaiting_payment' ? 'pay/pay' : 'booked/booked'
        wx.redirectTo({ url: `/pages/${next}?id=${appointment.id}` })
        return appointment
      })
    },
  },
})
