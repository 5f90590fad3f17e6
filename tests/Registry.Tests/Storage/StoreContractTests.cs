using System.Text;
using Registry.Api;
using Registry.Api.Anchoring;
using Registry.Api.Storage;
using Registry.Api.Storage.Postgres;
using Registry.Audit;
using Registry.Hashing;
using Registry.Tests.Infrastructure;
using Registry.Verification;

namespace Registry.Tests.Storage;

/// <summary>
/// What every store promises, asked of each one the registry has: the data folder (LiteDB and the
/// logs) and PostgreSQL (a throwaway cluster, <see cref="PostgresServer"/>). Each test opens a store,
/// works through it, opens it again and reads back what a restarted registry would.
/// </summary>
public sealed class StoreContractTests
{
    public static TheoryData<string> Kinds => new("data folder", "postgresql");

    private const string IssuerId = "6f9619ff-8b86-4d11-b42d-00c04fc964ff";

    /// <summary>Where a store of one kind lives: opened again on the same place, it sees the same registry.</summary>
    /// <summary>
    /// The store holds each credential as it was written: its issuer, digest, time, salt and document, and the
    /// batch of the first <paramref name="sealedCount"/>, which were sealed (the rest are pending).
    /// </summary>
    internal static void AssertHoldsAsWritten(ICredentialStore store, IReadOnlyList<NewCredential> credentials, string issuerId, string? batchId, int sealedCount)
    {
        Assert.Equal(credentials.Count, store.Count);
        foreach (var (credential, i) in credentials.Select((c, i) => (c, i)))
        {
            var stored = store.Find(credential.Id.ToString())!;
            Assert.Equal(issuerId, stored.IssuerId);
            Assert.Equal(credential.Digest, stored.Digest);
            Assert.Equal(credential.CreatedAt, stored.CreatedAt);
            Assert.Equal(i < sealedCount ? batchId : null, stored.BatchId);
            var document = store.Read(stored);
            Assert.Equal(credential.Salt, document.Salt);
            Assert.Equal(Encoding.UTF8.GetString(credential.Document), document.Document);
        }
    }

    private sealed class Place(string kind)
    {
        private readonly string _where = kind == "postgresql" ? PostgresServer.NewDatabaseUrl() : TempFolder.Create();

        public IRegistryStorage Open() => kind == "postgresql" ? new PostgresStorage(_where) : new LiteStorage(_where);
    }

    private static NewCredential Credential(int n, DateTime at, long statusIndex)
    {
        var document = Encoding.UTF8.GetBytes($"{{\"n\":{n},\"name\":\"Zoë {n} 学\"}}");
        return new NewCredential(Guid.NewGuid(), at, Keccak256.Hash(Encoding.UTF8.GetBytes($"salt {n}")), Keccak256.Hash(document), document, statusIndex);
    }

    private static BatchSealer Sealer(IRegistryStorage s, int maxBatchSize) =>
        new(s.Issuers, s.Credentials, s.Batches, new BatchTrees(s.Batches), new RegistryOptions { MaxBatchSize = maxBatchSize }, TimeProvider.System);

    private static IssuerEntity Issuer(string id, string name, DateTime created, string apiKeyHash = "hash") =>
        new() { Id = id, Name = name, Address = "0x" + id.Replace("-", "")[..32] + "00000000", Did = $"did:test:{id}", CreatedAt = created, ApiKeyHash = apiKeyHash };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Credentials_are_sealed_into_batches_reopened_and_sealed_again_and_all_of_it_reads_back(string kind)
    {
        var place = new Place(kind);
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var credentials = Enumerable.Range(0, 7).Select(i => Credential(i, start.AddSeconds(i), i)).ToList();
        string batchId;
        using (var s = place.Open())
        {
            s.Issuers.Add(Issuer(IssuerId, "Store Academy", start));
            Assert.Equal(0, s.Credentials.ReserveStatusIndexes(IssuerId, 7));
            s.Credentials.Add(IssuerId, credentials[..4]);
            s.Credentials.Add(IssuerId, credentials[4..]);
            Assert.Equal(7, s.Credentials.Count);
            Assert.Equal((IssuerId, 7, start), Assert.Single(s.Credentials.PendingByIssuer()));
            Assert.Equal([IssuerId], s.Credentials.Due(7, TimeSpan.FromDays(1), start));
            Assert.Empty(s.Credentials.Due(8, TimeSpan.FromDays(1), start));

            var batch = Sealer(s, 5).Seal(IssuerId)!;
            batchId = batch.Id;
            Assert.Equal(BatchStates.Sealed, batch.State);
            Assert.Equal(credentials[..5].Select(c => c.Id.ToString()), s.Batches.MembersOf(batch));
            Assert.Equal(credentials[..5].Select(c => c.Digest), s.Batches.DigestsOf(batch));
            Assert.Equal(credentials[5..].Select(c => c.Digest), s.Credentials.SelectPending(IssuerId, 100)!.Digests);
            Assert.Equal(batchId, Assert.Single(s.Batches.Unfinished()).Id);
        }

        using (var s = place.Open())
        {
            AssertHoldsAsWritten(s.Credentials, credentials, IssuerId, batchId, sealedCount: 5);
            Assert.Null(s.Credentials.Find(Guid.NewGuid().ToString()));
            Assert.Null(s.Credentials.Find(credentials[0].Id.ToString().ToUpperInvariant()));
            Assert.Equal(7, s.Credentials.StatusIndexesOf(IssuerId));
            Assert.Equal([1L, 6L], s.Credentials.StatusIndexesOf(IssuerId, new HashSet<Bytes32> { credentials[1].Digest, credentials[6].Digest }).Order());

            // The batch fails; its credentials go back to pending, and the same members sealed again get the same id.
            var failed = s.Batches.Find(batchId)!;
            failed.State = BatchStates.Failed;
            failed.LastError = "every transaction failed";
            s.Batches.Update(failed);
            Assert.Empty(s.Batches.Unfinished());
            s.Batches.Reopen(failed);
            Assert.Equal(BatchStates.Resealed, s.Batches.Find(batchId)!.State);
            Assert.Equal(credentials.Select(c => c.Digest), s.Credentials.SelectPending(IssuerId, 100)!.Digests);
            Assert.All(credentials, c => Assert.Null(s.Credentials.Find(c.Id.ToString())!.BatchId));
            var again = Sealer(s, 5).Seal(IssuerId)!;
            Assert.Equal(batchId, again.Id);
            var rest = Sealer(s, 5).Seal(IssuerId)!;
            Assert.Null(Sealer(s, 5).Seal(IssuerId));
            Assert.Equal(new[] { batchId, rest.Id }.Order(StringComparer.Ordinal), s.Batches.Page(IssuerId, 0, 10).Select(b => b.Id).Order(StringComparer.Ordinal));
        }

        using (var s = place.Open())
        {
            Assert.Equal(BatchStates.Sealed, s.Batches.Find(batchId)!.State);
            Assert.Null(s.Credentials.SelectPending(IssuerId, 100));
            Assert.Equal(2, s.Batches.Page(null, 0, 10).Count);
            Assert.Single(s.Batches.Page(null, 1, 10));
            Assert.Empty(s.Batches.Page("another-issuer", 0, 10));
            Assert.Null(s.Batches.Find(batchId.ToUpperInvariant()));
            Assert.Equal(credentials[..5].Select(c => c.Id.ToString()), s.Batches.MembersOf(s.Batches.Find(batchId)!));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Status_indexes_are_consecutive_and_an_acknowledged_one_is_never_given_again(string kind)
    {
        var place = new Place(kind);
        var at = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        using (var s = place.Open())
        {
            Assert.Equal(0, s.Credentials.ReserveStatusIndexes(IssuerId, 3));
            s.Credentials.Add(IssuerId, [Credential(0, at, 0), Credential(1, at, 1), Credential(2, at, 2)]);
            var refused = s.Credentials.ReserveStatusIndexes(IssuerId, 4);
            Assert.Equal(3, refused);
            s.Credentials.ReleaseStatusIndexes(IssuerId, refused, 4);
            Assert.Equal(3, s.Credentials.ReserveStatusIndexes(IssuerId, 5));
            // Reserved but never stored: not taken after a restart of the data folder's registry; left unused
            // on a database, whose counter every instance shares (an instance cannot know the others' requests done).
        }
        var next = kind == "postgresql" ? 8 : 3;
        using (var s = place.Open())
        {
            Assert.Equal(next, s.Credentials.StatusIndexesOf(IssuerId));
            Assert.Equal(next, s.Credentials.ReserveStatusIndexes(IssuerId, 1));
            Assert.Equal(0, s.Credentials.StatusIndexesOf("another-issuer"));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_credential_is_found_by_its_issuer_and_status_index_and_by_no_other(string kind)
    {
        var place = new Place(kind);
        var at = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        const string otherIssuer = "0f8fad5b-d9cb-469f-a165-70867728950e";
        // Index 2 was reserved by a request that stored nothing.
        NewCredential[] mine = [Credential(0, at, 0), Credential(1, at, 1), Credential(2, at.AddSeconds(1), 3)];
        var theirs = Credential(3, at, 0);
        string batchId;
        using (var s = place.Open())
        {
            s.Issuers.Add(Issuer(IssuerId, "Store Academy", at));
            s.Credentials.Add(IssuerId, mine);
            s.Credentials.Add(otherIssuer, [theirs]);
            batchId = Sealer(s, 2).Seal(IssuerId)!.Id;
            AssertFound(s.Credentials);
        }
        using (var s = place.Open()) AssertFound(s.Credentials);

        void AssertFound(ICredentialStore store)
        {
            Assert.Equal([mine[0].Id.ToString(), mine[1].Id.ToString(), null, mine[2].Id.ToString(), null],
                Enumerable.Range(0, 5).Select(i => store.FindByStatusIndex(IssuerId, i)?.Id));
            Assert.Equal(store.Find(mine[0].Id.ToString()), store.FindByStatusIndex(IssuerId, 0));
            Assert.Equal(batchId, store.FindByStatusIndex(IssuerId, 1)!.BatchId);
            Assert.Null(store.FindByStatusIndex(IssuerId, 3)!.BatchId);
            Assert.Equal(theirs.Id.ToString(), store.FindByStatusIndex(otherIssuer, 0)!.Id);
            Assert.Null(store.FindByStatusIndex(otherIssuer, 1));
            Assert.Null(store.FindByStatusIndex(IssuerId, -1));
            Assert.Null(store.FindByStatusIndex(IssuerId, long.MaxValue));
            // Only the issuer id as the registry writes it: not another spelling, nor text a database would refuse.
            Assert.Null(store.FindByStatusIndex(IssuerId.ToUpperInvariant(), 0));
            Assert.Null(store.FindByStatusIndex("\0", 0));
            Assert.Null(store.FindByStatusIndex("", 0));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Issuers_auditors_revocations_settings_and_the_chain_index_read_back_as_stored(string kind)
    {
        var place = new Place(kind);
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        const string second = "0b0e6f4e-3f5c-4c55-9d43-6f1f0d1a2b3c";
        var contract = "0x" + new string('a', 40);
        var events = new List<RegistryEvent>
        {
            new(RegistryEventTypes.IssuerAdded, 5, 0, "0x" + new string('1', 64), DateTimeOffset.FromUnixTimeSeconds(1_790_000_000), "0x" + new string('2', 40),
                "Store Academy", null, null, null, null, null, "0x" + new string('3', 64), "0x" + new string('4', 64)),
            new(RegistryEventTypes.Anchored, 9, 2, "0x" + new string('5', 64), DateTimeOffset.FromUnixTimeSeconds(1_790_000_100), "0x" + new string('2', 40),
                null, "0x" + new string('6', 64), 12, null, null, null, "0x" + new string('7', 64), null),
        };
        var auditorId = Guid.NewGuid().ToString();
        // API key hashes as the registry writes them: SHA-256 in lowercase hex.
        string academyKey = new('a', 64), laterKey = new('b', 64), auditorKey = new('c', 64);
        using (var s = place.Open())
        {
            s.Issuers.Add(Issuer(second, "Later College", start.AddDays(1), laterKey));
            s.Issuers.Add(Issuer(IssuerId, "Store Academy", start, academyKey));
            s.Auditors.Add(new AuditorEntity { Id = auditorId, Name = "Council", ApiKeyHash = auditorKey, CreatedAt = start });
            s.Settings.Set(("contract", contract), ("contractBlock", $"{contract}:4"));
            s.Revocations.Record([
                new RevocationEntity { Id = "c1", IssuerId = IssuerId, BatchId = "b", Digest = "0x01", RevokedAt = start, Reason = "error", Block = 9, Pending = true },
                new RevocationEntity { Id = "c2", IssuerId = IssuerId, BatchId = "b", Digest = "0x02", RevokedAt = start, Reason = "error", Block = 9, Pending = true },
            ]);
            Assert.Null(s.ChainEvents.Resume(contract));
            s.ChainEvents.Append(contract, events, new ChainPoint(10, "0x" + new string('8', 64), DateTimeOffset.FromUnixTimeSeconds(1_790_000_200)));
        }
        using (var s = place.Open())
        {
            Assert.Equal([IssuerId, second], s.Issuers.All().Select(i => i.Id));
            Assert.Equal(IssuerId, s.Issuers.FindByName("STORE academy")!.Id);
            Assert.Null(s.Issuers.FindByName("Nobody"));
            Assert.Null(s.Issuers.Find(IssuerId.ToUpperInvariant()));
            Assert.Equal(start, s.Issuers.Find(IssuerId)!.CreatedAt);
            Assert.Single(s.Auditors.All());
            Assert.Equal(second, s.Issuers.FindByApiKeyHash(laterKey)!.Id);
            Assert.Equal(IssuerId, s.Issuers.FindByApiKeyHash(academyKey)!.Id);
            Assert.Equal(auditorId, s.Auditors.FindByApiKeyHash(auditorKey)!.Id);
            // An auditor's key is no issuer's, and the reverse; a hash nobody has finds nobody.
            Assert.Null(s.Issuers.FindByApiKeyHash(auditorKey));
            Assert.Null(s.Auditors.FindByApiKeyHash(academyKey));
            Assert.Null(s.Issuers.FindByApiKeyHash(new string('d', 64)));
            Assert.Null(s.Auditors.FindByApiKeyHash(new string('d', 64)));
            Assert.Equal(contract, s.Settings.Get("contract"));
            Assert.Equal($"{contract}:4", s.Settings.Get("contractBlock"));
            Assert.Null(s.Settings.Get("chainId"));

            Assert.Equal(["c1", "c2"], s.Revocations.Pending().Select(r => r.Id).Order());
            s.Revocations.Confirm(s.Revocations.Find("c1")!);
            s.Revocations.Clear("c2");
            Assert.Empty(s.Revocations.Pending());
            Assert.False(s.Revocations.Find("c1")!.Pending);
            Assert.Null(s.Revocations.Find("c2"));

            var resumed = s.ChainEvents.Resume(contract)!;
            Assert.Equal(10, resumed.Cursor.Number);
            Assert.Equal(events, resumed.Events);
            // A reorganisation back to block 6 forgets the anchor of block 9.
            s.ChainEvents.RollBack(contract, new ChainPoint(6, "0x" + new string('9', 64), DateTimeOffset.FromUnixTimeSeconds(1_790_000_050)));
        }
        using (var s = place.Open())
        {
            var resumed = s.ChainEvents.Resume(contract)!;
            Assert.Equal(6, resumed.Cursor.Number);
            Assert.Equal(events[..1], resumed.Events);
            // Another contract (a reset local chain): what was read of the old one is dropped.
            Assert.Null(s.ChainEvents.Resume("0x" + new string('b', 40)));
            Assert.Null(s.ChainEvents.Resume(contract));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_credential_reads_back_with_its_batch_and_revocation_in_one_lookup_as_the_three_stores_give_them(string kind)
    {
        var place = new Place(kind);
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var credentials = Enumerable.Range(0, 5).Select(i => Credential(i, start.AddSeconds(i), i)).ToList();
        using (var s = place.Open())
        {
            s.Issuers.Add(Issuer(IssuerId, "Store Academy", start));
            s.Credentials.Add(IssuerId, credentials[..2]);
            var anchored = Sealer(s, 2).Seal(IssuerId)!;
            anchored.State = BatchStates.Anchored;
            anchored.AnchoredAt = start.AddHours(1);
            anchored.TransactionHash = "0x" + new string('5', 64);
            s.Batches.Update(anchored);
            s.Credentials.Add(IssuerId, credentials[2..4]);
            Assert.NotNull(Sealer(s, 2).Seal(IssuerId));
            s.Credentials.Add(IssuerId, credentials[4..]);
            s.Revocations.Record([
                new RevocationEntity { Id = credentials[1].Id.ToString(), IssuerId = IssuerId, BatchId = anchored.Id, Digest = credentials[1].Digest.ToString(),
                    RevokedAt = start.AddHours(2), Reason = "error", Block = 9, Pending = true },
            ]);
        }
        using (var s = place.Open())
        {
            s.Revocations.Confirm(s.Revocations.Find(credentials[1].Id.ToString())!);
            // Anchored and unrevoked, anchored and revoked, sealed (not anchored), pending.
            foreach (var credential in credentials)
            {
                var id = credential.Id.ToString();
                var state = s.CredentialStates.Find(id)!;
                var stored = s.Credentials.Find(id)!;
                Assert.Equal(stored, state.Credential);
                Assert.Equal(Json(stored.BatchId is null ? null : s.Batches.Find(stored.BatchId)), Json(state.Batch));
                Assert.Equal(Json(s.Revocations.Find(id)), Json(state.Revocation));
            }
            Assert.Equal([BatchStates.Anchored, BatchStates.Anchored, BatchStates.Sealed, BatchStates.Sealed, null],
                credentials.Select(c => s.CredentialStates.Find(c.Id.ToString())!.Batch?.State));
            Assert.Equal([false, true, false, false, false], credentials.Select(c => s.CredentialStates.Find(c.Id.ToString())!.Revocation is { Pending: false }));
            Assert.Null(s.CredentialStates.Find(Guid.NewGuid().ToString()));
            Assert.Null(s.CredentialStates.Find(credentials[0].Id.ToString().ToUpperInvariant()));
            Assert.Null(s.CredentialStates.Find("not-an-id"));
        }

        static string Json(object? value) => System.Text.Json.JsonSerializer.Serialize(value);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Removing_an_issuer_voids_exactly_its_batches_anchored_after_its_last_trusted_moment(string kind)
    {
        var place = new Place(kind);
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        using var s = place.Open();
        var issuer = Issuer(IssuerId, "Store Academy", start);
        s.Issuers.Add(issuer);
        s.Credentials.Add(IssuerId, Enumerable.Range(0, 3).Select(i => Credential(i, start.AddSeconds(i), i)).ToList());
        var batches = new List<BatchEntity>();
        for (var i = 0; i < 3; i++)
        {
            var batch = Sealer(s, 1).Seal(IssuerId)!;
            batch.State = BatchStates.Anchored;
            batch.AnchoredAt = start.AddHours(i + 1);
            s.Batches.Update(batch);
            batches.Add(batch);
        }
        issuer.RemovedAt = start.AddHours(5);
        issuer.TrustedUntil = start.AddHours(1.5);
        var voided = s.Issuers.Remove(issuer);
        Assert.Equal(batches[1..].Select(b => b.Id).Order(), voided.Select(b => b.Id).Order());
        Assert.Equal([false, true, true], batches.Select(b => s.Batches.Find(b.Id)!.Voided));
        Assert.Equal(start.AddHours(1.5), s.Issuers.Find(IssuerId)!.TrustedUntil);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Qualifications_and_the_awards_resting_on_a_component_read_back_once_their_credentials_are_stored(string kind)
    {
        var place = new Place(kind);
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var qualificationId = Guid.NewGuid().ToString();
        var credential = Credential(1, start, 0);
        var awardId = credential.Id.ToString();
        // What a crash between an award's two writes leaves: the record, and no credential.
        var crashedId = Guid.NewGuid().ToString();
        AwardEntity Award(string id) => new()
        {
            Id = id, QualificationId = qualificationId, IssuerId = IssuerId, Subject = "did:example:learner", AwardedAt = start,
            Components = [new ComponentEntity { CredentialId = "c", Issuer = "did:key:z", IssuerAccount = "0x1", Digest = "0xab", ChainId = 31337, Registry = "0x2" }],
            ComponentDigests = ["0xab", "0xcd"],
        };
        using (var s = place.Open())
        {
            s.Issuers.Add(Issuer(IssuerId, "Store Academy", start));
            s.Qualifications.Add(new QualificationEntity
            {
                Id = qualificationId, IssuerId = IssuerId, Name = "Certificate", Description = "Three modules", Criteria = "Pass them",
                Requires = [new RequirementEntity { Achievement = "https://example.edu/a" }], Minimum = 1, CreatedAt = start,
            });
            // The award's record is written first; until its credential is stored, no read sees it.
            s.Qualifications.AddAward(Award(awardId));
            s.Qualifications.AddAward(Award(crashedId));
            Assert.Null(s.Qualifications.FindAward(awardId));
            Assert.Empty(s.Qualifications.AwardsRestingOn("0xcd"));
            s.Credentials.Add(IssuerId, [credential]);
            Assert.Equal(qualificationId, s.Qualifications.FindAward(awardId)!.QualificationId);
        }
        using (var s = place.Open())
        {
            Assert.Equal("Certificate", s.Qualifications.Find(qualificationId)!.Name);
            Assert.Equal("https://example.edu/a", Assert.Single(s.Qualifications.List()).Requires[0].Achievement);
            Assert.Null(s.Qualifications.Find(qualificationId.ToUpperInvariant()));
            Assert.Equal(qualificationId, s.Qualifications.FindAward(awardId)!.QualificationId);
            Assert.Equal(awardId, Assert.Single(s.Qualifications.AwardsRestingOn("0xcd")).Id);
            Assert.Empty(s.Qualifications.AwardsRestingOn("0xef"));
            // The record a crash left alone stays out of every read after a restart, as if never written.
            Assert.Null(s.Qualifications.FindAward(crashedId));
            Assert.DoesNotContain(s.Qualifications.AwardsRestingOn("0xab"), a => a.Id == crashedId);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_offer_is_claimed_once_over_its_latest_challenge_before_it_expires_and_reads_back(string kind)
    {
        var place = new Place(kind);
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        OfferEntity Offer(int n) => new()
        {
            Id = (0xabcd00 + n).ToString("x32"), IssuerId = IssuerId, Credential = "{\"name\":\"Zoë 学\"}", CreatedAt = start.AddMinutes(n), ExpiresAt = start.AddDays(7),
        };
        using (var s = place.Open())
        {
            foreach (var n in Enumerable.Range(1, 3)) s.Offers.Add(Offer(n));
            Assert.Null(s.Offers.Find(Offer(1).Id.ToUpperInvariant()));
            Assert.Equal([Offer(3).Id, Offer(2).Id], s.Offers.ByIssuer(IssuerId, 0, 2).Select(o => o.Id));
            Assert.Equal([Offer(1).Id], s.Offers.ByIssuer(IssuerId, 2, 10).Select(o => o.Id));
            Assert.Empty(s.Offers.ByIssuer(Guid.NewGuid().ToString(), 0, 10));

            var id = Offer(1).Id;
            Assert.False(s.Offers.TryClaim(id, "none issued", "did:key:a", start));
            Assert.True(s.Offers.SetChallenge(id, "first", start));
            Assert.True(s.Offers.SetChallenge(id, "second", start));
            Assert.False(s.Offers.TryClaim(id, "first", "did:key:a", start));
            // Many claims at once over the same challenge: exactly one wins.
            var wins = new bool[16];
            Parallel.For(0, wins.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => wins[i] = s.Offers.TryClaim(id, "second", $"did:key:{i}", start.AddSeconds(1)));
            Assert.Single(wins, won => won);
            var winner = $"did:key:{Array.IndexOf(wins, true)}";
            Assert.False(s.Offers.SetChallenge(id, "third", start));
            // A claim whose issuance failed is opened again, and only by its own holder.
            s.Offers.Release(id, "did:key:somebody-else");
            Assert.Equal(OfferStates.Claimed, s.Offers.Find(id)!.State);
            s.Offers.Release(id, winner);
            Assert.Equal(OfferStates.Open, s.Offers.Find(id)!.State);
            Assert.True(s.Offers.TryClaim(id, "second", winner, start.AddSeconds(2)));
            s.Offers.Complete(id, "credential-1");
            s.Offers.Release(id, winner);

            // Past its expiry, an offer gets no challenge and no claim.
            var late = start.AddDays(7);
            Assert.False(s.Offers.SetChallenge(Offer(2).Id, "late", late));
            Assert.True(s.Offers.SetChallenge(Offer(2).Id, "in time", late.AddSeconds(-1)));
            Assert.False(s.Offers.TryClaim(Offer(2).Id, "in time", "did:key:b", late));
            Assert.Equal(OfferStates.Expired, OfferStates.Of(s.Offers.Find(Offer(2).Id)!, late));
        }
        using (var s = place.Open())
        {
            var claimed = s.Offers.Find(Offer(1).Id)!;
            Assert.Equal(OfferStates.Claimed, claimed.State);
            Assert.Equal("credential-1", claimed.CredentialId);
            Assert.Equal("second", claimed.Challenge);
            Assert.Equal(start.AddSeconds(2), claimed.ClaimedAt);
            Assert.Equal(DateTimeKind.Utc, claimed.ExpiresAt.Kind);
            Assert.Equal(start.AddDays(7), claimed.ExpiresAt);
            Assert.Equal("{\"name\":\"Zoë 学\"}", claimed.Credential);
            Assert.Equal(OfferStates.Open, s.Offers.Find(Offer(3).Id)!.State);
        }
    }
}
