using System.Text;
using Registry.Api;
using Registry.Api.Anchoring;
using Registry.Api.Storage;
using Registry.Hashing;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Storage;

/// <summary>
/// The credential store on real files: what it answers after being opened again, what it does with
/// an append cut short by a crash, and that it refuses damage it cannot explain rather than drop records.
/// </summary>
public sealed class CredentialStoreTests
{
    // An id in the form the registry writes, as the issuer store takes no other.
    private const string IssuerId = "6f9619ff-8b86-4d11-b42d-00c04fc964ff";

    private static NewCredential Credential(int n, DateTime? at = null)
    {
        var document = Encoding.UTF8.GetBytes($"{{\"n\":{n},\"name\":\"Zoë {n} 学\"}}");
        var salt = Keccak256.Hash(Encoding.UTF8.GetBytes($"salt {n}"));
        return new NewCredential(Guid.NewGuid(), at ?? new DateTime(2026, 11, 1, 0, 0, n % 60, DateTimeKind.Utc), salt,
            Keccak256.Hash(document), document, n);
    }

    private static LiteStorage Open(string dataDir) => new(dataDir);

    private static void Close(LiteStorage opened) => opened.Dispose();

    [Fact]
    public void Credentials_and_batches_read_back_after_reopening()
    {
        var dataDir = TempFolder.Create();
        var credentials = Enumerable.Range(0, 7).Select(i => Credential(i)).ToList();
        string batchId;
        var opened = Open(dataDir);
        opened.Issuers.Add(new IssuerEntity { Id = IssuerId, Address = "0x" + new string('1', 40) });
        opened.Log.Add(IssuerId, credentials[..4]);
        opened.Log.Add(IssuerId, credentials[4..]);
        var sealer = new BatchSealer(opened.Issuers, opened.Credentials, opened.Batches, new BatchTrees(opened.Batches), new RegistryOptions { MaxBatchSize = 5 },
            TimeProvider.System);
        batchId = sealer.Seal(IssuerId)!.Id;
        Close(opened);

        opened = Open(dataDir);
        StoreContractTests.AssertHoldsAsWritten(opened.Log, credentials, IssuerId, batchId, sealedCount: 5);
        var batch = opened.Batches.Find(batchId)!;
        Assert.Equal(credentials[..5].Select(c => c.Id.ToString()), opened.Batches.MembersOf(batch));
        Assert.Equal(credentials[..5].Select(c => c.Digest), opened.Batches.DigestsOf(batch));
        Assert.Equal(credentials[5..].Select(c => c.Digest), opened.Log.SelectPending(IssuerId, 100)!.Digests);
        Assert.Null(opened.Log.Find(Guid.NewGuid().ToString()));
        Assert.Null(opened.Log.Find(credentials[0].Id.ToString().ToUpperInvariant()));
        Close(opened);
    }

    [Fact]
    public void Members_written_without_their_batch_row_stay_pending_and_a_resealed_batch_gives_them_back()
    {
        var dataDir = TempFolder.Create();
        var credentials = Enumerable.Range(0, 4).Select(i => Credential(i)).ToList();
        var opened = Open(dataDir);
        opened.Log.Add(IssuerId, credentials);
        // A crash between the members' record and the batch's row: the row is the commit point.
        var selection = opened.Log.SelectPending(IssuerId, 3)!;
        var orphan = opened.Log.WriteMembers("orphan", selection);
        Close(opened);

        opened = Open(dataDir);
        Assert.All(credentials, c => Assert.Null(opened.Log.Find(c.Id.ToString())!.BatchId));
        Assert.Equal(4, opened.Log.SelectPending(IssuerId, 100)!.Count);

        // A batch whose row was written, then marked resealed: its members are pending again after a restart.
        selection = opened.Log.SelectPending(IssuerId, 3)!;
        var (offset, length) = opened.Log.WriteMembers("sealed-one", selection);
        opened.Database.Batches.Insert(new BatchEntity { Id = "sealed-one", IssuerId = IssuerId, Count = 3, MembersOffset = offset, MembersLength = length });
        opened.Log.MarkBatched("sealed-one", selection);
        Assert.Single(opened.Log.SelectPending(IssuerId, 100)!.Digests);
        Close(opened);

        opened = Open(dataDir);
        Assert.Equal(credentials[3].Digest, Assert.Single(opened.Log.SelectPending(IssuerId, 100)!.Digests));
        var batch = opened.Database.Batches.FindById("sealed-one");
        batch.State = BatchStates.Resealed;
        opened.Database.Batches.Update(batch);
        Close(opened);

        opened = Open(dataDir);
        Assert.Equal(credentials.Select(c => c.Digest), opened.Log.SelectPending(IssuerId, 100)!.Digests);
        Assert.NotEqual(0, orphan.Offset);
        Close(opened);
    }

    [Fact]
    public void Status_indexes_are_consecutive_and_a_stored_one_is_never_given_again_after_reopening()
    {
        var dataDir = TempFolder.Create();
        var opened = Open(dataDir);
        Assert.Equal(0, opened.Log.StatusIndexesOf(IssuerId));
        Assert.Equal(0, opened.Log.ReserveStatusIndexes(IssuerId, 3));
        Assert.Equal(0, opened.Log.ReserveStatusIndexes("issuer-2", 1));
        opened.Log.Add(IssuerId, [WithIndex(Credential(0), 0), WithIndex(Credential(1), 1), WithIndex(Credential(2), 2)]);
        var refused = opened.Log.ReserveStatusIndexes(IssuerId, 4);
        Assert.Equal(3, refused);
        opened.Log.ReleaseStatusIndexes(IssuerId, refused, 4);
        Assert.Equal(3, opened.Log.ReserveStatusIndexes(IssuerId, 2));
        // A range given back after another was reserved stays a gap: the later one is in use.
        var overtaken = opened.Log.ReserveStatusIndexes(IssuerId, 2);
        Assert.Equal(5, overtaken);
        Assert.Equal(7, opened.Log.ReserveStatusIndexes(IssuerId, 1));
        opened.Log.ReleaseStatusIndexes(IssuerId, overtaken, 2);
        opened.Log.Add(IssuerId, [WithIndex(Credential(3), 7)]);
        Assert.Equal(8, opened.Log.ReserveStatusIndexes(IssuerId, 1));
        Close(opened);

        // After a restart the next index is one past the highest stored: 8 was only reserved, never acknowledged.
        opened = Open(dataDir);
        Assert.Equal(8, opened.Log.StatusIndexesOf(IssuerId));
        Assert.Equal(0, opened.Log.StatusIndexesOf("issuer-2"));
        Assert.Equal(8, opened.Log.ReserveStatusIndexes(IssuerId, 10_000));
        Assert.Equal([2L, 7L], opened.Log.StatusIndexesOf(IssuerId, new HashSet<Bytes32> { Credential(2).Digest, Credential(3).Digest }).Order());
        Close(opened);

        static NewCredential WithIndex(NewCredential credential, long index) => credential with { StatusIndex = index };
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_logs_are_readable_by_their_owner_only()
    {
        var dataDir = TempFolder.Create();
        Close(Open(dataDir));
        foreach (var name in new[] { CredentialStore.CredentialsFileName, CredentialStore.MembersFileName })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, name)));
    }

    [Fact]
    public void Concurrent_appends_each_land_whole()
    {
        var dataDir = TempFolder.Create();
        var batches = Enumerable.Range(0, 40).Select(b => Enumerable.Range(0, 50).Select(i => Credential(b * 50 + i)).ToList()).ToList();
        var opened = Open(dataDir);
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, batch => opened.Log.Add($"issuer-{batch[0].Id.GetHashCode() & 3}", batch));
        Close(opened);

        opened = Open(dataDir);
        Assert.Equal(2_000, opened.Log.Count);
        foreach (var credential in batches.SelectMany(b => b))
            Assert.Equal(Encoding.UTF8.GetString(credential.Document), opened.Log.Read(opened.Log.Find(credential.Id.ToString())!).Document);
        Close(opened);
    }

    [Theory]
    [InlineData(3)]      // a frame cut short
    [InlineData(20)]     // a payload cut short
    public void An_append_cut_short_by_a_crash_is_dropped_and_the_rest_kept(int tornBytes)
    {
        var dataDir = TempFolder.Create();
        var credentials = Enumerable.Range(0, 3).Select(i => Credential(i)).ToList();
        var opened = Open(dataDir);
        opened.Log.Add(IssuerId, credentials);
        Close(opened);
        var log = Path.Combine(dataDir, CredentialStore.CredentialsFileName);
        var complete = new FileInfo(log).Length;
        var next = new RecordBuffer();
        next.Add(100, 0, static (payload, _) => payload.Fill(7));
        using (var file = new FileStream(log, FileMode.Append)) file.Write(next.Written[..tornBytes]);

        opened = Open(dataDir);
        Assert.Equal(3, opened.Log.Count);
        Assert.Equal(complete, new FileInfo(log).Length);
        opened.Log.Add(IssuerId, [Credential(9)]);
        Close(opened);
        opened = Open(dataDir);
        Assert.Equal(4, opened.Log.Count);
        Close(opened);
    }

    [Fact]
    public void A_record_damaged_before_others_is_refused_rather_than_dropped()
    {
        var dataDir = TempFolder.Create();
        var opened = Open(dataDir);
        opened.Log.Add(IssuerId, Enumerable.Range(0, 3).Select(i => Credential(i)).ToList());
        Close(opened);
        var log = Path.Combine(dataDir, CredentialStore.CredentialsFileName);
        var bytes = File.ReadAllBytes(log);
        bytes[AppendLog.HeaderSize + AppendLog.FrameSize + 30] ^= 0x40;
        File.WriteAllBytes(log, bytes);

        using var database = new RegistryDatabase(dataDir);
        var refusal = Assert.Throws<InvalidDataException>(() => new CredentialStore(database));
        Assert.Contains($"damaged at offset {AppendLog.HeaderSize}", refusal.Message);
        Assert.Equal(bytes.Length, new FileInfo(log).Length);
    }

    [Fact]
    public void A_file_of_another_kind_is_refused()
    {
        var dataDir = TempFolder.Create();
        File.WriteAllText(Path.Combine(dataDir, CredentialStore.CredentialsFileName), "not a log of this registry");
        using var database = new RegistryDatabase(dataDir);
        Assert.Throws<InvalidDataException>(() => new CredentialStore(database));
    }
}
