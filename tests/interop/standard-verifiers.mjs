// Portable credentials checked by the verifiers that wallets and verifying platforms run, not by our
// code: @digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite (and the Bitstring Status List
// checker), and @digitalcredentials/verifier-core (what the Learner Credential Wallet runs).
//
// Usage: node tests/interop/standard-verifiers.mjs FILE...
// Prints one JSON line per file: {file, vc: {verified, revoked, error}, core: {signature, revoked,
// errors}}. The .NET suite (StandardVerifierTests) issues, revokes and tampers the credentials,
// runs this script and asserts on what it prints; the script itself judges nothing.
//
// Offline: contexts come from the project's copies (offline-contexts.js), did:key documents are made
// locally, and the only URLs fetched are status lists on a loopback address (the registry under test).
import fs from "node:fs";
import { createRequire } from "node:module";
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import * as didKey from "@digitalbazaar/did-method-key";
import { checkStatus } from "@digitalbazaar/vc-bitstring-status-list";
import { verifyCredential as verifyWithCore } from "@digitalcredentials/verifier-core";

const require = createRequire(import.meta.url);
const { documentLoader: contextLoader } = require("./offline-contexts.js");

const didKeyDriver = didKey.driver();
didKeyDriver.use({ multibaseMultikeyHeader: "z6Mk", fromMultibase: Ed25519Multikey.from });

const isLoopback = (url) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(url);

async function documentLoader(url) {
  if (url.startsWith("did:key:")) {
    const document = await didKeyDriver.get({ url });
    return { contextUrl: null, documentUrl: url, document };
  }
  if (isLoopback(url)) {
    const response = await fetch(url, { headers: { accept: "application/ld+json, application/json" } });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return { contextUrl: null, documentUrl: url, document: await response.json() };
  }
  return contextLoader(url);
}

const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });

// A message for each error, without stacks: what a wallet would show.
const messages = (error) => {
  if (!error) return null;
  const list = error.errors ?? [error];
  return list.map((e) => e.message ?? String(e)).join("; ");
};

async function withDigitalBazaar(credential) {
  try {
    const result = await vc.verifyCredential({ credential, suite, documentLoader, checkStatus });
    const revoked = result.statusResult ? result.statusResult.verified === true && result.statusResult.results?.[0]?.verified === true
      ? result.statusResult.results[0].status === true : null : null;
    return { verified: result.verified === true, signature: result.results?.[0]?.verified === true, revoked, error: messages(result.error) };
  } catch (error) {
    return { verified: false, signature: false, revoked: null, error: messages(error) };
  }
}

async function withVerifierCore(credential) {
  try {
    const result = await verifyWithCore({ credential, knownDIDRegistries: [] });
    const step = (id) => result.log?.find((entry) => entry.id === id);
    const signature = step("valid_signature")?.valid === true;
    const status = step("revocation_status");
    const errors = [...(result.errors ?? []), ...(status?.error ? [status.error] : [])].map((e) => e.name);
    return { signature, revoked: status && !status.error ? status.valid === false : null, errors };
  } catch (error) {
    return { signature: false, revoked: null, errors: [String(error?.message ?? error)] };
  }
}

// verifier-core warns on stderr while it tries to fetch the Open Badges schema and issuer registries
// (offline here); keep stdout for the answers.
for (const file of process.argv.slice(2)) {
  const credential = JSON.parse(fs.readFileSync(file, "utf8"));
  const answer = { file, vc: await withDigitalBazaar(credential), core: await withVerifierCore(structuredClone(credential)) };
  process.stdout.write(JSON.stringify(answer) + "\n");
}
