// A learner's wallet, simulated with the libraries the Learner Credential Wallet (DCC) runs: a did:key made by
// @digitalcredentials/did-method-key, presentations made and signed by @digitalcredentials/vc with the
// Ed25519Signature2020 suite, contexts from @digitalcredentials/security-document-loader (its bundled copies; nothing
// remote), and what it receives checked by @digitalcredentials/verifier-core. It walks a VC API exchange as the app's
// exchanges.ts does: open the link's protocols.vcapi, post {}, answer a DIDAuthentication request with a presentation
// signed over its challenge and domain, post it to the request's interact service, and read
// verifiablePresentation.verifiableCredential[0].
//
// Usage: node tests/interop/wallet.mjs SCENARIO DEEPLINK
//   claim            claim the offer; then send the same presentation again (a replay); then a second wallet claims it
//   wrong-challenge  answer with a presentation signed over a challenge the exchange never issued
// Prints one JSON line per step: {step, status, holder?, credential?, core?, problem?}. The .NET suite
// (WalletTests) makes the offers, runs this script and asserts on what it prints; the script judges nothing.
import * as vc from "@digitalcredentials/vc";
import { Ed25519Signature2020 } from "@digitalcredentials/ed25519-signature-2020";
import { newDidKey } from "./dcc-did-key.mjs";
import { securityLoader } from "@digitalcredentials/security-document-loader";
import { verifyCredential } from "@digitalcredentials/verifier-core";

// verifier-core logs on stdout while it tries to fetch the Open Badges schema (offline here): stdout is for the report.
console.log = console.error;
const [scenario, deepLink] = process.argv.slice(2);
const documentLoader = securityLoader().build();
const report = (line) => process.stdout.write(JSON.stringify(line) + "\n");

/** A wallet profile: a new did:key and the suite that signs with its authentication key, as the app keeps them. */
async function newWallet() {
  const { did, key } = await newDidKey("authentication");
  return { holder: did, suite: new Ed25519Signature2020({ key }) };
}

/** protocols.vcapi of the request a deep link carries (https://lcw.app/mobile?request={...}). */
function exchangeUrl(link) {
  const request = JSON.parse(new URL(link).searchParams.get("request"));
  return request.protocols.vcapi;
}

async function post(url, body) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON: reported as it is */ }
  return { status: response.status, json, text };
}

async function signedPresentation(wallet, challenge, domain) {
  const presentation = vc.createPresentation({ holder: wallet.holder });
  return vc.signPresentation({ presentation, challenge, domain, suite: wallet.suite, documentLoader });
}

/** The exchange up to the presentation request; null (after reporting the refusal) when the exchange refuses to start. */
async function ask(url, step) {
  const asked = await post(url, {});
  if (asked.status !== 200 || !asked.json?.verifiablePresentationRequest) {
    report({ step, status: asked.status, problem: asked.json ?? asked.text });
    return null;
  }
  return asked.json.verifiablePresentationRequest;
}

async function claim(wallet, url, step, challengeOf = (vpr) => vpr.challenge) {
  const vpr = await ask(url, step);
  if (!vpr) return null;
  const queries = [].concat(vpr.query);
  if (!queries.some((q) => q.type === "DIDAuthentication" || q.type === "DIDAuth")) throw new Error(`No DID authentication asked: ${JSON.stringify(vpr)}`);
  const verifiablePresentation = await signedPresentation(wallet, challengeOf(vpr), vpr.domain);
  const endpoint = vpr.interact?.service?.[0]?.serviceEndpoint ?? url;
  const answer = await post(endpoint, { verifiablePresentation });
  const credential = answer.json?.verifiablePresentation?.verifiableCredential?.[0] ?? null;
  const line = { step, status: answer.status, holder: wallet.holder };
  if (credential) {
    line.credential = credential;
    line.core = await checkWithCore(credential);
  } else {
    line.problem = answer.json ?? answer.text;
  }
  report(line);
  return { endpoint, verifiablePresentation };
}

async function checkWithCore(credential) {
  try {
    const result = await verifyCredential({ credential: structuredClone(credential), knownDIDRegistries: [] });
    const step = (id) => result.log?.find((entry) => entry.id === id);
    const status = step("revocation_status");
    return {
      signature: step("valid_signature")?.valid === true,
      revoked: status && !status.error ? status.valid === false : null,
      errors: [...(result.errors ?? []), ...(status?.error ? [status.error] : [])].map((e) => e.name ?? String(e)),
    };
  } catch (error) {
    return { signature: false, revoked: null, errors: [String(error?.message ?? error)] };
  }
}

const url = exchangeUrl(deepLink);
if (scenario === "claim") {
  const sent = await claim(await newWallet(), url, "claim");
  if (sent) {
    const replay = await post(sent.endpoint, { verifiablePresentation: sent.verifiablePresentation });
    report({ step: "replay", status: replay.status, problem: replay.json ?? replay.text });
    await claim(await newWallet(), url, "second-claim");
  }
} else if (scenario === "wrong-challenge") {
  await claim(await newWallet(), url, "wrong-challenge", () => crypto.randomUUID());
} else {
  throw new Error(`Unknown scenario ${scenario}: claim or wrong-challenge.`);
}
