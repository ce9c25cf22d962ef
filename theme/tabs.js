// The site's behaviour beyond mdBook's (the one script book.toml adds to every page).
//
// Tab groups: the same workload in several models (`tab="..."` on consecutive listings).
// Choosing a tab chooses it in every group of the book (remembered across pages), so a
// reader who follows the async versions keeps seeing them. Arrow keys, Home and End move
// between tabs (the WAI-ARIA tabs pattern; only the selected tab is in the Tab order).
//
// Keyboard access: code blocks and tables that scroll sideways become focusable, so they can
// be scrolled without a mouse; mdBook's sidebar toggle (a <label> for a hidden checkbox,
// which no key reaches) becomes a button. axe-core finds both (xtask/tests/browser.rs).
(function () {
    "use strict";

    // A region that scrolls sideways is a Tab stop; one that fits is not. Run again when
    // the layout changes: a resize, fonts arriving, a tab shown.
    function scrollablesFocusable() {
        const regions = document.querySelectorAll(".content main pre > code, .content main .table-wrapper");
        Array.prototype.forEach.call(regions, function (el) {
            const scrolls = el.scrollWidth > el.clientWidth + 1;
            if (scrolls && !el.hasAttribute("tabindex")) {
                el.tabIndex = 0;
                el.setAttribute("data-scroll-focus", "");
            } else if (!scrolls && el.hasAttribute("data-scroll-focus")) {
                el.removeAttribute("tabindex");
                el.removeAttribute("data-scroll-focus");
            }
        });
    }

    const toggle = document.getElementById("mdbook-sidebar-toggle");
    if (toggle && toggle.tagName === "LABEL") {
        toggle.setAttribute("role", "button");
        toggle.tabIndex = 0;
        toggle.addEventListener("keydown", function (event) {
            if (event.key === "Enter" || event.key === " ") {
                event.preventDefault();
                toggle.click();
            }
        });
    }

    const KEY = "concurrent-rust-tab";
    const groups = Array.from(document.querySelectorAll(".tab-group")).map(function (group) {
        const tabs = Array.from(group.querySelectorAll(".tab-bar [role=tab]"));
        const panels = tabs.map(function (tab) {
            return document.getElementById(tab.getAttribute("aria-controls"));
        });
        return { tabs: tabs, panels: panels };
    });

    function show(group, index, focus) {
        group.tabs.forEach(function (tab, i) {
            const selected = i === index;
            tab.setAttribute("aria-selected", selected ? "true" : "false");
            tab.tabIndex = selected ? 0 : -1;
            group.panels[i].hidden = !selected;
        });
        if (focus) {
            group.tabs[index].focus();
        }
        scrollablesFocusable();
    }

    function choose(label) {
        groups.forEach(function (group) {
            const index = group.tabs.findIndex(function (tab) { return tab.textContent === label; });
            if (index >= 0) {
                show(group, index, false);
            }
        });
        try { localStorage.setItem(KEY, label); } catch (e) { /* private mode */ }
    }

    let preferred = null;
    try { preferred = localStorage.getItem(KEY); } catch (e) { /* private mode */ }
    groups.forEach(function (group) {
        const remembered = group.tabs.findIndex(function (tab) { return tab.textContent === preferred; });
        show(group, remembered >= 0 ? remembered : 0, false);
        group.tabs.forEach(function (tab, i) {
            tab.addEventListener("click", function () {
                choose(tab.textContent);
                show(group, i, true);
            });
            tab.addEventListener("keydown", function (event) {
                if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
                    return;
                }
                const last = group.tabs.length - 1;
                const next = {
                    ArrowRight: i === last ? 0 : i + 1,
                    ArrowLeft: i === 0 ? last : i - 1,
                    Home: 0,
                    End: last,
                }[event.key];
                if (next !== undefined) {
                    // mdBook turns the arrow keys into "next/previous chapter" on the
                    // document: on a tab they move between tabs and must go no further.
                    event.preventDefault();
                    event.stopPropagation();
                    choose(group.tabs[next].textContent);
                    show(group, next, true);
                }
            });
        });
    });

    scrollablesFocusable();
    let pending = null;
    window.addEventListener("resize", function () {
        clearTimeout(pending);
        pending = setTimeout(scrollablesFocusable, 150);
    });
    if (document.fonts && document.fonts.ready) {
        document.fonts.ready.then(scrollablesFocusable);
    }
})();
