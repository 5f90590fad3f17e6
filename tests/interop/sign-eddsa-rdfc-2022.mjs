// A credential signed as Digital Bazaar's libraries sign it: @digitalbazaar/vc with a DataIntegrityProof of the
// eddsa-rdfc-2022 cryptosuite (@digitalbazaar/eddsa-rdfc-2022-cryptosuite, which canonicalises with jsonld.js in
// safe mode and rdfDirection i18n-datatype), by a new did:key made with @digitalbazaar/ed25519-multikey. Contexts
// come from the project's copies (offline-contexts.js); nothing remote.
//
// Usage: node tests/interop/sign-eddsa-rdfc-2022.mjs FILE
//   FILE  an unsigned credential (JSON); its issuer is set to the new did:key.
// Prints the signed credential as one JSON line. The .NET suite posts it, and altered copies of it, to the
// registry's verifiers; the script judges nothing.
import fs from "node:fs";
import { createRequire } from "node:module";
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";

const require = createRequire(import.meta.url);
const { documentLoader } = require("./offline-contexts.js");

const [file] = process.argv.slice(2);
if (!file) throw new Error("Usage: node tests/interop/sign-eddsa-rdfc-2022.mjs FILE");
const credential = JSON.parse(fs.readFileSync(file, "utf8"));

// A did:key's one key is named by its multibase public key (did:key:z6Mk…#z6Mk…), known once the key is made:
// the key is made from a seed, then again from the same seed with its controller.
const seed = crypto.getRandomValues(new Uint8Array(32));
const { publicKeyMultibase } = await Ed25519Multikey.generate({ seed });
const did = `did:key:${publicKeyMultibase}`;
const key = await Ed25519Multikey.generate({ seed, controller: did });
credential.issuer = did;

const suite = new DataIntegrityProof({ signer: key.signer(), cryptosuite: eddsaRdfc2022 });
const signed = await vc.issue({ credential, suite, documentLoader });
process.stdout.write(JSON.stringify(signed) + "\n");
