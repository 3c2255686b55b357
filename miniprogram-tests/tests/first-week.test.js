// What a customer notices in the first week (issue 24, item 14): no development form in a
// released build, the confirm page names who and where, zones by the names people use, shop
// phones that dial and a map, durations in hours, one price format, descriptions, sharing,
// a 客服 button and a tab bar with icons.
const fs = require('fs')
const path = require('path')
const { setup, open, tap, text, texts, MINIPROGRAM } = require('../helpers')

let wx
beforeEach(() => {
  wx = setup({ openid: 'o-first-week' })
})

test('the username and password form is for development builds only', async () => {
  wx.__state.envVersion = 'release'
  const released = await open('login')
  expect(released.querySelector('.dev')).toBeFalsy()
  expect(released.querySelector('.wechat')).toBeTruthy()

  wx.__state.envVersion = 'develop'
  const developing = await open('login')
  expect(developing.querySelector('.dev')).toBeTruthy()
})

test('the home page: descriptions, durations in hours, phones that dial, a map, sharing, 客服', async () => {
  const home = await open('home')

  expect(home.instance.data.error).toBe('')
  expect(texts(home, '.description').length).toBeGreaterThan(0)
  const durations = texts(home, '.service .muted')
  expect(durations.every((d) => /^(\d+ 分钟|\d+ 小时|\d+ 小时 \d+ 分钟)$/.test(d))).toBe(true)
  expect(durations.some((d) => /小时/.test(d))).toBe(true)
  expect(durations.some((d) => /^\d+ 分钟$/.test(d) && Number(d.split(' ')[0]) >= 60)).toBe(false)
  // 静安店's +862162881234, as people write it, dialled as stored.
  const phones = home.querySelectorAll('.shop .phone')
  expect(phones.map((p) => p.dom.textContent.trim())).toContain('021 6288 1234')
  await tap(phones[0])
  expect(wx.__state.calls[0]).toMatch(/^\+86/)
  await tap(home.querySelectorAll('.shop .map')[0])
  expect(wx.__state.maps[0]).toMatchObject({ name: expect.any(String) })
  expect(wx.__state.maps[0].latitude).toBeCloseTo(31.2, 0)
  expect(home.querySelector('.contact')).toBeTruthy()
  // The simulator drops open-type from the DOM; WeChat reads it from the page's WXML.
  const wxml = fs.readFileSync(path.join(MINIPROGRAM, 'pages/home/home.wxml'), 'utf8')
  expect(wxml).toMatch(/<button class="contact" open-type="contact">/)
  const share = home.instance.onShareAppMessage()
  expect(share.path).toBe('/pages/home/home?b=demo')
  expect(share.title).toBe('悦己美发沙龙')
})

test('a shared card opens its business', async () => {
  const config = require(path.join(MINIPROGRAM, 'config'))
  const home = await open('home', { b: 'not a slug!' })
  expect(config.business).toBe('demo')
  expect(home.instance.data.error).toBe('')
})

test('the confirm page names the staff member, the shop and the zone', async () => {
  const home = await open('home')
  await tap(home.querySelectorAll('.service')[0])
  const [, bookUrl] = wx.__state.navigations[wx.__state.navigations.length - 1]
  const service = bookUrl.split('service=')[1]
  const book = await open('book', { service })
  const person = book.instance.allStaff[0]
  const start = book.instance.data.times.length
    ? book.instance.data.times[0].start
    : '2026-12-03T10:00:00+08:00'

  const confirm = await open('confirm', { service, staff: person.id, start: encodeURIComponent(start) })

  expect(confirm.instance.data.error).toBe('')
  expect(text(confirm, '.staff-name')).toBe(person.name)
  expect(text(confirm, '.shop-name')).toMatch(/店$/)
  expect(text(confirm, '.when')).toMatch(/（北京时间，UTC\+08:00）$/)
  expect(text(confirm, '.service-name')).toMatch(/ · (\d+ 分钟|\d+ 小时|\d+ 小时 \d+ 分钟)$/)
  await tap(confirm.querySelector('.shop .phone'))
  expect(wx.__state.calls.length).toBe(1)

  const anyone = await open('confirm', { service, staff: '', start: encodeURIComponent(start) })
  expect(text(anyone, '.staff-name')).toBe('任意人员')
})

test('the price reads ¥88.00 on the appointment page as everywhere', async () => {
  const { api } = require('../helpers')
  const login = await api('/auth/login', {
    method: 'POST',
    body: { username: 'customer', password: 'yuyue-customer-demo' },
  })
  const token = login.data.token
  const mine = await api('/appointments', { token })
  const one = mine.data.items[0]
  wx.setStorageSync('yuyue_token', token)

  const page = await open('appointment', { id: one.id })

  expect(text(page, '.price')).toMatch(/^¥\d+\.\d{2}$/)
})

test('the tab bar has an icon and a selected icon for each tab, 81×81 PNGs', () => {
  const app = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, 'app.json'), 'utf8'))
  const paths = app.tabBar.list.flatMap((tab) => [tab.iconPath, tab.selectedIconPath])
  expect(paths).toHaveLength(4)
  paths.forEach((icon) => {
    const png = fs.readFileSync(path.join(MINIPROGRAM, icon))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([81, 81])
    expect(png.length).toBeLessThan(40 * 1024) // WeChat's limit per icon
  })
})
