// The page's glue: reads the file, the share link and trusted.json, calls the verifier compiled to
// WebAssembly, and shows its answer in the reader's language. Every decision is the verifier's.
import { dotnet } from "./_framework/dotnet.js";
import { languages, rightToLeft, strings } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const sessionKey = "credential-verifier.trusted";
const state = { lang: "en", verifier: null, hostTrusted: "[]", text: null, answer: null, link: "", offer: null };

// ---- language ----
function pickLanguage() {
  const asked = new URLSearchParams(location.search).get("lang");
  const wanted = [asked, localStorage.getItem("credential-verifier.lang"), ...navigator.languages, navigator.language];
  for (const tag of wanted) {
    const base = tag?.toLowerCase().split("-")[0];
    if (languages.includes(base)) return base;
  }
  return "en";
}

function t(key, values = {}) {
  const text = strings[state.lang][key] ?? strings.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

// A sentence as nodes, each inserted value in a <bdi>: a name holding right-to-left text or a
// direction control (U+202E) stays inside its own isolate and cannot reorder the sentence around it.
function tn(key, values = {}) {
  const text = strings[state.lang][key] ?? strings.en[key] ?? key;
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    fragment.append(text.slice(last, match.index));
    const value = values[match[1]];
    if (value !== null && value !== undefined && value !== "") fragment.append(element("bdi", {}, value));
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

function applyLanguage(lang) {
  state.lang = lang;
  document.documentElement.lang = lang;
  document.documentElement.dir = rightToLeft.has(lang) ? "rtl" : "ltr";
  $("language").value = lang;
  document.title = t("title");
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll("[data-i18n-placeholder]")) element.placeholder = t(element.dataset.i18nPlaceholder);
  for (const element of document.querySelectorAll("[data-i18n-label]")) element.setAttribute("aria-label", t(element.dataset.i18nLabel));
  $("verify").textContent = t(state.verifier ? "verify" : "loading");
  if (state.answer) show(state.answer);
  showOfferWords();
}

function date(text) {
  if (!text) return "";
  const value = new Date(text);
  if (Number.isNaN(value.getTime())) return text;
  return new Intl.DateTimeFormat(state.lang, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(value) + " UTC";
}

// ---- share links: #c= + base64url(gzip(JSON)) ----
async function gzip(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

class TooLarge extends Error {}

// Decompresses a share link, stopping at the most any verifier reads (POST /verify's body limit): a
// small link can expand to gigabytes, which would freeze the tab.
async function gunzip(bytes, maxBytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
}

function base64url(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function shareLink(text) {
  return `${location.origin}${location.pathname}${location.search}#c=${base64url(await gzip(text))}`;
}

// ---- trust: the host's list, plus registries the user accepted for this session ----
function sessionTrusted() {
  try { return JSON.parse(sessionStorage.getItem(sessionKey) ?? "[]"); } catch { return []; }
}

async function loadHostTrusted() {
  try {
    const response = await fetch("trusted.json", { cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    state.hostTrusted = await response.text();
  } catch (e) {
    problem(tn("trustedMissing", { message: e.message }));
  }
}

// ---- verifying ----
function problem(message) {
  if (message instanceof Node) $("problem").replaceChildren(message);
  else $("problem").textContent = message;
  $("problem").hidden = !message;
}

// A new input: what the page showed for the last one goes, so no earlier verdict, offer or problem
// stands beside the next one's.
function startOver() {
  problem("");
  $("result").hidden = true;
  delete $("verdict").dataset.verdict;
  for (const id of ["checks", "claims", "portfolio-list"]) $(id).replaceChildren();
  $("offer").hidden = true;
  delete document.body.dataset.offer;
  state.answer = null;
  state.offer = null;
}

async function verify(text) {
  startOver();
  if (!text.trim()) { problem(t("emptyInput")); return; }
  if (!state.verifier) return;
  // A link rather than JSON: an offer's link, whose QR code the page shows instead of a verdict.
  if (/^\s*https?:\/\//i.test(text)) { showOffer(text); return; }
  state.text = text;
  $("verify").disabled = true;
  $("verify").textContent = t("verifying");
  try {
    const answer = JSON.parse(await state.verifier.VerifyAsync(text, state.hostTrusted, JSON.stringify(sessionTrusted())));
    if (answer.problem) { problem(answer.problem); return; }
    state.answer = answer;
    state.link = await shareLink(text);
    $("share-link").value = state.link;
    show(answer);
  } finally {
    $("verify").disabled = false;
    $("verify").textContent = t("verify");
  }
}

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== ""));
  return node;
}

function code(text) {
  return element("span", { className: "code", textContent: text, dir: "ltr" });
}

// A message with its long hashes and addresses breakable anywhere, but with their last characters
// and any punctuation after them kept together: a line never holds a lone "." or ",".
function withHashes(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(/0x[0-9a-fA-F]{16,}([.,;:)]*)/g)) {
    nodes.push(text.slice(last, match.index));
    const hash = match[0].slice(0, match[0].length - match[1].length);
    nodes.push(element("span", { className: "hash", dir: "ltr" }, hash.slice(0, -6),
      element("span", { className: "hash-end", textContent: hash.slice(-6) + match[1] })));
    last = match.index + match[0].length;
  }
  nodes.push(text.slice(last));
  return nodes;
}

function show(answer) {
  $("result").hidden = false;
  for (const id of ["single", "single-checks"]) $(id).hidden = Boolean(answer.portfolio);
  $("portfolio").hidden = !answer.portfolio;
  if (answer.portfolio) { showPortfolio(answer); return; }
  // A check that could not be completed is no verdict: the chain could not be read.
  const failed = answer.checks.find((c) => c.status === "failed" || c.status === "could-not-check");
  const claims = answer.credential ?? {};
  const verdict = $("verdict");
  verdict.dataset.verdict = answer.outcome;
  $("verdict-text").textContent = t({ verified: "verified", "could-not-check": "couldNotCheck" }[answer.outcome] ?? "notVerified");
  // The name the chain holds for the issuer's account, never the name the document claims.
  const issuerName = answer.issuer ?? "";
  $("verdict-detail").replaceChildren(answer.verified
    ? tn("verifiedDetail", { issuer: issuerName, date: date(answer.anchoredAt) })
    : failed?.status === "could-not-check" ? tn("couldNotCheckAt", { check: failed.name })
    : failed ? tn("failedAt", { check: failed.name, meaning: t(`fail_${failed.name}`) }) : "");

  const revoked = $("revoked");
  revoked.hidden = !answer.revokedAt;
  revoked.replaceChildren(answer.revokedAt
    ? tn(answer.revocationReason ? "revokedReason" : "revoked", { date: date(answer.revokedAt), reason: answer.revocationReason })
    : "");
  const expired = $("expired");
  const now = Date.now();
  const ended = failed?.name === "validity" && claims.validUntil && Date.parse(claims.validUntil) < now;
  const early = failed?.name === "validity" && claims.validFrom && Date.parse(claims.validFrom) > now;
  expired.hidden = !(ended || early);
  expired.replaceChildren(ended ? tn("expired", { date: date(claims.validUntil) }) : early ? tn("notYetValid", { date: date(claims.validFrom) }) : "");

  showClaims(answer, claims);
  showRegistryForm(answer, claims);
  showChecks(answer.checks);
  showShowcase(answer, claims);
}

// ---- a portfolio: one line a credential, readable in a minute ----
function showPortfolio(answer) {
  const count = String(answer.count);
  const failed = answer.credentials.filter((c) => c.outcome === "not-verified").length;
  const unchecked = answer.credentials.filter((c) => c.outcome === "could-not-check").length;
  $("verdict").dataset.verdict = answer.outcome;
  $("verdict-text").textContent = t({ verified: "verified", "could-not-check": "couldNotCheck" }[answer.outcome] ?? "notVerified");
  $("verdict-detail").replaceChildren(answer.outcome === "verified" ? tn("portfolioVerified", { count })
    : answer.outcome === "could-not-check" ? tn("portfolioCouldNotCheck", { count, unchecked: String(unchecked) })
    : tn("portfolioNotVerified", { count, failed: String(failed) }));
  for (const id of ["revoked", "expired", "registry-form", "showcase"]) $(id).hidden = true;
  // A tree: each credential not nested under a qualification of the portfolio, then (indented) the
  // components the qualification references, each the file that matches its digest or why there is none.
  const rows = [];
  const addEntry = (entry, depth) => {
    // The chain's name for the issuer once the issuer check has read it; before that, the document's claim.
    const issuer = entry.issuer ?? entry.claimedIssuer;
    const when = date(entry.anchoredAt ?? entry.issuedOn);
    const verdict = entry.outcome === "verified" ? t("entryVerified")
      : entry.outcome === "could-not-check" ? t("entryCouldNotCheck", { check: entry.failed })
      : t("entryFailed", { check: entry.failed, meaning: t(`fail_${entry.failed}`) });
    const item = element("li", {},
      element("span", { className: "entry-index", textContent: `${entry.index}.` }),
      element("span", {},
        element("span", { className: "entry-title", dir: "auto", textContent: entry.title ?? t("untitled") }),
        issuer ? element("span", { className: "sub" }, tn("entryIssuer", { issuer })) : null,
        when ? element("span", { className: "sub" }, tn("entryDate", { date: when })) : null),
      element("span", { className: "entry-verdict", textContent: verdict }));
    item.dataset.entry = String(entry.index);
    item.dataset.outcome = entry.outcome;
    item.dataset.depth = String(depth);
    if (entry.failed) item.dataset.failed = entry.failed;
    rows.push(item);
    for (const component of entry.components ?? []) {
      if (component.credential) { addEntry(component.credential, depth + 1); continue; }
      const reason = component.match === "digest-differs"
        ? tn("componentDiffers", { index: String(component.index) }) : tn("componentNotInPortfolio");
      const missing = element("li", {},
        element("span", { className: "entry-index", textContent: "–" }),
        element("span", {},
          element("span", { className: "entry-title", dir: "auto", textContent: component.name ?? component.id }),
          element("span", { className: "sub" }, reason)));
      missing.dataset.match = component.match;
      missing.dataset.depth = String(depth + 1);
      rows.push(missing);
    }
  };
  for (const entry of answer.credentials) if (!entry.componentOf?.length) addEntry(entry, 0);
  $("portfolio-list").replaceChildren(...rows);
}

// ---- showing off a verified credential: the baked badge, LinkedIn, a snippet for a website ----
const badgeUrls = [];

function showShowcase(answer, claims) {
  const showcase = $("showcase");
  showcase.hidden = !answer.verified;
  for (const url of badgeUrls.splice(0)) URL.revokeObjectURL(url);
  if (!answer.verified) return;
  for (const [format, type] of [["png", "image/png"], ["svg", "image/svg+xml"]]) {
    const baked = state.verifier.BakeBadge(state.text, format);
    const link = $(`badge-${format}`);
    link.hidden = !baked;
    if (!baked) continue;
    const url = URL.createObjectURL(new Blob([fromBase64(baked)], { type }));
    badgeUrls.push(url);
    link.href = url;
  }
  const title = claims.achievement?.name ?? claims.name ?? "";
  const issuer = claims.issuer?.name ?? answer.issuer ?? "";
  const issued = new Date(answer.anchoredAt ?? claims.validFrom ?? Date.now());
  const linkedin = new URL("https://www.linkedin.com/profile/add");
  for (const [name, value] of [["startTask", "CERTIFICATION_NAME"], ["name", title], ["organizationName", issuer],
    ["issueYear", String(issued.getUTCFullYear())], ["issueMonth", String(issued.getUTCMonth() + 1)], ["certUrl", state.link]])
    linkedin.searchParams.set(name, value);
  $("linkedin").href = linkedin.toString();
  const attribute = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  $("embed").value = `<a href="${attribute(state.link)}"><img src="badge.svg" width="160" height="160" alt="${attribute(`${title} (${issuer})`)}"></a>`;
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function showClaims(answer, claims) {
  $("claims-title").textContent = t(answer.verified ? "claims" : "claimsUnverified");
  const list = $("claims");
  list.className = answer.verified ? "" : "unverified";
  const rows = [];
  const row = (key, ...value) => {
    // The credential's own words keep their direction in a right-to-left page.
    if (value.some((v) => v)) rows.push(element("dt", { textContent: t(key) }), element("dd", { dir: "auto" }, ...value));
  };
  const sub = (text) => (text ? element("span", { className: "sub", textContent: text }) : null);
  row("learner", claims.learner?.name, claims.learner?.name ? sub(claims.learner.id) : claims.learner?.id && code(claims.learner.id));
  row("achievement", claims.achievement?.name ?? claims.name);
  row("description", claims.achievement?.description);
  row("criteria", claims.achievement?.criteria);
  row("issuer", answer.issuer);
  if (claims.issuer?.name !== answer.issuer) row("issuerClaimed", claims.issuer?.name);
  row("issuerDid", claims.issuer?.id && code(claims.issuer.id));
  row("issuerAccount", answer.issuerAccount && code(answer.issuerAccount));
  if (claims.issuer?.url && /^https?:\/\//i.test(claims.issuer.url))
    row("issuerWeb", element("a", { href: claims.issuer.url, textContent: claims.issuer.url, rel: "noopener noreferrer nofollow", dir: "ltr" }));
  const anchor = claims.anchor ?? {};
  if (claims.created || anchor.transactionHash)
    row("anchored", date(claims.created), element("span", { className: "sub" },
      tn("blockAndTx", { block: String(anchor.blockNumber ?? "?"), tx: code(anchor.transactionHash ?? "") })));
  const { validFrom: from, validUntil: until } = claims;
  if (answer.failed !== "format" || from || until) row("validity", from && until ? tn("validFromUntil", { from: date(from), until: date(until) })
    : from ? tn("validFrom", { from: date(from) }) : until ? tn("validUntil", { until: date(until) }) : t("validAlways"));
  if (anchor.registry)
    row("registry", anchor.registryName, element("span", { className: "sub" }, tn("registryOn", { registry: code(anchor.registry), chainId: String(anchor.chainId) })));
  list.replaceChildren(...rows);
}

function showRegistryForm(answer, claims) {
  const form = $("registry-form");
  form.hidden = !answer.needsRegistry;
  if (form.hidden) return;
  const anchor = claims.anchor ?? {};
  const trusted = answer.trusted.map((r) => `${r.name ? `${r.name} ` : ""}${r.chainId ?? "?"}:${r.registry}`).join(", ") || t("none");
  $("registry-message").replaceChildren(answer.unreachable
    ? tn("unreachable", { chainId: String(anchor.chainId) })
    : tn("unknownRegistry", { registry: anchor.registry, chainId: String(anchor.chainId), trusted }));
  $("rpc-label").replaceChildren(tn("rpcLabel", { chainId: String(anchor.chainId ?? "?") }));
  // For a registry the host already trusts, only the node is missing; for any other, the address
  // must come from the user (from the registry's operator), never from the credential.
  const known = answer.trusted.find((r) => r.registry === anchor.registry?.toLowerCase() && (r.chainId === null || r.chainId === anchor.chainId));
  const address = $("registry-address");
  address.value = known ? known.registry : "";
  address.readOnly = Boolean(known);
}

function showChecks(checks) {
  $("checks").replaceChildren(...checks.map((check) => {
    const item = element("li", {},
      element("span", { className: "check-name", textContent: check.name }),
      element("span", { className: "check-status", textContent: t(check.status) }),
      element("span", { className: "check-text" }, t(check.status === "failed" ? `fail_${check.name}` : `check_${check.name}`),
        check.message ? element("span", { className: "check-message", lang: "en", dir: "auto" }, ...withHashes(check.message)) : null));
    item.dataset.check = check.name;
    item.dataset.status = check.status;
    return item;
  }));
}

// ---- an offer of a credential to a wallet: its QR code to print or send ----
// The QR code is drawn here, by the registry's own code compiled to WebAssembly, from the link alone: nothing is fetched.
function showOffer(link) {
  const offer = JSON.parse(state.verifier.Offer(link.trim()));
  if (offer.problem) { problem(offer.problem); return; }
  state.offer = offer;
  state.answer = null;
  $("result").hidden = true;
  const svg = new DOMParser().parseFromString(offer.qr, "image/svg+xml").documentElement;
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", offer.deepLink);
  $("offer-qr").replaceChildren(document.importNode(svg, true));
  $("offer-link").value = offer.deepLink;
  $("offer-page").href = offer.url;
  showOfferWords();
  $("offer").hidden = false;
  document.body.dataset.offer = "true";
}

function showOfferWords() {
  if (state.offer) $("offer-exchange").replaceChildren(tn("offerExchange", { url: state.offer.url }));
}

// #offer= and the offer's link, URL-encoded: the page opened on an offer (a link an issuer can send with the page).
function offerFragment() {
  const match = /^#offer=(.+)$/.exec(location.hash);
  if (!match) return false;
  let link;
  try { link = decodeURIComponent(match[1]); } catch { link = ""; }
  $("text").value = link;
  startOver();
  showOffer(link);
  return true;
}

// ---- wiring ----
// A file's JSON: its text, or the credential baked into a badge image. Throws a message for the page.
async function documentOf(file, max) {
  if (file.size > max) throw tn("tooLarge", { max: max.toLocaleString(state.lang) });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const badge = JSON.parse(state.verifier.ReadBadge(base64(bytes)));
  if (badge.problem) throw tn("fileProblem", { file: file.name, message: badge.problem });
  return badge.json ?? new TextDecoder().decode(bytes);
}

function base64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// One file is verified as it is; several become one portfolio, with one share link.
async function verifyFiles(files) {
  if (!state.verifier || files.length === 0) return;
  startOver();
  const max = state.verifier.MaxCredentialBytes();
  let text;
  try {
    const documents = [];
    for (const file of files) documents.push(await documentOf(file, max));
    if (documents.length === 1) text = documents[0];
    else {
      const composed = JSON.parse(state.verifier.ComposePortfolio(JSON.stringify(documents)));
      if (composed.problem) { problem(composed.problem); return; }
      text = composed.json;
      if (new TextEncoder().encode(text).length > max) { problem(t("portfolioTooLarge", { max: max.toLocaleString(state.lang) })); return; }
    }
  } catch (message) {
    problem(message instanceof Node ? message : String(message));
    return;
  }
  $("text").value = text;
  await verify(text);
}

async function verifyFragment() {
  if (offerFragment()) return;
  const match = /^#c=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!match) return;
  startOver();
  const max = state.verifier.MaxCredentialBytes();
  try {
    $("text").value = await gunzip(fromBase64url(match[1]), max);
  } catch (e) {
    problem(e instanceof TooLarge ? t("linkTooLarge", { max: max.toLocaleString(state.lang) }) : tn("badLink", { message: e.message }));
    return;
  }
  await verify($("text").value);
}

function wire() {
  $("language").addEventListener("change", (e) => {
    localStorage.setItem("credential-verifier.lang", e.target.value);
    applyLanguage(e.target.value);
  });
  $("verify").addEventListener("click", () => verify($("text").value));
  $("file").addEventListener("change", (e) => verifyFiles([...e.target.files]));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    verifyFiles([...e.dataTransfer.files]);
  });
  $("copy-link").addEventListener("click", async () => {
    const link = $("share-link");
    link.select();
    try { await navigator.clipboard.writeText(link.value); } catch { document.execCommand("copy"); }
    $("copy-link").textContent = t("copied");
    setTimeout(() => { $("copy-link").textContent = t("share"); }, 2000);
  });
  $("copy-offer").addEventListener("click", async () => {
    $("offer-link").select();
    try { await navigator.clipboard.writeText($("offer-link").value); } catch { document.execCommand("copy"); }
    $("copy-offer").textContent = t("copied");
    setTimeout(() => { $("copy-offer").textContent = t("copyOffer"); }, 2000);
  });
  $("print-offer").addEventListener("click", () => window.print());
  $("registry-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const entry = { chainId: null, registry: $("registry-address").value.trim().toLowerCase(), rpcUrl: $("registry-rpc").value.trim(), name: null };
    sessionStorage.setItem(sessionKey, JSON.stringify([...sessionTrusted().filter((r) => r.registry !== entry.registry), entry]));
    verify(state.text ?? $("text").value);
  });
  window.addEventListener("hashchange", verifyFragment);
  // The registry serves this page with a policy that lets it read only the nodes its host lists.
  document.addEventListener("securitypolicyviolation", (e) => {
    if (e.effectiveDirective === "connect-src") problem(tn("nodeBlocked", { node: new URL(e.blockedURI, location.href).origin }));
  });
}

async function start() {
  wire();
  applyLanguage(pickLanguage());
  try {
    const [runtime] = await Promise.all([dotnet.create(), loadHostTrusted()]);
    const exports = await runtime.getAssemblyExports(runtime.getConfig().mainAssemblyName);
    state.verifier = exports.Registry.Verifier.VerifierExports;
  } catch (e) {
    problem(tn("startFailed", { message: e.message }));
    return;
  }
  $("verify").disabled = false;
  $("verify").textContent = t("verify");
  document.body.dataset.ready = "true";
  await verifyFragment();
}

start();
