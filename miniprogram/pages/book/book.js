// Service → shop (when several offer it) → who ("anyone" first) → a week strip of days
// (days with no free time greyed) → the day's free times. For a reschedule (`reschedule=<id>`)
// tapping a time moves the appointment; otherwise it goes on to the confirm page. A full day
// offers the waitlist (候补, docs/waitlist.md): tapping it, then "join", waits for that day.
const config = require('../../config')
const tenant = require('../../utils/business')
const api = require('../../utils/api')
const time = require('../../utils/time')
const { base, strings, guarded, findService } = require('../../utils/page')

const DAYS = 7

Component({
  data: base({
    service: null,
    shops: [],
    shopId: null,
    staff: [],
    staffId: null,
    weekStart: '',
    days: [],
    day: '',
    times: [],
    timezone: '',
    opens: '',
    reschedule: '',
    waitDay: '',
  }),
  methods: {
    onLoad(query) {
      // WeChat's language, as it is when the page opens.
      this.setData({ t: strings() })
      this.serviceId = Number(query.service)
      this.setData({
        reschedule: query.reschedule || '',
        staffId: query.staff ? Number(query.staff) : null,
        weekStart: time.today(),
      })
      return this.load()
    },
    load() {
      return guarded(this, async () => {
        const slug = tenant.current()
        const [services, staff, business] = await Promise.all([
          api.get(`/businesses/${slug}/services`, { limit: 200 }),
          api.get(`/businesses/${slug}/staff`, { service_id: this.serviceId, limit: 200 }),
          api.get(`/businesses/${slug}`),
        ])
        // The public list: a customer may not read one service on its own (staff only).
        const service = findService(services, this.serviceId)
        // The zones' names as people say them ("北京时间"), for the availability's zone.
        this.zoneLabels = {}
        ;[business].concat(business.locations).forEach((place) => {
          this.zoneLabels[place.timezone] = place.timezone_label
        })
        this.allStaff = staff.items.filter((s) => s.active)
        const used = new Set(this.allStaff.map((s) => s.location_id).filter(Boolean))
        const shops = business.locations.filter((l) => used.has(l.id))
        wx.setNavigationBarTitle({ title: service.name })
        this.setData({
          service: {
            id: service.id,
            name: service.name,
            description: service.description,
            duration: time.duration(service.duration_minutes),
          },
          shops,
          shopId: shops.length === 1 ? shops[0].id : this.data.shopId,
        })
        this.filterStaff()
        await this.loadWeek()
      })
    },
    filterStaff() {
      const shopId = this.data.shopId
      const staff = this.allStaff
        .filter((s) => !shopId || s.location_id === shopId)
        .map((s) => ({ id: s.id, name: s.name }))
      this.setData({ staff })
    },
    async loadWeek() {
      const from = this.data.weekStart
      const to = time.addDays(from, DAYS - 1)
      const answer = await api.get(`/businesses/${tenant.current()}/availability`, {
        service_id: this.serviceId,
        date_from: from,
        date_to: to,
        staff_id: this.data.staffId,
        location_id: this.data.shopId,
      })
      const byDay = {}
      answer.slots.forEach((slot) => {
        const p = time.parts(slot.start)
        ;(byDay[p.date] = byDay[p.date] || []).push({ start: slot.start, clock: p.clock })
      })
      this.slotsByDay = byDay
      const days = []
      for (let i = 0; i < DAYS; i++) {
        const date = time.addDays(from, i)
        days.push({
          date,
          weekday: time.weekday(date),
          label: time.dayLabel(date),
          full: !(byDay[date] && byDay[date].length),
        })
      }
      const keep = days.find((d) => d.date === this.data.day && !d.full)
      const first = keep || days.find((d) => !d.full)
      // 放号: when the first day shown that is not open yet opens (null: all are open).
      const opens = time.parts(answer.opens_at)
      this.setData({
        days,
        timezone: this.zoneLabels[answer.timezone] || answer.timezone,
        opens: opens ? `${time.dayLabel(opens.date)} ${opens.clock}` : '',
      })
      this.showDay(first ? first.date : '')
    },
    showDay(date) {
      this.setData({ day: date, times: (this.slotsByDay && this.slotsByDay[date]) || [] })
    },
    onShop(event) {
      this.setData({ shopId: Number(event.currentTarget.dataset.id), staffId: null })
      this.filterStaff()
      return guarded(this, () => this.loadWeek())
    },
    onStaff(event) {
      const id = event.currentTarget.dataset.id
      this.setData({ staffId: id ? Number(id) : null })
      return guarded(this, () => this.loadWeek())
    },
    onDay(event) {
      const { date, full } = event.currentTarget.dataset
      if (!full) this.showDay(date)
      this.setData({ waitDay: full && !this.data.reschedule ? date : '' })
    },
    onJoinWaitlist() {
      return guarded(this, async () => {
        const body = {
          service_id: this.serviceId,
          date_from: this.data.waitDay,
          date_to: this.data.waitDay,
          // The whole day: any time of it that frees up.
          time_from: '00:00',
          time_to: '23:59',
          channel: 'miniprogram',
        }
        if (this.data.staffId) body.staff_id = this.data.staffId
        await api.post(`/businesses/${tenant.current()}/waitlist`, body)
        wx.showToast({ title: this.data.t.waitlist_joined })
        this.setData({ waitDay: '' })
      })
    },
    onWeek(event) {
      const step = Number(event.currentTarget.dataset.step)
      const next = time.addDays(this.data.weekStart, step * DAYS)
      if (next < time.today()) return undefined
      this.setData({ weekStart: next })
      return guarded(this, () => this.loadWeek())
    },
    onTime(event) {
      const start = event.currentTarget.dataset.start
      if (this.data.reschedule) return this.move(start)
      const params = [`service=${this.serviceId}`, `start=${encodeURIComponent(start)}`]
      if (this.data.staffId) params.push(`staff=${this.data.staffId}`)
      if (this.data.shopId) params.push(`location=${this.data.shopId}`)
      wx.navigateTo({ url: `/pages/confirm/confirm?${params.join('&')}` })
      return undefined
    },
    move(start) {
      return guarded(this, async () => {
        const body = { start }
        if (this.data.staffId) body.staff_id = this.data.staffId
        else body.any_staff = true
        try {
          await api.post(`/appointments/${this.data.reschedule}/reschedule`, body)
        } catch (error) {
          if (error.code === 'slot_unavailable') await this.loadWeek()
          throw error
        }
        wx.showToast({ title: this.data.t.rescheduled })
        wx.redirectTo({ url: `/pages/appointment/appointment?id=${this.data.reschedule}` })
      })
    },
  },
})
