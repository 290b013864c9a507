// Small browser helpers for the Blazor shell. Loaded once by App.razor.
window.expenseTracker = {
    // Browser tests wait for html[data-interactive=true]: prerendered buttons ignore clicks until the circuit is attached.
    markInteractive() {
        document.documentElement.dataset.interactive = "true";
    },
    // Focuses a field shortly after a dialog rendered, unless the person already moved to another field of the same
    // form: a late call (a busy server) must not pull the caret out of the payee field mid-word, sending the rest of
    // the typing into the amount.
    focusSoon(id) {
        setTimeout(() => {
            const field = document.getElementById(id);
            if (!field) {
                return;
            }

            const active = document.activeElement;
            const form = field.closest("form");
            if (active && active !== field && active !== document.body && form && form.contains(active)) {
                return;
            }

            field.focus();
        }, 30);
    },
    // Selects the text of an input (the invitation link), ready to copy.
    selectText(id) {
        const input = document.getElementById(id);
        if (input instanceof HTMLInputElement) {
            input.select();
        }
    },
};

// Keyboard shortcut for quick add: "n" (or "+") anywhere outside a text field opens the quick-add dialog.
document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
        return;
    }

    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
        return;
    }

    if ((event.key === "n" || event.key === "+") && !document.querySelector(".mud-dialog-container")) {
        const button = document.querySelector('[data-testid="quick-add"]');
        if (button) {
            event.preventDefault();
            button.click();
        }
    }
});
