// Browser push for the settings page (PushSubscriptionPanel.razor), loaded as a module on demand.
// Browsers offer push only in a secure context (HTTPS, or http://localhost) with a service worker.

function workerUrl() {
    return new URL("sw.js", document.baseURI).href;
}

async function registration() {
    return navigator.serviceWorker.register(workerUrl());
}

function toBytes(base64Url) {
    const padded = (base64Url + "===".slice((base64Url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), c => c.charCodeAt(0));
}

// What this browser can do, and whether it is subscribed already.
export async function state() {
    const secure = window.isSecureContext === true;
    const supported = secure && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
    const result = { secure, supported, permission: "Notification" in window ? Notification.permission : "unsupported", endpoint: null };
    if (supported) {
        const existing = await navigator.serviceWorker.getRegistration(workerUrl());
        const subscription = existing ? await existing.pushManager.getSubscription() : null;
        result.endpoint = subscription ? subscription.endpoint : null;
    }
    return result;
}

// Asks for permission and subscribes; returns { endpoint, p256dh, auth } or { error }.
export async function subscribe(publicKey) {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
        return { error: permission === "denied"
            ? "Notifications are blocked for this site in the browser's settings."
            : "Permission to show notifications was not given." };
    }
    try {
        const worker = await registration();
        await navigator.serviceWorker.ready;
        const subscription = await worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: toBytes(publicKey) });
        const json = subscription.toJSON();
        return { endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth };
    } catch (e) {
        return { error: "The browser could not subscribe: " + (e && e.message ? e.message : e) };
    }
}

// Unsubscribes this browser; returns the endpoint it had (for the server to forget), or null.
export async function unsubscribe() {
    const existing = await navigator.serviceWorker.getRegistration(workerUrl());
    const subscription = existing ? await existing.pushManager.getSubscription() : null;
    if (!subscription) {
        return null;
    }
    const endpoint = subscription.endpoint;
    await subscription.unsubscribe();
    return endpoint;
}
