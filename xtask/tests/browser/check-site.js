// Loads the rendered site in headless Chromium and reports what a reader would meet, as one
// JSON object on standard output (progress goes to standard error). xtask/tests/browser.rs
// renders the books, runs this script and asserts on the result; the script itself asserts
// nothing, so a failure names every problem at once.
//
//   node check-site.js CONFIG.json
//
// CONFIG: {
//   "chromium": "/usr/bin/chromium",
//   "screenshots": "DIR",                      // PNGs for a person to look at
//   "book": "DIR/html",                        // the repository's book, rendered
//   "fixture": "DIR/html",                     // the render fixture (every feature once)
//   "listingsPage": "ch04-threads.html",       // a book chapter with listings and outputs
//   "tabsPage": {"site": "book", "page": "ch15-side-by-side.html"}  // a chapter with tabs
// }
//
// Nothing leaves 127.0.0.1: the sites are served by a small static server on port 0, and any
// other request is aborted and reported.
"use strict";

const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { chromium } = require("playwright-core");

const AXE = require.resolve("axe-core/axe.min.js");
const THEMES = ["light", "rust", "coal", "navy", "ayu"];
const VIEWPORT = { width: 1280, height: 900 };

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
};

function log(...args) {
  process.stderr.write(args.join(" ") + "\n");
}

/** Serves `root` on 127.0.0.1, port chosen by the system; resolves to the base URL. */
function serve(root) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.join(root, path.normalize(rel).replace(/^(\.\.[/\\])+/, ""));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
        return;
      }
      res.writeHead(200, {
        "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
        "Cache-Control": "no-store",
      });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      resolve({ server, base: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}

/**
 * A page with everything that can go wrong on it recorded: console errors, uncaught
 * exceptions, failed or non-local requests, HTTP errors.
 */
async function open(context, url, problems, label) {
  const page = await context.newPage();
  const note = (what) => problems.push(`${label}: ${what}`);
  page.on("console", (msg) => {
    if (msg.type() === "error") note(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => note(`uncaught exception: ${err.message}`));
  page.on("requestfailed", (req) => {
    // Requests we aborted ourselves are reported by the route handler.
    if (!req.url().startsWith("http://127.0.0.1:")) return;
    note(`request failed: ${req.url()} (${req.failure() && req.failure().errorText})`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) note(`HTTP ${res.status()} for ${res.url()}`);
  });
  await page.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith("http://127.0.0.1:") || u.startsWith("data:") || u.startsWith("blob:")) {
      return route.continue();
    }
    note(`request outside 127.0.0.1 blocked: ${u}`);
    return route.abort("blockedbyclient");
  });
  await page.goto(url, { waitUntil: "load" });
  // Fonts decide layout and screenshots; wait for them like a reader's eye does.
  await page.evaluate(() => document.fonts.ready);
  return page;
}

/** A browser context for one theme: `light` etc. through mdBook's localStorage key, or
 * `null` for no choice at all (mdBook then follows prefers-color-scheme). */
async function themed(browser, theme, colorScheme, viewport) {
  const context = await browser.newContext({
    viewport: viewport || VIEWPORT,
    colorScheme,
    deviceScaleFactor: 1,
    serviceWorkers: "block",
  });
  if (theme) {
    await context.addInitScript((t) => {
      try {
        if (!localStorage.getItem("mdbook-theme")) localStorage.setItem("mdbook-theme", t);
      } catch (e) {
        /* storage disabled */
      }
    }, theme);
  }
  return context;
}

/** axe-core on the page: violations by rule, with their impact and a few targets. */
async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 5).map((n) => ({
        target: n.target.join(" "),
        summary: (n.failureSummary || "").split("\n").slice(0, 3).join(" "),
      })),
    }));
  });
  return result;
}

/** Listings as a reader sees them: captions, outputs, and the colours of highlighted code. */
async function listings(page) {
  return page.evaluate(() => {
    const captions = Array.from(document.querySelectorAll("figure.listing figcaption.listing-caption"));
    const outputs = Array.from(document.querySelectorAll(".listing-output pre.output-text"));
    const visible = (e) => e.getClientRects().length > 0;
    const code = document.querySelector("pre.listing-code > code.hl-code");
    const base = code ? getComputedStyle(code).color : null;
    const background = code ? getComputedStyle(code).backgroundColor : null;
    const colours = {};
    for (const span of document.querySelectorAll("pre.listing-code code.hl-code span[class*='hl-']")) {
      // Only spans that hold text of their own show a colour.
      const own = Array.from(span.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const c = getComputedStyle(span).color;
      colours[c] = (colours[c] || 0) + 1;
    }
    const differing = Object.keys(colours).filter((c) => c !== base);
    return {
      theme: document.documentElement.className,
      captions: captions.length,
      captionsVisible: captions.filter(visible).length,
      // Listings in a tab not chosen are hidden, as they should be.
      captionsInHiddenTabs: captions.filter((c) => c.closest(".tab-panel[hidden]")).length,
      firstCaption: captions.length
        ? (captions[0].querySelector(".listing-label") || captions[0]).textContent.trim()
        : null,
      outputs: outputs.length,
      outputsWithText: outputs.filter((o) => o.textContent.trim().length > 0).length,
      firstOutput: outputs.length ? outputs[0].textContent.trim().split("\n")[0] : null,
      codeText: base,
      codeBackground: background,
      spanColours: colours,
      coloursDifferingFromText: differing.length,
    };
  });
}

/** The state of every tab group: which tab is selected and which panels show. */
async function tabState(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".tab-group")).map((g) => {
      const tabs = Array.from(g.querySelectorAll("[role=tab]"));
      return {
        tablist: !!g.querySelector("[role=tablist]"),
        labels: tabs.map((t) => t.textContent),
        selected: tabs.filter((t) => t.getAttribute("aria-selected") === "true").map((t) => t.textContent),
        tabindex: tabs.map((t) => t.tabIndex),
        panelsShown: tabs
          .map((t) => document.getElementById(t.getAttribute("aria-controls")))
          .map((p) => !!p && !p.hidden && p.getClientRects().length > 0),
        panelsLabelled: tabs.every((t) => {
          const p = document.getElementById(t.getAttribute("aria-controls"));
          return !!p && p.getAttribute("role") === "tabpanel" && p.getAttribute("aria-labelledby") === t.id;
        }),
      };
    }),
  );
}

/** Tabs on `url`: initial state, a click, the arrow keys, and the choice remembered. */
async function tabs(browser, url, problems, label) {
  const context = await themed(browser, "light", "light");
  const page = await open(context, url, problems, label);
  const out = { initial: await tabState(page) };
  const group = page.locator(".tab-group").first();
  const second = group.locator("[role=tab]").nth(1);
  await second.click();
  out.afterClick = await tabState(page);
  out.focusAfterClick = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
  await page.keyboard.press("ArrowRight");
  out.afterArrowRight = await tabState(page);
  await page.keyboard.press("ArrowLeft");
  out.afterArrowLeft = await tabState(page);
  await page.reload({ waitUntil: "load" });
  out.afterReload = await tabState(page);
  // mdBook's sidebar toggle, from the keyboard (tabs.js makes it a button).
  const expanded = () =>
    page.evaluate(() => document.getElementById("mdbook-sidebar-toggle").getAttribute("aria-expanded"));
  out.sidebar = { before: await expanded() };
  await page.focus("#mdbook-sidebar-toggle");
  await page.keyboard.press("Enter");
  await page.waitForTimeout(100);
  out.sidebar.afterEnter = await expanded();
  await context.close();
  return out;
}

/** Whether each line of `pre` (by selector) is displayed: `[[class, shown], ...]`. */
async function lineState(page, pre) {
  return page.evaluate((sel) => {
    const p = document.querySelector(sel);
    return Array.from(p.querySelectorAll("code > .line")).map((l) => [l.className, l.getClientRects().length > 0]);
  }, pre);
}

/** What mdBook's copy button on `pre` copies: the clipboard when the browser lets the page
 * read it, else the text clipboard.js handed to `execCommand("copy")`. */
async function copy(page, pre) {
  await page.evaluate(() => {
    window.__copied = null;
    const original = document.execCommand.bind(document);
    document.execCommand = function (command, ...rest) {
      if (command === "copy") {
        const active = document.activeElement;
        window.__copied = active && "value" in active ? active.value : String(document.getSelection());
      }
      return original(command, ...rest);
    };
  });
  await page.hover(pre);
  await page.click(`${pre} .clip-button`);
  await page.waitForTimeout(100);
  let clipboard = null;
  try {
    clipboard = await page.evaluate(() => navigator.clipboard.readText());
  } catch (e) {
    /* no clipboard in this browser */
  }
  const handed = await page.evaluate(() => window.__copied);
  return { clipboard, handed };
}

/**
 * Listings with hidden lines and with a base, on the fixture: the toggles by mouse and by
 * keyboard, what the copy button copies, and screenshots in light and dark.
 */
async function listingTools(browser, url, problems, dir, shots) {
  const out = {};
  for (const [theme, scheme] of [
    ["light", "light"],
    ["navy", "dark"],
  ]) {
    const context = await themed(browser, theme, scheme);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url("fixture", "") });
    let page = await open(context, url("fixture", "one.html"), problems, `fixture one.html (${theme})`);
    const pre = "#listing-hello pre.listing-code";
    const toggle = "#listing-hello .hidden-toggle";
    const hidden = { initial: await lineState(page, pre) };
    hidden.label = await page.textContent(toggle);
    hidden.expandedBefore = await page.getAttribute(toggle, "aria-expanded");
    // By keyboard: Tab to the button from the element before it, then Enter; Space again.
    await page.focus("#listing-hello .listing-number");
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press("Tab");
      const on = await page.evaluate(() => document.activeElement && document.activeElement.className);
      if (on && on.includes("hidden-toggle")) break;
    }
    hidden.focused = await page.evaluate(() => document.activeElement && document.activeElement.className);
    await page.keyboard.press("Enter");
    hidden.afterEnter = await lineState(page, pre);
    hidden.labelAfterEnter = await page.textContent(toggle);
    hidden.expandedAfterEnter = await page.getAttribute(toggle, "aria-expanded");
    shots.push(await shot(page, dir, `hidden-lines-shown-${theme}.png`, "#listing-hello"));
    await page.keyboard.press("Space");
    hidden.afterSpace = await lineState(page, pre);
    await page.click(toggle);
    hidden.afterClick = await lineState(page, pre);
    hidden.copied = await copy(page, pre);
    out[`hidden-${theme}`] = hidden;

    page = await open(context, url("fixture", "appendix.html"), problems, `fixture appendix.html (${theme})`);
    const dpre = "#listing-appendix-changed pre.listing-code";
    const pressed = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll("#listing-appendix-changed .view-switch button")).map((b) => [
          b.textContent,
          b.getAttribute("aria-pressed"),
        ]),
      );
    const diff = { initial: await lineState(page, dpre), buttons: await pressed() };
    shots.push(await shot(page, dir, `changes-${theme}.png`, "#listing-appendix-changed"));
    diff.copied = await copy(page, dpre);
    await page.focus("#listing-appendix-changed .view-switch button:last-child");
    await page.keyboard.press("Enter");
    diff.whole = await lineState(page, dpre);
    diff.buttonsWhole = await pressed();
    shots.push(await shot(page, dir, `whole-listing-${theme}.png`, "#listing-appendix-changed"));
    await page.click("#listing-appendix-changed .view-switch button:first-child");
    diff.back = await lineState(page, dpre);
    out[`diff-${theme}`] = diff;
    if (theme === "light") {
      // With every kind of line shown: changes, removed lines, hidden lines.
      await page.click("#listing-appendix-changed .hidden-toggle");
      out.axe = await axe(page);
    }
    await context.close();
  }
  return out;
}

/** How the figures are drawn: how many SVGs, and the colours their parts get. */
async function figureColours(page) {
  return page.evaluate(() => {
    const style = (selector, property) => {
      const e = document.querySelector(selector);
      return e ? getComputedStyle(e)[property] : null;
    };
    return {
      svgs: document.querySelectorAll("figure.figure svg").length,
      line: style("#figure-amdahl-lines .fig-line-0", "stroke"),
      lane: style("#figure-turns .fig-fill-0", "fill"),
      label: style("#figure-amdahl-lines .fig-label", "fill"),
      diagram: style("#figure-pipeline svg line", "stroke"),
      text: style("main p", "color"),
    };
  });
}

/** A screenshot of the viewport with `selector`'s first element near the top. */
async function shot(page, dir, name, selector) {
  if (selector) {
    await page.evaluate((s) => {
      const e = document.querySelector(s);
      if (e) window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 90);
    }, selector);
  }
  const file = path.join(dir, name);
  await page.screenshot({ path: file });
  return file;
}

async function main() {
  const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  fs.mkdirSync(config.screenshots, { recursive: true });
  const started = Date.now();
  const servers = {
    book: await serve(path.resolve(config.book)),
    fixture: await serve(path.resolve(config.fixture)),
    figures: await serve(path.resolve(config.figures)),
  };
  const result = { problems: [], pages: {}, colours: {}, axe: {}, tabs: {}, screenshots: [], timings: {} };
  const problems = result.problems;
  const url = (site, page) => servers[site].base + page;
  const time = (name, since) => (result.timings[name] = Date.now() - since);

  const browser = await chromium.launch({
    executablePath: config.chromium,
    headless: true,
    // Playwright's own defaults plus what keeps a CI browser quiet and local: no first-run
    // UI, no component or sync downloads, no GPU. Playwright gives every launch a fresh,
    // temporary user data dir (it refuses `--user-data-dir` here), so nothing a reader's or an
    // earlier run's profile holds can change what is seen.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    result.browser = browser.version();

    // The home page, light.
    let t = Date.now();
    let context = await themed(browser, "light", "light");
    let page = await open(context, url("book", "index.html"), problems, "index.html (light)");
    result.pages.home = { title: await page.title() };
    result.screenshots.push(await shot(page, config.screenshots, "home-light.png"));
    result.axe["index.html"] = await axe(page);
    await context.close();
    time("home", t);

    // A chapter with listings: captions, outputs, colours in light; axe.
    t = Date.now();
    context = await themed(browser, "light", "light");
    page = await open(context, url("book", config.listingsPage), problems, `${config.listingsPage} (light)`);
    result.pages.listings = await listings(page);
    result.colours.light = result.pages.listings;
    result.screenshots.push(await shot(page, config.screenshots, "chapter-light.png", ".listing-output"));
    result.screenshots.push(await shot(page, config.screenshots, "chapter-top-light.png", "main h1"));
    await context.close();
    time("chapter light", t);

    // The same chapter when the reader's system prefers dark: mdBook picks its preferred
    // dark theme (navy in book.toml) with no choice stored.
    t = Date.now();
    context = await themed(browser, null, "dark");
    page = await open(context, url("book", config.listingsPage), problems, `${config.listingsPage} (prefers dark)`);
    result.colours.prefersDark = await listings(page);
    result.screenshots.push(await shot(page, config.screenshots, "chapter-navy.png", ".listing-output"));
    await context.close();
    time("chapter dark", t);

    // Every other theme a reader can pick from the menu.
    t = Date.now();
    for (const theme of THEMES.filter((x) => x !== "light")) {
      context = await themed(browser, theme, "light");
      page = await open(context, url("book", config.listingsPage), problems, `${config.listingsPage} (${theme})`);
      result.colours[theme] = await listings(page);
      if (theme === "ayu" || theme === "rust" || theme === "coal") {
        result.screenshots.push(await shot(page, config.screenshots, `chapter-${theme}.png`, ".listing-output"));
      }
      await context.close();
    }
    time("other themes", t);

    // Narrow screens: the same chapter on a phone-sized viewport.
    t = Date.now();
    context = await themed(browser, "light", "light", { width: 390, height: 844 });
    page = await open(context, url("book", config.listingsPage), problems, `${config.listingsPage} (phone)`);
    result.pages.phone = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    result.screenshots.push(await shot(page, config.screenshots, "chapter-phone-light.png", ".listing-output"));
    await context.close();
    time("phone", t);

    // The chapter with tabs, in both themes, with axe in each.
    t = Date.now();
    const tp = config.tabsPage;
    for (const [theme, scheme] of [
      ["light", "light"],
      ["navy", "dark"],
    ]) {
      context = await themed(browser, theme, scheme);
      page = await open(context, url(tp.site, tp.page), problems, `${tp.page} (${theme})`);
      result.tabs[`${tp.site}/${tp.page}`] = await tabState(page);
      result.screenshots.push(await shot(page, config.screenshots, `tabs-${theme}.png`, ".tab-group"));
      result.axe[`${tp.page} (${theme})`] = await axe(page);
      await context.close();
    }
    time("tabs page + axe", t);

    // Tab behaviour on the fixture, whose groups are known.
    t = Date.now();
    result.tabs.behaviour = await tabs(browser, url("fixture", "two.html"), problems, "fixture two.html");
    time("tab behaviour", t);

    // Hidden lines, changes against a base, and the copy button, on the fixture.
    t = Date.now();
    result.listingTools = await listingTools(browser, url, problems, config.screenshots, result.screenshots);
    result.axe["fixture appendix.html (changes)"] = result.listingTools.axe;
    delete result.listingTools.axe;
    time("listing tools", t);

    // The book's own listing with a base (chapter 3), as a reader meets it.
    t = Date.now();
    for (const [theme, scheme] of [
      ["light", "light"],
      ["navy", "dark"],
    ]) {
      context = await themed(browser, theme, scheme);
      page = await open(context, url("book", "ch03-rayon.html"), problems, `ch03-rayon.html (${theme})`);
      result.screenshots.push(await shot(page, config.screenshots, `book-changes-${theme}.png`, "#listing-primes-rayon"));
      await context.close();
    }
    time("book changes", t);

    // Figures: a chart and a timeline in a light and a dark theme; colours as drawn; axe.
    t = Date.now();
    result.figures = {};
    for (const [theme, scheme] of [["light", "light"], ["navy", "dark"]]) {
      context = await themed(browser, theme, scheme);
      page = await open(context, url("figures", "figures.html"), problems, `figures.html (${theme})`);
      result.figures[theme] = await figureColours(page);
      for (const id of ["amdahl-lines", "turns"]) {
        const file = path.join(config.screenshots, `figure-${id}-${theme}.png`);
        await (await page.$(`#figure-${id}`)).screenshot({ path: file });
        result.screenshots.push(file);
      }
      result.axe[`figures.html (${theme})`] = await axe(page);
      await context.close();
    }
    time("figures + axe", t);

    // The print page: every chapter on one page. mdBook calls window.print() on load; a
    // headless browser has no dialog to show, so it returns at once.
    t = Date.now();
    context = await themed(browser, "light", "light");
    page = await open(context, url("book", "print.html"), problems, "print.html (light)");
    result.pages.print = await page.evaluate(() => ({
      captions: document.querySelectorAll("figure.listing figcaption").length,
      outputs: document.querySelectorAll(".listing-output").length,
    }));
    result.axe["print.html"] = await axe(page);
    await context.close();
    time("print + axe", t);
  } finally {
    await browser.close();
    for (const s of Object.values(servers)) s.server.close();
  }
  result.timings.total = Date.now() - started;
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((err) => {
  log(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
