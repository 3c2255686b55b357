// Booked: the time with its zone, add it to the phone's calendar, go to my appointments.
const api = require('../../utils/api')
const time = require('../../utils/time')
const { base, strings, guarded } = require('../../utils/page')

Component({
  data: base({ appointment: null, when: '' }),
  methods: {
    onLoad(query) {
      // WeChat's language, as it is when the page opens.
      this.setData({ t: strings() })
      this.id = query.id
      return this.load()
    },
    load() {
      return guarded(this, async () => {
        const appointment = await api.get(`/appointments/${this.id}`)
        this.setData({
          appointment,
          when: time.withZone(appointment.start, appointment.zone_label || appointment.zone),
        })
      })
    },
    onCalendar() {
      const a = this.data.appointment
      wx.addPhoneCalendar({
        title: `${a.service.name} · ${a.business.name}`,
        startTime: time.epochSeconds(a.start),
        endTime: time.epochSeconds(a.end),
        location: a.location ? `${a.location.name} ${a.location.address}` : a.business.name,
        description: a.staff.name,
        alarm: true,
        alarmOffset: 3600,
      })
    },
    onMine() {
      wx.switchTab({ url: '/pages/appointments/appointments' })
    },
  },
})
