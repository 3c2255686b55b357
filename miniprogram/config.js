// The one place to point the mini program at a Yuyue server and its subscribe templates.
// Development: `make run` serves http://127.0.0.1:8000; in WeChat DevTools tick
// "Do not verify request domains" (不校验合法域名). Production: an https:// domain that is
// listed under the mini program's request domains (request 合法域名).
module.exports = {
  apiBase: 'http://127.0.0.1:8000/api/v1',
  // The business this mini program books for (its slug; the demo is "demo").
  business: 'demo',
  // Subscribe-message template ids from the mini program's admin console (订阅消息); the
  // server must have the same ids in WECHAT_TEMPLATE_CONFIRMATION / _REMINDER / _CHANGE.
  templates: {
    confirmation: '',
    reminder: '',
    change: '',
  },
  // Seconds before a request counts as failed (offline or a server that does not answer).
  timeoutSeconds: 15,
}
