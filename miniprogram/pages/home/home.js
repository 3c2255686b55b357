// The business: its services (duration, price) and its shops. Tap a service to book it.
const api = require('../../utils/api')
const { base, strings, guarded } = require('../../utils/page')
const { money } = require('../../utils/money')
const tenant = require('../../utils/business')

Component({
  data: base({ business: null, services: [], locations: [] }),
  methods: {
    onLoad(options) {
      // A scanned mini program code names the business in `scene`, a shared link in `b`.
      tenant.choose(options)
      // WeChat's language, as it is when the page opens.
      this.setData({ t: strings() })
      return this.load()
    },
    load() {
      return guarded(this, async () => {
        const slug = tenant.current()
        const [business, services] = await Promise.all([
          api.get(`/businesses/${slug}`),
          api.get(`/businesses/${slug}/services`, { limit: 200 }),
        ])
        wx.setNavigationBarTitle({ title: business.name })
        this.setData({
          business,
          locations: business.locations,
          services: services.items.map((s) => ({
            id: s.id,
            name: s.name,
            description: s.description,
            duration: s.duration_minutes,
            price: money(s.price, s.currency),
          })),
        })
      })
    },
    onChoose(event) {
      wx.navigateTo({ url: `/pages/book/book?service=${event.currentTarget.dataset.id}` })
    },
  },
})
