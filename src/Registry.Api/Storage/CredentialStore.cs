using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Registry.Hashing;

namespace Registry.Api.Storage;

/// <summary>A credential to store: what the registry computed at submission, with the status index its document names.</summary>
public sealed record NewCredential(Guid Id, DateTime CreatedAt, Bytes32 Salt, Bytes32 Digest, byte[] Document, long StatusIndex);

/// <summary>A stored credential as the registry keeps it in memory; its salt and document stay on disk until asked for.</summary>
public sealed record StoredCredential(string Id, string IssuerId, DateTime CreatedAt, Bytes32 Digest, string? BatchId);

/// <summary>A stored credential's salt and canonical document, read back from disk.</summary>
public sealed record StoredDocument(Bytes32 Salt, string Document);

/// <summary>An issuer's oldest pending credentials, chosen for a batch: their digests in the order the tree is built from.</summary>
public sealed class PendingSelection
{
    internal PendingSelection(string issuerId, int[] entries, Bytes32[] digests, Guid[] ids)
    {
        IssuerId = issuerId;
        Entries = entries;
        Digests = digests;
        Ids = ids;
    }

    public string IssuerId { get; }
    public Bytes32[] Digests { get; }
    public Guid[] Ids { get; }
    /// <summary>The credentials' places in <see cref="CredentialStore"/>'s in-memory index.</summary>
    internal int[] Entries { get; }
    public int Count => Ids.Length;
}

/// <summary>
/// Where credentials live: what must be looked up per credential is indexed in memory, everything
/// else is appended to two logs and never rewritten.
/// <list type="bullet">
/// <item><c>credentials.log</c>: one record per credential (id, time, salt, digest, status index, issuer,
/// canonical document), appended and fsync'd before issuance answers.</item>
/// <item><c>batches.log</c>: one record per sealed batch, its members' ids and digests in tree
/// order; the batch's row in LiteDB points at it and is the commit point of sealing.</item>
/// </list>
/// Opening reads both and rebuilds the index: id → place on disk, digest, issuer and batch, and
/// each issuer's pending credentials in order, each issuer's next status index (one past the
/// highest any record holds) and its credentials by status index. Per-credential state that changes
/// later, revocation, lives in LiteDB's <c>revocations</c>, which holds only the credentials that have one.
/// </summary>
public sealed class CredentialStore : ICredentialStore, IDisposable
{
    public const string CredentialsFileName = "credentials.log";
    public const string MembersFileName = "batches.log";
    private const byte RecordVersion = 2;
    private const byte MembersVersion = 1;
    // version, id, created (ticks), salt, digest, status index, issuer id's length; then the issuer id and the document.
    // Version 1 records, from before status lists, have no status index.
    private const int FixedBytes = 1 + 16 + 8 + 32 + 32 + 8 + 2;
    private const int StatusIndexAt = 89;
    private static int IssuerLengthAt(byte version) => version == 1 ? 89 : 97;
    private static int HeaderBytes(byte version) => IssuerLengthAt(version) + 2;
    private const int MemberBytes = 16 + 32;

    private struct Entry
    {
        public Guid Id;
        public long Offset;
        public int Length;
        public int Issuer;
        public long CreatedTicks;
        public Bytes32 Digest;
        public long StatusIndex;
        public string? BatchId;
    }

    private readonly Lock _lock = new();
    private readonly AppendLog _credentials;
    private readonly AppendLog _members;
    private Entry[] _entries = new Entry[1024];
    private int _count;
    private readonly Dictionary<Guid, int> _byId = [];
    private readonly List<string> _issuers = [];
    private readonly Dictionary<string, int> _issuerIndex = new(StringComparer.Ordinal);
    // Per issuer number, the next status index to give: one past the highest stored or reserved.
    private readonly List<long> _nextStatusIndex = [];
    // Per issuer number, the entry number of its credential at each status index, -1 where none is stored (an index never
    // acknowledged): an issuer's indexes are consecutive from 0, so a list of four bytes a credential is the whole index.
    private readonly List<List<int>> _byStatusIndex = [];
    // Per issuer, its pending credentials (entry numbers), oldest first.
    private readonly Dictionary<string, List<int>> _pending = new(StringComparer.Ordinal);

    public CredentialStore(RegistryDatabase database)
    {
        _credentials = new AppendLog(Path.Combine(database.DataDir, CredentialsFileName), "RCREDS01", Load);
        _members = new AppendLog(Path.Combine(database.DataDir, MembersFileName), "RBATCH01");
        foreach (var batch in database.Batches.Find(b => b.State != BatchStates.Resealed))
        {
            foreach (var id in MemberIds(batch))
            {
                if (!_byId.TryGetValue(id, out var entry))
                    throw new InvalidDataException($"Batch {batch.Id} names credential {id}, which {CredentialsFileName} does not hold.");
                _entries[entry].BatchId = batch.Id;
            }
        }
        for (var i = 0; i < _count; i++)
            if (_entries[i].BatchId is null) PendingOf(_issuers[_entries[i].Issuer]).Add(i);
        foreach (var queue in _pending.Values) queue.Sort((a, b) => _entries[a].CreatedTicks.CompareTo(_entries[b].CreatedTicks));
    }

    public int Count
    {
        get { lock (_lock) return _count; }
    }

    /// <summary>
    /// Gives the issuer's next <paramref name="count"/> status indexes, consecutive, and returns the first.
    /// Only a record on disk makes an index taken: after a restart the next index is one past the highest
    /// stored, so an index reserved by a request that never stored (refused, or cut short by a crash, and
    /// never acknowledged) may be given again, and one that was acknowledged never is.
    /// </summary>
    public long ReserveStatusIndexes(string issuerId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_lock)
        {
            var issuer = IssuerNumber(issuerId);
            var first = _nextStatusIndex[issuer];
            _nextStatusIndex[issuer] = first + count;
            return first;
        }
    }

    /// <summary>Gives back the indexes of a refused request, if no request reserved any after them (else they stay unused).</summary>
    public void ReleaseStatusIndexes(string issuerId, long first, int count)
    {
        lock (_lock)
        {
            var issuer = IssuerNumber(issuerId);
            if (_nextStatusIndex[issuer] == first + count) _nextStatusIndex[issuer] = first;
        }
    }

    /// <summary>How many status indexes the issuer has given (or reserved): its lists cover these.</summary>
    public long StatusIndexesOf(string issuerId)
    {
        lock (_lock) return _issuerIndex.TryGetValue(issuerId, out var issuer) ? _nextStatusIndex[issuer] : 0;
    }

    /// <summary>The status indexes of the issuer's credentials whose digest is in <paramref name="digests"/>.</summary>
    public IReadOnlyList<long> StatusIndexesOf(string issuerId, IReadOnlySet<Bytes32> digests)
    {
        var found = new List<long>(digests.Count);
        if (digests.Count == 0) return found;
        lock (_lock)
        {
            if (!_issuerIndex.TryGetValue(issuerId, out var issuer)) return found;
            for (var i = 0; i < _count; i++)
            {
                ref var entry = ref _entries[i];
                if (entry.Issuer == issuer && entry.StatusIndex >= 0 && digests.Contains(entry.Digest)) found.Add(entry.StatusIndex);
            }
        }
        return found;
    }

    /// <summary>Stores an issuer's new credentials: on disk (fsync'd) when this returns, then pending for a batch.</summary>
    public void Add(string issuerId, IReadOnlyList<NewCredential> credentials)
    {
        var issuerBytes = Encoding.UTF8.GetBytes(issuerId);
        var records = new RecordBuffer(credentials.Sum(c => AppendLog.FrameSize + FixedBytes + issuerBytes.Length + c.Document.Length));
        var positions = new int[credentials.Count];
        for (var i = 0; i < credentials.Count; i++)
        {
            positions[i] = records.Position;
            records.Add(FixedBytes + issuerBytes.Length + credentials[i].Document.Length, (credentials[i], issuerBytes), static (payload, state) =>
            {
                var (credential, issuer) = state;
                payload[0] = RecordVersion;
                credential.Id.TryWriteBytes(payload[1..17]);
                BinaryPrimitives.WriteInt64LittleEndian(payload[17..], credential.CreatedAt.Ticks);
                credential.Salt.WriteTo(payload.Slice(25, 32));
                credential.Digest.WriteTo(payload.Slice(57, 32));
                BinaryPrimitives.WriteInt64LittleEndian(payload[StatusIndexAt..], credential.StatusIndex);
                BinaryPrimitives.WriteUInt16LittleEndian(payload[IssuerLengthAt(RecordVersion)..], (ushort)issuer.Length);
                issuer.CopyTo(payload[FixedBytes..]);
                credential.Document.CopyTo(payload[(FixedBytes + issuer.Length)..]);
            });
        }
        var start = _credentials.Append(records);
        lock (_lock)
        {
            var issuer = IssuerNumber(issuerId);
            var queue = PendingOf(issuerId);
            for (var i = 0; i < credentials.Count; i++)
            {
                var c = credentials[i];
                queue.Add(AddEntry(new Entry
                {
                    Id = c.Id, Offset = start + positions[i], Length = FixedBytes + issuerBytes.Length + c.Document.Length,
                    Issuer = issuer, CreatedTicks = c.CreatedAt.Ticks, Digest = c.Digest, StatusIndex = c.StatusIndex,
                }));
            }
        }
    }

    /// <summary>The credential with this id (as the API writes it), or null.</summary>
    public StoredCredential? Find(string id)
    {
        if (!RegistryIds.TryParseGuid(id, out var guid)) return null;
        lock (_lock) return _byId.TryGetValue(guid, out var entry) ? View(entry) : null;
    }

    /// <summary>The issuer's credential whose status list entry names <paramref name="statusIndex"/>, or null.</summary>
    public StoredCredential? FindByStatusIndex(string issuerId, long statusIndex)
    {
        lock (_lock)
        {
            if (!RegistryIds.IsGuid(issuerId) || !_issuerIndex.TryGetValue(issuerId, out var issuer) || statusIndex < 0 || statusIndex >= _byStatusIndex[issuer].Count)
                return null;
            var entry = _byStatusIndex[issuer][(int)statusIndex];
            return entry < 0 ? null : View(entry);
        }
    }

    /// <summary>The credential's salt and canonical document, read from disk and checked against the record's checksum.</summary>
    public StoredDocument Read(StoredCredential credential)
    {
        Entry entry;
        lock (_lock) entry = _entries[_byId[Guid.Parse(credential.Id)]];
        var payload = _credentials.Read(entry.Offset, entry.Length);
        var issuerLength = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(IssuerLengthAt(payload[0])));
        return new StoredDocument(Bytes32.FromSpan(payload.AsSpan(25, 32)), Encoding.UTF8.GetString(payload.AsSpan(HeaderBytes(payload[0]) + issuerLength)));
    }

    /// <summary>How many credentials each issuer has waiting for a batch, and since when.</summary>
    public IReadOnlyList<(string IssuerId, int Count, DateTime Oldest)> PendingByIssuer()
    {
        lock (_lock)
            return _pending.Where(p => p.Value.Count > 0)
                .Select(p => (p.Key, p.Value.Count, new DateTime(_entries[p.Value[0]].CreatedTicks, DateTimeKind.Utc))).ToList();
    }

    /// <summary>The issuer's oldest pending credentials, at most <paramref name="max"/>; null when none waits.</summary>
    public PendingSelection? SelectPending(string issuerId, int max)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(issuerId, out var queue) || queue.Count == 0) return null;
            var entries = queue.GetRange(0, Math.Min(max, queue.Count)).ToArray();
            var digests = new Bytes32[entries.Length];
            var ids = new Guid[entries.Length];
            for (var i = 0; i < entries.Length; i++)
            {
                digests[i] = _entries[entries[i]].Digest;
                ids[i] = _entries[entries[i]].Id;
            }
            return new PendingSelection(issuerId, entries, digests, ids);
        }
    }

    /// <summary>Writes a batch's members to <c>batches.log</c> (fsync'd) and returns where, for the batch's row to point at.</summary>
    public (long Offset, int Length) WriteMembers(string batchId, PendingSelection members)
    {
        var id = Encoding.ASCII.GetBytes(batchId);
        var length = 1 + 1 + id.Length + 4 + MemberBytes * members.Count;
        var records = new RecordBuffer(AppendLog.FrameSize + length);
        records.Add(length, (id, members), static (payload, state) =>
        {
            var (batchId, members) = state;
            payload[0] = MembersVersion;
            payload[1] = (byte)batchId.Length;
            batchId.CopyTo(payload[2..]);
            var at = 2 + batchId.Length;
            BinaryPrimitives.WriteInt32LittleEndian(payload[at..], members.Count);
            at += 4;
            for (var i = 0; i < members.Count; i++, at += MemberBytes)
            {
                members.Ids[i].TryWriteBytes(payload.Slice(at, 16));
                members.Digests[i].WriteTo(payload.Slice(at + 16, 32));
            }
        });
        return (_members.Append(records), length);
    }

    /// <summary>Records in memory that the (now committed) batch holds these credentials; they are no longer pending.</summary>
    public void MarkBatched(string batchId, PendingSelection members)
    {
        lock (_lock)
        {
            var taken = new HashSet<int>(members.Entries);
            foreach (var entry in members.Entries) _entries[entry].BatchId = batchId;
            PendingOf(members.IssuerId).RemoveAll(taken.Contains);
        }
    }

    /// <summary>Puts a failed batch's members back in their issuer's pending queue, in order of age.</summary>
    public void ReturnToPending(BatchEntity failed)
    {
        var ids = MemberIds(failed);
        lock (_lock)
        {
            var queue = PendingOf(failed.IssuerId);
            foreach (var id in ids)
            {
                var entry = _byId[id];
                if (_entries[entry].BatchId != failed.Id) continue;
                _entries[entry].BatchId = null;
                queue.Add(entry);
            }
            queue.Sort((a, b) => _entries[a].CreatedTicks.CompareTo(_entries[b].CreatedTicks));
        }
    }

    /// <summary>The ids of a batch's members, in tree order, from <c>batches.log</c>.</summary>
    public IReadOnlyList<string> MembersOf(BatchEntity batch) => MemberIds(batch).Select(id => id.ToString()).ToList();

    /// <summary>A batch's members as sealed, in tree order: each one's id and the digest that went into the tree.</summary>
    public IReadOnlyList<(string Id, Bytes32 Digest)> SealedMembersOf(BatchEntity batch) =>
        MemberIds(batch).Zip(DigestsOf(batch), (id, digest) => (id.ToString(), digest)).ToList();

    /// <summary>A batch's members' digests, in the order its tree was built from.</summary>
    public Bytes32[] DigestsOf(BatchEntity batch)
    {
        var payload = MembersRecord(batch, out var at, out var count);
        var digests = new Bytes32[count];
        for (var i = 0; i < count; i++) digests[i] = Bytes32.FromSpan(payload.AsSpan(at + i * MemberBytes + 16, 32));
        return digests;
    }

    private Guid[] MemberIds(BatchEntity batch)
    {
        if (batch.MembersLength == 0) return [];
        var payload = MembersRecord(batch, out var at, out var count);
        var ids = new Guid[count];
        for (var i = 0; i < count; i++) ids[i] = new Guid(payload.AsSpan(at + i * MemberBytes, 16));
        return ids;
    }

    private byte[] MembersRecord(BatchEntity batch, out int firstMember, out int count)
    {
        var payload = _members.Read(batch.MembersOffset, batch.MembersLength);
        var idLength = payload[1];
        if (payload[0] != MembersVersion || Encoding.ASCII.GetString(payload, 2, idLength) != batch.Id)
            throw new InvalidDataException($"The members record of batch {batch.Id} in {MembersFileName} names another batch.");
        count = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(2 + idLength));
        firstMember = 2 + idLength + 4;
        return payload;
    }

    private void Load(long offset, ReadOnlySpan<byte> payload)
    {
        if (payload.Length == 0 || payload[0] is not (1 or RecordVersion) || payload.Length < HeaderBytes(payload[0]))
            throw new InvalidDataException($"The record at offset {offset} of {CredentialsFileName} is not a credential of this registry.");
        var version = payload[0];
        var issuerLength = BinaryPrimitives.ReadUInt16LittleEndian(payload[IssuerLengthAt(version)..]);
        var issuerId = Encoding.UTF8.GetString(payload.Slice(HeaderBytes(version), issuerLength));
        var statusIndex = version == 1 ? -1 : BinaryPrimitives.ReadInt64LittleEndian(payload[StatusIndexAt..]);
        var issuer = IssuerNumber(issuerId);
        AddEntry(new Entry
        {
            Id = new Guid(payload[1..17]),
            Offset = offset,
            Length = payload.Length,
            Issuer = issuer,
            CreatedTicks = BinaryPrimitives.ReadInt64LittleEndian(payload[17..]),
            Digest = Bytes32.FromSpan(payload.Slice(57, 32)),
            StatusIndex = statusIndex,
        });
        if (statusIndex >= _nextStatusIndex[issuer]) _nextStatusIndex[issuer] = statusIndex + 1;
    }

    private int AddEntry(in Entry entry)
    {
        if (_count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        _entries[_count] = entry;
        _byId.Add(entry.Id, _count);
        if (entry.StatusIndex is >= 0 and < int.MaxValue)
        {
            var byIndex = _byStatusIndex[entry.Issuer];
            while (byIndex.Count <= entry.StatusIndex) byIndex.Add(-1);
            byIndex[(int)entry.StatusIndex] = _count;
        }
        return _count++;
    }

    private int IssuerNumber(string issuerId)
    {
        ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(_issuerIndex, issuerId, out var exists);
        if (!exists)
        {
            number = _issuers.Count;
            _issuers.Add(issuerId);
            _nextStatusIndex.Add(0);
            _byStatusIndex.Add([]);
        }
        return number;
    }

    private List<int> PendingOf(string issuerId)
    {
        ref var queue = ref CollectionsMarshal.GetValueRefOrAddDefault(_pending, issuerId, out _);
        return queue ??= [];
    }

    private StoredCredential View(int entry)
    {
        ref var e = ref _entries[entry];
        return new StoredCredential(e.Id.ToString(), _issuers[e.Issuer], new DateTime(e.CreatedTicks, DateTimeKind.Utc), e.Digest, e.BatchId);
    }

    public void Dispose()
    {
        _credentials.Dispose();
        _members.Dispose();
    }
}
