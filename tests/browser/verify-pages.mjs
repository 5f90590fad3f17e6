// Drives the verification page in headless Chromium and reports what it shows, as JSON on stdout.
// The .NET tests (tests/Registry.Tests/Browser) give the cases and assert on this report; this
// script only observes. Usage: node verify-pages.mjs PLAN.json
//   PLAN: { "baseUrl", "chromium", "artifacts", "cases": [{ "name", "credential" (file), "lang",
//           "open": "paste" | "link" | "file", "viewport": {width,height}?, "print": bool?,
//           "trust": { "registry", "rpcUrl" }?, "fragment": file?, "expect": "problem"?,
//           "bidiProbe": word?, "sweep": {from, to, step}? }] }
//   open "fragment" opens the page with #c= and the file's text; "expect": "problem" waits for the
//   page's problem banner instead of a verdict. open "files" chooses every file of "files" at once (a
//   portfolio, or one badge image); "relink": true then opens the share link the page offers afresh. bidiProbe reports whether the word, in the verdict's
//   sentence, is drawn right to left; sweep narrows the window step by step and reports each width at
//   which a line of the checks table holds nothing but a period. "expect": "offer" waits for an offer's
//   section (the pasted text is an offer's link) and reports it, with the text jsQR reads out of a
//   screenshot of its QR code; open "offer-fragment" opens the page with #offer= and the file's text.
//   The cases share one page, loaded once: each sets its window size, picks its language with the page's
//   control and gives its credential (a share link is opened in a new window); a case that fails leaves the
//   page behind, and the next starts on a page loaded afresh.
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { chromium } from "playwright-core";
import jsQR from "jsqr";
import { PNG } from "pngjs";

const plan = JSON.parse(await readFile(process.argv[2], "utf8"));
await mkdir(plan.artifacts, { recursive: true });
const browser = await chromium.launch({ executablePath: plan.chromium, args: ["--no-sandbox"], headless: true });
const results = [];

async function observe(page) {
  return await page.evaluate(() => {
    const verdict = document.querySelector("[data-verdict]");
    const text = (id) => { const e = document.getElementById(id); return e && !e.hidden ? e.textContent : null; };
    return {
      lang: document.documentElement.lang,
      dir: document.documentElement.dir,
      verdict: verdict?.dataset.verdict ?? null,
      verdictText: document.getElementById("verdict-text")?.textContent ?? null,
      checks: [...document.querySelectorAll("[data-check]")].map((c) => ({ name: c.dataset.check, status: c.dataset.status })),
      revoked: text("revoked"),
      expired: text("expired"),
      problem: text("problem"),
      registryForm: getComputedStyle(document.getElementById("registry-form")).display !== "none",
      shareLink: document.getElementById("share-link")?.value || null,
      claims: document.getElementById("claims")?.innerText ?? null,
      overflows: document.scrollingElement.scrollWidth > window.innerWidth + 1,
      verdictDetail: document.getElementById("verdict-detail")?.textContent ?? null,
      verdictDetailIsolates: [...document.querySelectorAll("#verdict-detail bdi")].map((b) => b.textContent),
      portfolio: document.getElementById("portfolio")?.hidden === false
        ? [...document.querySelectorAll("#portfolio-list [data-entry]")].map((e) => ({
          index: Number(e.dataset.entry), outcome: e.dataset.outcome, failed: e.dataset.failed ?? null, text: e.innerText }))
        : null,
      // Every line of the portfolio in order, with its depth in the tree: a credential (index) or a component not nested (match).
      portfolioTree: document.getElementById("portfolio")?.hidden === false
        ? [...document.querySelectorAll("#portfolio-list > li")].map((e) => ({
          index: e.dataset.entry ? Number(e.dataset.entry) : null, depth: Number(e.dataset.depth ?? 0), match: e.dataset.match ?? null,
          outcome: e.dataset.outcome ?? null, text: e.innerText }))
        : null,
      offer: document.getElementById("offer")?.hidden === false
        ? { title: document.querySelector("#offer h2").textContent, link: document.getElementById("offer-link").value,
          exchange: document.getElementById("offer-exchange").textContent, page: document.getElementById("offer-page").href,
          copy: document.getElementById("copy-offer").textContent, result: document.getElementById("result").hidden === false }
        : null,
      showcase: document.getElementById("showcase")?.hidden === false
        ? { linkedin: document.getElementById("linkedin").href, embed: document.getElementById("embed").value,
          png: document.getElementById("badge-png").href || null, svg: document.getElementById("badge-svg").href || null }
        : null,
    };
  });
}

// What the offered badge files hold: whether each carries the credential baked in (PNG iTXt keyword, SVG element).
async function bakedBadges(page) {
  return await page.evaluate(async () => {
    const read = async (id) => {
      const href = document.getElementById(id)?.href;
      if (!href) return null;
      try {
        return new Uint8Array(await (await fetch(href)).arrayBuffer());
      } catch {
        return null; // the registry's own page may not fetch blob: URLs (its connect-src); a download still works
      }
    };
    const text = (bytes) => new TextDecoder("windows-1252").decode(bytes);
    const png = await read("badge-png");
    const svg = await read("badge-svg");
    return {
      png: png ? png[0] === 0x89 && text(png.subarray(1, 4)) === "PNG" && text(png).includes("iTXtopenbadgecredential\0") : null,
      svg: svg ? text(svg).includes("<openbadges:credential>") && text(svg).includes("https://purl.imsglobal.org/ob/v3p0") : null,
    };
  });
}

// Whether `word` in the verdict's sentence is drawn reversed: its first letter right of its last.
async function drawnReversed(page, word) {
  return await page.evaluate((word) => {
    const walker = document.createTreeWalker(document.getElementById("verdict-detail"), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(word);
      if (at < 0) continue;
      const box = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
      return box(at).left > box(at + word.length - 1).left;
    }
    return null;
  }, word);
}

// The widths at which some line of the checks table holds only a period (or a comma).
async function strandedPunctuation(page, sweep) {
  const widths = [];
  for (let width = sweep.from; width >= sweep.to; width -= sweep.step) {
    await page.setViewportSize({ width, height: 900 });
    const stranded = await page.evaluate(() => {
      // Every visible character of the table, as [text node, offset], in reading order.
      const chars = [];
      const walker = document.createTreeWalker(document.getElementById("checks"), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode())
        for (let i = 0; i < node.data.length; i++) if (!/\s/.test(node.data[i])) chars.push([node, i]);
      const box = ([node, i]) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
      const sameLine = (a, b) => a.height > 0 && b.height > 0 && a.top < b.bottom && b.top < a.bottom;
      let count = 0;
      chars.forEach(([node, i], k) => {
        if (!/[.,]/.test(node.data[i])) return;
        const here = box(chars[k]);
        const before = k > 0 && sameLine(box(chars[k - 1]), here);
        const after = k + 1 < chars.length && sameLine(box(chars[k + 1]), here);
        if (!before && !after) count++;
      });
      return count;
    });
    if (stranded > 0) widths.push(width);
  }
  return widths;
}

// Every outcome the page shows, in order: a verdict, a problem or an offer. A visit waits for an outcome
// shown after its action, so nothing a reused page showed before can pass for the visit's own.
function recordOutcomes() {
  window.__outcomes = [];
  new MutationObserver(() => {
    const verdict = document.getElementById("verdict")?.dataset.verdict;
    const kind = document.body?.dataset.offer ? "offer"
      : document.getElementById("problem")?.hidden === false ? "problem"
      : verdict && document.getElementById("result")?.hidden === false ? "verdict" : null;
    if (kind) window.__outcomes.push(kind);
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-verdict", "data-offer", "hidden"] });
}

// A page loaded cold in a context of its own: the reader's browser language and window. What it requested and
// logged while it started is kept, and every visit on it reports that with its own.
async function openPage(lang, viewport, url) {
  const context = await browser.newContext({ locale: lang, viewport: viewport ?? { width: 1100, height: 900 } });
  await context.addInitScript(`(${recordOutcomes})()`);
  const page = await context.newPage();
  const opened = { context, page, lang, startRequests: [], startConsole: [], requests: null, console: null, files: false };
  page.on("request", (r) => (opened.requests ?? opened.startRequests).push(r.url()));
  page.on("console", (m) => (opened.console ?? opened.startConsole).push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => (opened.console ?? opened.startConsole).push(`pageerror: ${e.message}`));
  await page.goto(url);
  return opened;
}

// What the page logged while it started and during this visit.
const logged = (opened) => [...opened.startConsole, ...(opened.console ?? [])];

async function outcomes(page) {
  return await page.evaluate(() => window.__outcomes.length);
}

// Waits for the first outcome shown after `before`, and requires it to be the one expected.
async function nextOutcome(page, before, expected, timeout = 60_000) {
  await page.waitForFunction((n) => window.__outcomes.length > n, before, { timeout });
  const kind = await page.evaluate((n) => window.__outcomes[n], before);
  if (kind !== expected) throw new Error(`expected the page to show a ${expected}, it showed a ${kind}: ${await page.evaluate(() => document.getElementById("problem").textContent)}`);
}

// The page as the user left it after one visit's start-up: ready, its own requests and console.
async function readyPage(lang, viewport) {
  const opened = await openPage(lang, viewport, plan.baseUrl);
  await opened.page.waitForSelector("body[data-ready]", { timeout: 60_000 });
  return opened;
}

// Visits reuse one loaded page, as a reader checks one credential after another: each chooses its window
// size and language with the page's own control, then gives its credential. A share link is opened cold, in a
// new window. A visit that goes wrong leaves the page behind: the next starts on a page loaded afresh.
let shared = null;
for (const step of plan.cases) {
  const result = { name: step.name };
  let shown = null;
  let linkPage = null;
  try {
    shared ??= await readyPage(step.lang, step.viewport);
    const { page } = shared;
    shared.requests = [];
    shared.console = [];
    await page.setViewportSize(step.viewport ?? { width: 1100, height: 900 });
    if (shared.lang !== step.lang) {
      await page.selectOption("#language", step.lang);
      shared.lang = step.lang;
    }
    shown = shared;
    const credential = step.credential ? await readFile(step.credential, "utf8") : null;
    const expected = step.expect ?? "verdict";
    const before = await outcomes(page);
    if (step.open === "fragment") {
      const started = Date.now();
      await page.goto(`${plan.baseUrl}#c=${(await readFile(step.fragment, "utf8")).trim()}`);
      await nextOutcome(page, before, expected);
      result.elapsedMs = Date.now() - started;
    } else if (step.open === "offer-fragment") {
      await page.goto(`${plan.baseUrl}#offer=${encodeURIComponent(credential.trim())}`);
      await nextOutcome(page, before, expected);
    } else {
      if (step.open === "file" || step.open === "files") {
        // Choosing the files already chosen changes nothing in a browser: the chooser is emptied first.
        if (shared.files) await page.setInputFiles("#file", []);
        await page.setInputFiles("#file", step.open === "file" ? step.credential : step.files);
        shared.files = true;
      } else { await page.fill("#text", credential); await page.click("#verify"); }
      if (step.open === "link" || step.relink) {
        // The link the page offers after a verification, opened afresh in a new window.
        await nextOutcome(page, before, "verdict");
        result.offeredLink = await page.inputValue("#share-link");
        linkPage = await openPage(step.lang, step.viewport, result.offeredLink);
        linkPage.requests = linkPage.startRequests;
        linkPage.console = linkPage.startConsole;
        shown = linkPage;
        await nextOutcome(linkPage.page, 0, expected);
      } else await nextOutcome(page, before, expected);
    }
    if (step.trust) {
      await page.waitForSelector("#registry-form:not([hidden])", { timeout: 10_000 });
      await page.fill("#registry-address", step.trust.registry);
      await page.fill("#registry-rpc", step.trust.rpcUrl);
      result.before = await page.getAttribute("#verdict", "data-verdict");
      const trusted = await outcomes(page);
      await page.click("#registry-form button[type=submit]");
      await nextOutcome(page, trusted, "verdict");
    }
    const seen = shown.page;
    Object.assign(result, await observe(seen));
    if (step.bidiProbe) result.bidiReversed = await drawnReversed(seen, step.bidiProbe);
    if (result.showcase) result.baked = await bakedBadges(seen);
    if (result.offer) {
      const image = PNG.sync.read(await seen.locator("#offer-qr").screenshot());
      result.offer.decoded = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? null;
    }
    if (step.sweep) result.strandedAt = await strandedPunctuation(seen, step.sweep);
    const shot = join(plan.artifacts, `${step.name}.png`);
    await seen.screenshot({ path: shot, fullPage: true });
    result.screenshot = shot;
    if (step.print) {
      const pdf = await seen.pdf({ format: "A4", printBackground: true });
      await writeFile(join(plan.artifacts, `${step.name}.pdf`), pdf);
      result.printedPages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    }
    // What the page requested while it started and during this visit.
    const origins = new Set([...shown.startRequests, ...shown.requests].filter((u) => /^https?:/.test(u)).map((u) => new URL(u).origin));
    result.origins = [...origins];
    result.console = logged(shown);
  } catch (e) {
    result.console = shown ? logged(shown) : [];
    result.error = `${e.message}\n${result.console.join("\n")}`;
    await shared?.context.close();
    shared = null;
  }
  results.push(result);
  await linkPage?.context.close();
}
await shared?.context.close();

await browser.close();
console.log(JSON.stringify(results));
