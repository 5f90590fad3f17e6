// A new did:key as DCC's software makes one (@digitalcredentials/did-method-key), with its Ed25519VerificationKey2020 key
// pair named by the DID document's method for PURPOSE (authentication for a wallet's holder, assertionMethod for an
// issuer), private key included: what the Learner Credential Wallet and DCC's issuers sign with.
import { Ed25519VerificationKey2020 } from "@digitalcredentials/ed25519-verification-key-2020";
import * as didKey from "@digitalcredentials/did-method-key";

export async function newDidKey(purpose) {
  const driver = didKey.driver();
  driver.use({ multibaseMultikeyHeader: "z6Mk", fromMultibase: Ed25519VerificationKey2020.from });
  const verificationKeyPair = await Ed25519VerificationKey2020.generate();
  const { didDocument } = await driver.fromKeyPair({ verificationKeyPair });
  const method = didDocument[purpose][0];
  const did = method.split("#")[0];
  verificationKeyPair.controller = did;
  verificationKeyPair.id = method;
  const key = await Ed25519VerificationKey2020.from(verificationKeyPair.export({ publicKey: true, privateKey: true, includeContext: true }));
  return { did, key };
}
