using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Registry.Api.Anchoring;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Security;
using Registry.Api.Storage;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Identity;

namespace Registry.Api.Credentials;

/// <summary>
/// A credential's state. <c>failed</c> comes with <c>failureReason</c> (its batch cannot be anchored);
/// <c>voided</c> means its batch was anchored after its issuer's key stopped being trusted. <c>batchId</c>, which the
/// specification lists, is always written (<c>null</c> while pending); the other fields only when they have a value.
/// </summary>
public sealed record CredentialStatus(
    string Id, string Status, string Digest, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? BatchId, DateTime? RevokedAt, string? RevocationReason, string? FailureReason);

/// <summary>
/// Finds credentials for the key holder that may see them, and builds their portable form. The issuer's
/// signature is made as the portable credential is handed out, not stored: Ed25519 is deterministic and its
/// <c>created</c> is the credential's issuance time, so every copy carries the same bytes.
/// </summary>
public sealed class CredentialViews(IIssuerStore issuers, ICredentialStore store, ICredentialStates states, BatchTrees trees, IssuerKeyring keyring)
{
    /// <summary>The credential with its batch and revocation, if the holder may see it: its own issuer, an auditor or the admin. To others it does not exist.</summary>
    private CredentialState? Find(string id, KeyHolder holder) =>
        states.Find(id) is { } state && (holder.Role != Roles.Issuer || state.Credential.IssuerId == holder.Id) ? state : null;

    /// <summary>The state of a credential the holder may see.</summary>
    public Outcome<CredentialStatus, Unknown> StatusOf(string id, KeyHolder holder)
    {
        if (Find(id, holder) is not (var credential, var batch, var revocation)) return new Unknown($"Credential {id}");
        var status = revocation is not null ? (revocation.Pending ? "revoking" : "revoked")
            : batch is null ? "pending"
            : batch.Voided ? "voided"
            : batch.State switch { BatchStates.Anchored => "anchored", BatchStates.Failed => "failed", _ => "batched" };
        return new CredentialStatus(credential.Id, status, credential.Digest.ToString(), credential.BatchId, revocation?.RevokedAt, revocation?.Reason,
            status == "failed" ? batch!.LastError : null);
    }

    /// <summary>The portable credential of a credential the holder may see; a conflict while its batch is not anchored.</summary>
    public Outcome<JsonObject, Unknown, StateConflict> Portable(string id, KeyHolder holder)
    {
        if (Find(id, holder) is not (var credential, var batch, _)) return new Unknown($"Credential {id}");
        if (batch is not { State: BatchStates.Anchored })
            return new StateConflict(batch is null
                ? "The credential is waiting for a batch; its proof exists once the batch is anchored."
                : $"The credential's batch is {batch.State}; its proof exists once the batch is anchored and confirmed.");

        var stored = store.Read(credential);
        var document = (JsonObject)StrictJson.Parse(stored.Document)!;
        var issuer = issuers.Find(credential.IssuerId)
            ?? throw new InvalidOperationException($"Credential {credential.Id} names issuer {credential.IssuerId}, which is not stored.");
        var tree = trees.Get(batch);
        var digest = credential.Digest;
        if (!tree.TryIndexOf(digest, out var index))
            throw new InvalidOperationException($"Credential {credential.Id} is not in the tree of batch {batch.Id}.");
        var proof = new AnchorProof(
            VerificationMethod: $"{issuer.Did}{IssuerDid.VerificationMethodFragment}",
            Created: new DateTimeOffset(DateTime.SpecifyKind(batch.AnchoredAt!.Value, DateTimeKind.Utc)),
            Salt: stored.Salt,
            Digest: digest,
            MerkleRoot: tree.Root,
            MerkleProof: tree.GetProof(index),
            Anchor: new AnchorLocation(batch.ChainId!.Value, batch.Contract!, batch.TransactionHash!, batch.BlockNumber!.Value, batch.Id));
        var issuedAt = new DateTimeOffset(DateTime.SpecifyKind(credential.CreatedAt, DateTimeKind.Utc));
        try
        {
            return PortableCredential.Sign(document, proof, keyring.SigningKeyOf(issuer), issuedAt);
        }
        catch (LinkedData.JsonLdException e)
        {
            // Only a credential whose JSON-LD safe mode refuses (a relative IRI, say) gets here: submission refuses unbundled contexts.
            return new StateConflict($"The credential is anchored, but it cannot be signed: its JSON-LD cannot be canonicalised ({e.Message}).");
        }
    }
}
