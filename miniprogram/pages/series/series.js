// A weekly series (docs/booking.md#series), where the business lets customers book one: from
// the chosen first time, every N weeks for a count; the API checks every date, a date not free
// offers its nearest free times (tap one to take it instead), and the ticked dates are booked
// together or not at all.
const tenant = require('../../utils/business')
const api = require('../../utils/api')
const time = require('../../utils/time')
const session = require('../../utils/session')
const { base, strings, guarded } = require('../../utils/page')

const EVERY = [1, 2, 3, 4]
const COUNTS = [2, 3, 4, 5, 6, 8, 10, 12]

function label(iso) {
  const p = time.parts(iso)
  return p ? `${time.weekday(p.date)} ${time.dayLabel(p.date)} ${p.clock}` : iso
}

Component({
  data: base({
    start: '',
    when: '',
    every: EVERY,
    counts: COUNTS,
    everyIndex: 0,
    countIndex: 2,
    rows: [],
  }),
  methods: {
    onLoad(query) {
      this.setData({ t: strings(), start: decodeURIComponent(query.start || '') })
      this.setData({ when: label(this.data.start) })
      this.query = {
        service: Number(query.service),
        staff: query.staff ? Number(query.staff) : null,
        location: query.location ? Number(query.location) : null,
      }
      return null
    },
    onEvery(event) {
      this.setData({ everyIndex: Number(event.detail.value), rows: [] })
    },
    onCount(event) {
      this.setData({ countIndex: Number(event.detail.value), rows: [] })
    },
    body(extra) {
      const body = Object.assign(
        { service_id: this.query.service, every_weeks: EVERY[this.data.everyIndex] },
        extra,
      )
      if (this.query.staff) body.staff_id = this.query.staff
      if (this.query.location) body.location_id = this.query.location
      return body
    },
    onCheck() {
      return guarded(this, async () => {
        if (!(await session.ensureLogin())) {
          wx.navigateTo({ url: '/pages/login/login?back=1' })
          return null
        }
        const answer = await api.post(
          `/businesses/${tenant.current()}/series/check`,
          this.body({ start: this.data.start, count: COUNTS[this.data.countIndex] }),
        )
        const rows = answer.occurrences.map((o) => ({
          start: o.start,
          label: label(o.start),
          free: o.free,
          pick: o.free ? o.start : '',
          alternatives: o.alternatives.map((slot) => ({ start: slot.start, label: label(slot.start) })),
        }))
        this.setData({ rows })
        return rows
      })
    },
    onPick(event) {
      const { row, start } = event.currentTarget.dataset
      const rows = this.data.rows.slice()
      rows[row] = Object.assign({}, rows[row], { pick: rows[row].pick === start ? '' : start })
      this.setData({ rows })
    },
    onBook() {
      return guarded(this, async () => {
        const starts = this.data.rows.map((row) => row.pick).filter(Boolean)
        const series = await api.post(
          `/businesses/${tenant.current()}/series`,
          this.body({ starts, channel: 'miniprogram' }),
        )
        wx.redirectTo({ url: '/pages/appointments/appointments' })
        return series
      })
    },
  },
})
