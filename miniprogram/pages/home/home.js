// The business: its services (duration, price) and its shops. Tap a service to book it.
const api = require('../../utils/api')
const { base, strings, guarded } = require('../../utils/page')
const { money } = require('../../utils/money')
const tenant = require('../../utils/business')
const time = require('../../utils/time')
const shop = require('../../utils/shop')

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
    onShareAppMessage() {
      const business = this.data.business
      return {
        title: business ? business.name : '',
        path: `/pages/home/home?b=${encodeURIComponent(tenant.current())}`,
      }
    },
    onCall(event) {
      shop.call(event.currentTarget.dataset.phone)
    },
    onMap(event) {
      shop.openMap(this.data.locations.find((l) => l.id === Number(event.currentTarget.dataset.id)))
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
          locations: business.locations.map((l) =>
            Object.assign({}, l, { hasMap: l.latitude != null && l.longitude != null })
          ),
          services: services.items.map((s) => ({
            id: s.id,
            name: s.name,
            description: s.description,
            duration: time.duration(s.duration_minutes),
            price: money(s.price, s.currency),
          })),
        })
      })
    },
    onChoose(event) {
      wx.navigateTo({ url: `/pages/book/book?service=${event.currentTarget.dataset.id}` })
    },
    onCards() {
      // The member cards this business sells, and mine (docs/cards.md).
      wx.navigateTo({ url: '/pages/cards/cards' })
    },
  },
})
