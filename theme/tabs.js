// Tab groups: the same workload in several models (`tab="..."` on consecutive listings).
// Choosing a tab chooses it in every group of the book (remembered across pages), so a
// reader who follows the async versions keeps seeing them. Arrow keys move between tabs.
(function () {
    "use strict";
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
                const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
                if (step) {
                    event.preventDefault();
                    const next = (i + step + group.tabs.length) % group.tabs.length;
                    choose(group.tabs[next].textContent);
                    show(group, next, true);
                }
            });
        });
    });
})();
