// Listings on the site, beyond what the page shows without scripts (and what the ePub shows).
//
// Hidden lines (`# ` lines in the chapter) are in the page but not displayed: a button above
// the code shows them, shaded, and hides them again. A listing that changes an earlier one
// (`base=ID`) shows its changes, with a switch to the whole listing. mdBook's copy button
// copies the file as extracted, hidden lines included, callout badges and removed lines
// left out: what `cargo run -p ID` builds. All are buttons, so a keyboard reaches them.
(function () {
    "use strict";

    /** The text of a listing's file: every line but the ones the listing removed. */
    function fileText(pre) {
        const lines = pre.querySelectorAll("code > .line:not(.line-removed)");
        return Array.prototype.map.call(lines, function (line) {
            let text = "";
            line.childNodes.forEach(function (node) {
                const badge = node.nodeType === 1 && node.classList.contains("callout");
                if (!badge) {
                    text += node.textContent;
                }
            });
            return text.replace(/\n$/, "") + "\n";
        }).join("");
    }

    // mdBook's copy button asks this global function for the text to copy.
    const mdbookText = window.playground_text;
    window.playground_text = function (pre, hidden) {
        if (pre && pre.classList.contains("listing-code")) {
            return fileText(pre);
        }
        return mdbookText(pre, hidden);
    };

    function button(label, onClick) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "listing-tool";
        b.textContent = label;
        b.addEventListener("click", onClick);
        return b;
    }

    /** "Show N hidden lines" / "Hide N hidden lines". */
    function hiddenToggle(pre, count) {
        const noun = count === 1 ? "hidden line" : count + " hidden lines";
        const label = function (shown) { return (shown ? "Hide " : "Show ") + noun; };
        const b = button(label(false), function () {
            const shown = pre.classList.toggle("show-hidden");
            b.textContent = label(shown);
            b.setAttribute("aria-expanded", shown ? "true" : "false");
        });
        b.classList.add("hidden-toggle");
        b.setAttribute("aria-expanded", "false");
        b.setAttribute("aria-controls", pre.id);
        return b;
    }

    /** Two buttons, one pressed: the changes against the base, or the whole listing. */
    function viewSwitch(pre) {
        const group = document.createElement("span");
        group.className = "view-switch";
        group.setAttribute("role", "group");
        group.setAttribute("aria-label", "Show");
        const views = [["Changes", false], ["Whole listing", true]];
        const buttons = views.map(function (view) {
            const b = button(view[0], function () {
                pre.classList.toggle("show-whole", view[1]);
                buttons.forEach(function (other, i) {
                    other.setAttribute("aria-pressed", views[i][1] === view[1] ? "true" : "false");
                });
            });
            b.setAttribute("aria-pressed", view[1] ? "false" : "true");
            b.setAttribute("aria-controls", pre.id);
            group.appendChild(b);
            return b;
        });
        return group;
    }

    Array.prototype.forEach.call(document.querySelectorAll("pre.listing-code"), function (pre, n) {
        const hidden = pre.querySelectorAll(".hidden-line:not(.line-removed)").length;
        const diff = pre.classList.contains("listing-diff");
        if (!hidden && !diff) {
            return;
        }
        if (!pre.id) {
            pre.id = "listing-code-" + n;
        }
        const tools = document.createElement("div");
        tools.className = "listing-tools";
        if (diff) {
            tools.appendChild(viewSwitch(pre));
        }
        if (hidden) {
            tools.appendChild(hiddenToggle(pre, hidden));
        }
        pre.parentNode.insertBefore(tools, pre);
    });
})();
