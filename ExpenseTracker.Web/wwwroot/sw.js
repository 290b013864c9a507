// ExpenseTracker service worker: shows Web Push notifications and opens their link on click.
// The payload is JSON from WebPushSender: { title, body, url, tag }.

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", event => event.waitUntil(self.clients.claim()));

self.addEventListener("push", event => {
    let data = {};
    try {
        data = event.data ? event.data.json() : {};
    } catch {
        data = { body: event.data ? event.data.text() : "" };
    }
    const title = data.title || "ExpenseTracker";
    event.waitUntil(self.registration.showNotification(title, {
        body: data.body || "",
        tag: data.tag || undefined,
        data: { url: data.url || self.registration.scope },
    }));
});

self.addEventListener("notificationclick", event => {
    event.notification.close();
    const url = new URL((event.notification.data && event.notification.data.url) || self.registration.scope, self.registration.scope).href;
    event.waitUntil((async () => {
        const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
        for (const client of windows) {
            if (client.url === url && "focus" in client) {
                return client.focus();
            }
        }
        return self.clients.openWindow(url);
    })());
});
