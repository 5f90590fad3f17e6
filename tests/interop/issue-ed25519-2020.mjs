// An issuer as DCC's issuing services and wallets sign: a new did:key made by @digitalcredentials/did-method-key
// (dcc-did-key.mjs) signs an Open Badges credential with @digitalcredentials/vc and the Ed25519Signature2020 suite
// (@digitalcredentials/ed25519-signature-2020), its contexts from @digitalcredentials/security-document-loader (bundled
// copies; nothing remote).
//
// Usage: node tests/interop/issue-ed25519-2020.mjs VERSION
//   VERSION  1.1 (https://www.w3.org/2018/credentials/v1, issuanceDate) or 2.0 (https://www.w3.org/ns/credentials/v2)
// Prints the signed credential as one JSON line. The .NET suite (VcApiTests) posts it, and altered copies of
// it, to POST /credentials/verify; the script judges nothing.
import * as vc from "@digitalcredentials/vc";
import { Ed25519Signature2020 } from "@digitalcredentials/ed25519-signature-2020";
import { newDidKey } from "./dcc-did-key.mjs";
import { securityLoader } from "@digitalcredentials/security-document-loader";

const [version] = process.argv.slice(2);
if (version !== "1.1" && version !== "2.0") throw new Error(`Unknown version ${version}: 1.1 or 2.0.`);

const { did: issuer, key } = await newDidKey("assertionMethod");

const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
const credential = {
  "@context": [
    version === "1.1" ? "https://www.w3.org/2018/credentials/v1" : "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://w3id.org/security/suites/ed25519-2020/v1",
  ],
  id: `urn:uuid:${crypto.randomUUID()}`,
  type: ["VerifiableCredential", "OpenBadgeCredential"],
  name: "Introduction to Solidity",
  issuer: { id: issuer, type: ["Profile"], name: "Wallet-signed College" },
  ...(version === "1.1" ? { issuanceDate: now } : { validFrom: now }),
  credentialSubject: {
    id: "did:example:learner-2020",
    type: ["AchievementSubject"],
    achievement: {
      id: "https://college.example/achievements/solidity",
      type: ["Achievement"],
      name: "Introduction to Solidity",
      description: "Writes, tests and deploys a contract.",
      criteria: { narrative: "Passed the final assessment." },
    },
  },
};

const signed = await vc.issue({ credential, suite: new Ed25519Signature2020({ key }), documentLoader: securityLoader().build() });
process.stdout.write(JSON.stringify(signed) + "\n");
