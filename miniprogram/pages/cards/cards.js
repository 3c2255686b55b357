// Member cards: the cards I hold at this business (balance or uses left, expiry, history on a
// tap) and the cards it sells. Buying one asks the server for the JSAPI parameters
// (POST /businesses/{slug}/card-products/{id}/buy), opens WeChat Pay's sheet with them, then
// asks for the purchase until the card exists (WeChat Pay tells the server, not the phone).
const tenant = require('../../utils/business')
const api = require('../../utils/api')
const session = require('../../utils/session')
const payment = require('../../utils/payment')
const { money } = require('../../utils/money')
const { base, strings, guarded } = require('../../utils/page')

const POLL_MS = 1000
const POLL_TRIES = 20

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function day(iso) {
  return iso ? iso.slice(0, 10) : ''
}

function cardRow(card, t) {
  const held =
    card.kind === 'package'
      ? payment.fill(t.cards_uses_left, { n: card.uses_left - card.uses_reserved, of: card.uses })
      : payment.fill(t.cards_balance, { amount: money(card.balance_available) })
  return {
    id: card.id,
    name: card.name,
    held,
    expires: card.expires_at ? payment.fill(t.cards_until, { day: day(card.expires_at) }) : t.cards_no_end,
    status: card.status,
    history: [],
  }
}

function productRow(product, t) {
  const what =
    product.kind === 'package'
      ? payment.fill(t.cards_uses, { n: product.uses })
      : payment.fill(t.cards_bonus, { amount: money(product.bonus) })
  return { id: product.id, name: product.name, price: money(product.price), what, terms: product.terms }
}

Component({
  data: base({ mine: [], products: [], open: '', buying: false, note: '' }),
  methods: {
    onLoad() {
      this.setData({ t: strings() })
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      return guarded(this, async () => {
        const slug = tenant.current()
        const products = await api.get(`/businesses/${slug}/card-products`, { limit: 100 })
        let mine = []
        if (api.token()) {
          const held = await api.get('/me/cards', { limit: 100 })
          mine = held.items.filter((card) => card.business.slug === slug)
        }
        const t = this.data.t
        this.setData({
          mine: mine.map((card) => cardRow(card, t)),
          products: products.items.map((product) => productRow(product, t)),
        })
      })
    },
    onCard(event) {
      const id = event.currentTarget.dataset.id
      if (this.data.open === id) return this.setData({ open: '' })
      return guarded(this, async () => {
        const card = await api.get(`/cards/${id}`)
        const history = card.history.map((entry, index) => ({
          key: index,
          label: entry.label,
          at: day(entry.at),
          change: entry.uses ? `${entry.uses > 0 ? '+' : ''}${entry.uses}` : money(Number(entry.principal) + Number(entry.bonus)),
        }))
        const mine = this.data.mine.map((row) => (row.id === id ? Object.assign({}, row, { history }) : row))
        this.setData({ mine, open: id })
      })
    },
    async onBuy(event) {
      const id = Number(event.currentTarget.dataset.id)
      return guarded(this, async () => {
        if (!(await session.ensureLogin())) {
          wx.navigateTo({ url: '/pages/login/login?back=1' })
          return null
        }
        this.setData({ buying: true, note: '' })
        try {
          const started = await api.post(`/businesses/${tenant.current()}/card-products/${id}/buy`, {
            method: 'wechat_jsapi',
          })
          const outcome = await payment.requestPayment(started.jsapi)
          if (outcome !== 'paid') {
            this.setData({ note: this.data.t.cards_not_bought })
            return null
          }
          this.setData({ note: this.data.t.pay_confirming })
          for (let i = 0; i < POLL_TRIES; i += 1) {
            const purchase = await api.get(`/card-purchases/${started.purchase_id}`)
            if (purchase.state === 'paid') {
              this.setData({ note: this.data.t.cards_bought })
              await this.load()
              return purchase
            }
            if (purchase.state === 'lapsed') break
            await pause(POLL_MS)
          }
          this.setData({ note: this.data.t.cards_pending })
          return null
        } finally {
          this.setData({ buying: false })
        }
      })
    },
  },
})
