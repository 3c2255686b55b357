// Chinese by default, English when WeChat itself is in English.
const STRINGS = {
  zh: {
    tab_book: '预约', tab_mine: '我的预约',
    cards_title: '会员卡', cards_mine: '我的会员卡', cards_none: '你在这家店还没有会员卡。',
    cards_on_sale: '可购买的会员卡', cards_none_on_sale: '本店暂无可在线购买的会员卡。',
    cards_buy: '微信支付购买', cards_uses_left: '剩余 {n} / {of} 次', cards_balance: '可用余额 {amount}',
    cards_until: '有效期至 {day}', cards_no_end: '长期有效', cards_uses: '{n} 次', cards_bonus: '赠送 {amount}',
    cards_bought: '购卡成功，已放入我的会员卡。', cards_not_bought: '支付未完成，未购卡。',
    cards_pending: '正在等待支付结果，请稍后下拉刷新。', cards_pay_with: '使用会员卡',
    cards_pay_none: '不使用会员卡',
    services: '服务项目', shops: '门店', minutes: '分钟', book: '预约',
    choose_shop: '选择门店', choose_staff: '选择服务人员', anyone: '任意人员（最快可约）',
    choose_time: '选择时间', no_times: '这一天没有可约时间', next_week: '下一周', prev_week: '上一周',
    opens_at: '之后的日期放号时间：',
    series_offer: '每隔几周重复预约', series_title: '重复预约', series_first: '首次：',
    series_every: '每隔几周', series_count: '次数', series_check: '检查日期',
    series_not_free: '不可约，可改为：', series_book: '预约整个系列',
    series_all_or_nothing: '选中的时间要么全部预约，要么都不预约；每次都有单独的提醒。',
    confirm_title: '确认预约', notes: '备注（可选）', notes_placeholder: '例如：想要短发造型',
    confirm: '确认预约', booked_title: '预约成功', add_calendar: '添加到手机日历',
    view_mine: '查看我的预约', upcoming: '即将到来', past: '过往与已取消', none_yet: '还没有预约',
    cancel: '取消预约', cancel_reason: '取消原因（可选）', cancel_done: '已取消',
    reschedule: '改约时间', reschedule_title: '改到新的时间', rescheduled: '已改约',
    login_title: '登录', login_wechat: '微信一键登录', bind_phone: '绑定手机号',
    bind_phone_hint: '绑定手机号后，在门店或网页登记过的预约会一并显示。',
    dev_login: '开发用：用户名密码登录', username: '用户名', password: '密码', log_in: '登录',
    logged_in: '已登录', taken: '这个时间刚被约走了，试试这些时间：', offline: '网络不可用，请检查网络后重试。',
    server_error: '服务器暂时出错，请稍后重试。', login_needed: '请先登录。', retry: '重试',
    status: '状态', staff: '服务人员', shop: '门店', time: '时间', price: '价格',
    cancel_until: '可在此时间前取消：', too_late: '已过线上取消/改约时间，请联系门店。',
    subscribe_ok: '将通过微信提醒你', loading: '加载中…', service_gone: '这个服务已下架。',
    sms_login: '手机验证码登录', sms_phone: '手机号', sms_get_code: '获取验证码', sms_code: '短信验证码',
    sms_resend_in: '{n} 秒后重新获取', sms_sent: '验证码已发送，5 分钟内有效。',
    hours: '小时', anyone_short: '任意人员', map: '地图', call: '拨打', contact: '联系客服',
    checkin_code: '核销码', checkin_hint: '到店时请出示此码，店员扫码或输入即可为你核销。',
    pay_title: '支付定金', pay_amount: '需支付', pay_left: '剩余支付时间', pay_now: '立即支付',
    pay_wechat: '微信支付', pay_hold_note: '时间已为你保留，请在倒计时结束前支付，逾期自动取消。',
    pay_cancelled: '支付未完成，时间仍为你保留，可在倒计时结束前再次支付。',
    pay_confirming: '正在确认支付结果…', pay_ended: '支付时间已过。', pay_failed: '支付没有成功，请稍后重试。',
    unpaid_reason: '未在时限内支付，已取消', pay_due: '待支付 {amount}', not_paid: '未支付',
    paid_amount: '已支付 {amount}', refunded_amount: '已退款 {amount}', refunding: '退款中', payment: '支付',
    refund_full: '现在取消，已付的 {back} 将全额退回。',
    refund_none: '已过免费取消时间：现在取消，定金 {kept} 不退。',
    refund_none_prepaid: '已过免费取消时间：现在取消，预付款 {kept} 不退。',
    refund_part: '已过免费取消时间：现在取消，退回 {back}，定金 {kept} 不退。',
    refund_part_prepaid: '已过免费取消时间：现在取消，退回 {back}，预付款 {kept} 不退。',
    refund_until: '{when} 前取消可全额退款。', confirm_cancel: '确认取消预约？',
    day_full: '这一天已约满。有人取消时，按候补先后为你保留并通知你。', join_waitlist: '加入这一天的候补',
    waitlist_joined: '已加入候补', offer_title: '候补到了', offer_held: '为你保留至 {until}（约 {n} 分钟）',
    offer_accept: '接受并预约', offer_decline: '放弃', offer_declined: '已放弃',
    offer_gone: '这个候补名额已处理或已过期。', offer_pay: '接受后需在线支付：{amount}',
  },
  en: {
    tab_book: 'Book', tab_mine: 'My bookings',
    cards_title: 'Member cards', cards_mine: 'My member cards', cards_none: 'You hold no member card here yet.',
    cards_on_sale: 'Member cards on sale', cards_none_on_sale: 'This shop sells no member cards online.',
    cards_buy: 'Buy with WeChat Pay', cards_uses_left: '{n} of {of} uses left', cards_balance: '{amount} available',
    cards_until: 'Valid until {day}', cards_no_end: 'No end date', cards_uses: '{n} uses', cards_bonus: 'bonus {amount}',
    cards_bought: 'Bought: the card is in your member cards.', cards_not_bought: 'Not paid: no card was bought.',
    cards_pending: 'Waiting for the payment to be confirmed; pull down to refresh.', cards_pay_with: 'Pay with a member card',
    cards_pay_none: 'No member card',
    services: 'Services', shops: 'Shops', minutes: 'min', book: 'Book',
    choose_shop: 'Choose a shop', choose_staff: 'Choose who', anyone: 'Anyone (earliest free)',
    choose_time: 'Choose a time', no_times: 'No free times this day', next_week: 'Next week', prev_week: 'Previous week',
    opens_at: 'Later days open',
    series_offer: 'Book it every few weeks', series_title: 'Repeat booking', series_first: 'First:',
    series_every: 'Every (weeks)', series_count: 'Occurrences', series_check: 'Check the dates',
    series_not_free: 'not free; instead:', series_book: 'Book the series',
    series_all_or_nothing: 'The chosen times are booked together or not at all; each has its own reminders.',
    confirm_title: 'Confirm', notes: 'Notes (optional)', notes_placeholder: 'e.g. a short cut',
    confirm: 'Confirm booking', booked_title: 'Booked', add_calendar: 'Add to phone calendar',
    view_mine: 'My bookings', upcoming: 'Upcoming', past: 'Past and cancelled', none_yet: 'No bookings yet',
    cancel: 'Cancel booking', cancel_reason: 'Reason (optional)', cancel_done: 'Cancelled',
    reschedule: 'Change time', reschedule_title: 'Move to a new time', rescheduled: 'Moved',
    login_title: 'Log in', login_wechat: 'Log in with WeChat', bind_phone: 'Add my phone number',
    bind_phone_hint: 'With your phone number, bookings made at the shop or on the web show up here too.',
    dev_login: 'Development: username and password', username: 'Username', password: 'Password', log_in: 'Log in',
    logged_in: 'Logged in', taken: 'That time was just taken. Try one of these:', offline: 'You are offline. Check the network and try again.',
    server_error: 'The server had a problem. Please try again shortly.', login_needed: 'Please log in first.', retry: 'Retry',
    status: 'Status', staff: 'With', shop: 'Shop', time: 'Time', price: 'Price',
    cancel_until: 'Cancel online until ', too_late: 'Too late to change online; please call the shop.',
    subscribe_ok: 'WeChat will remind you', loading: 'Loading…', service_gone: 'This service is no longer offered.',
    sms_login: 'Sign in with a text message code', sms_phone: 'Mobile phone', sms_get_code: 'Get a code',
    sms_code: 'Code from the text message', sms_resend_in: 'Send again in {n} s', sms_sent: 'A code is on its way; it is valid for 5 minutes.',
    hours: 'h', anyone_short: 'Anyone available', map: 'Map', call: 'Call', contact: 'Contact us',
    checkin_code: 'Check-in code', checkin_hint: 'Show this code at the counter when you arrive: staff scan it or type it to check you in.',
    pay_title: 'Pay to book', pay_amount: 'To pay', pay_left: 'Time left to pay', pay_now: 'Pay now',
    pay_wechat: 'Pay with WeChat', pay_hold_note: 'The time is held for you: pay before the countdown ends, or it is released.',
    pay_cancelled: 'Not paid yet. The time is still held for you until the countdown ends.',
    pay_confirming: 'Confirming your payment…', pay_ended: 'The time to pay has ended.', pay_failed: 'The payment did not go through. Please try again.',
    unpaid_reason: 'Not paid in time; cancelled.', pay_due: '{amount} to pay', not_paid: 'Not paid',
    paid_amount: '{amount} paid', refunded_amount: '{amount} refunded', refunding: 'refund under way', payment: 'Payment',
    refund_full: 'If you cancel now, the {back} you paid is refunded in full.',
    refund_none: 'The free cancellation time has passed: if you cancel now, the {kept} deposit is not refunded.',
    refund_none_prepaid: 'The free cancellation time has passed: if you cancel now, the {kept} prepayment is not refunded.',
    refund_part: 'The free cancellation time has passed: if you cancel now, {back} is refunded and the {kept} deposit is not.',
    refund_part_prepaid: 'The free cancellation time has passed: if you cancel now, {back} is refunded and the {kept} prepayment is not.',
    refund_until: 'Cancel before {when} to get everything back.', confirm_cancel: 'Cancel this booking?',
    day_full: 'This day is fully booked. When someone cancels, the time is held for whoever waits first, and they are told.', join_waitlist: 'Join the waitlist for this day',
    waitlist_joined: 'On the waitlist', offer_title: 'A time for you from the waitlist', offer_held: 'Held for you until {until} (about {n} min)',
    offer_accept: 'Accept and book', offer_decline: 'Decline', offer_declined: 'Declined',
    offer_gone: 'This offer has been answered or has lapsed.', offer_pay: 'To pay online once accepted: {amount}',
  },
}

function language() {
  let lang = ''
  try {
    const info = wx.getAppBaseInfo ? wx.getAppBaseInfo() : wx.getSystemInfoSync()
    lang = (info && info.language) || ''
  } catch (e) {
    lang = ''
  }
  return /^en/i.test(lang) ? 'en' : 'zh'
}

function t(key) {
  const table = STRINGS[language()]
  return table[key] || STRINGS.zh[key] || key
}

// Every string of a page at once, for `this.setData({ t: strings() })`.
function strings() {
  return Object.assign({}, STRINGS.zh, STRINGS[language()])
}

// What the API understands: its two languages.
function acceptLanguage() {
  return language() === 'en' ? 'en' : 'zh-Hans'
}

module.exports = { t, strings, language, acceptLanguage }
