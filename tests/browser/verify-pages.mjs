// Drives the verification page in headless Chromium and reports what it shows, as JSON on stdout.
// The .NET tests (tests/Registry.Tests/Browser) give the cases and assert on this report; this
// script only observes. Usage: node verify-pages.mjs PLAN.json
//   PLAN: { "baseUrl", "chromium", "artifacts", "cases": [{ "name", "credential" (file), "lang",
//           "open": "paste" | "link" | "file", "viewport": {width,height}?, "print": bool?,
//           "trust": { "registry", "rpcUrl" }? }] }
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { chromium } from "playwright-core";

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
    };
  });
}

for (const step of plan.cases) {
  const context = await browser.newContext({ locale: step.lang, viewport: step.viewport ?? { width: 1100, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  const console_ = [];
  page.on("console", (m) => console_.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => console_.push(`pageerror: ${e.message}`));
  const result = { name: step.name };
  try {
    const credential = step.credential ? await readFile(step.credential, "utf8") : null;
    if (step.open === "link") {
      // The link the page itself offers after a verification; then opened afresh.
      await page.goto(plan.baseUrl);
      await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
      await page.fill("#text", credential);
      await page.click("#verify");
      await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
      const link = await page.inputValue("#share-link");
      result.offeredLink = link;
      await page.goto("about:blank");
      await page.goto(link);
    } else {
      await page.goto(plan.baseUrl);
      await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
      if (step.open === "file") await page.setInputFiles("#file", step.credential);
      else { await page.fill("#text", credential); await page.click("#verify"); }
    }
    await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
    if (step.trust) {
      await page.waitForSelector("#registry-form:not([hidden])", { timeout: 10_000 });
      await page.fill("#registry-address", step.trust.registry);
      await page.fill("#registry-rpc", step.trust.rpcUrl);
      const before = await page.getAttribute("#verdict", "data-verdict");
      result.before = before;
      await page.click("#registry-form button[type=submit]");
      await page.waitForFunction(() => document.querySelector("#verify") && !document.querySelector("#verify").disabled);
      await page.waitForTimeout(200);
    }
    Object.assign(result, await observe(page));
    const shot = join(plan.artifacts, `${step.name}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    result.screenshot = shot;
    if (step.print) {
      const pdf = await page.pdf({ format: "A4", printBackground: true });
      await writeFile(join(plan.artifacts, `${step.name}.pdf`), pdf);
      result.printedPages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    }
    const origins = new Set(requests.filter((u) => /^https?:/.test(u)).map((u) => new URL(u).origin));
    result.origins = [...origins];
  } catch (e) {
    result.error = `${e.message}\n${console_.join("\n")}`;
  }
  result.console = console_;
  results.push(result);
  await context.close();
}

await browser.close();
console.log(JSON.stringify(results));
