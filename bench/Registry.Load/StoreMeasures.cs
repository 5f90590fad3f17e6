using System.Diagnostics;
using System.Text.Json.Nodes;
using LiteDB;
using Registry.Api.Storage;
using Registry.Canonical;
using Registry.Credentials;
using Registry.Identity;

namespace Registry.Load;

/// <summary>
/// The stores alone, in this process, on the documents the HTTP measurement sends (completed,
/// canonicalised and digested beforehand, outside the timing), two writers, 1,000 a call:
/// the registry's credential log, and LiteDB with one row per credential and the indexes the
/// registry used to keep per credential (up to 100,000: beyond that it takes minutes).
/// </summary>
public static class StoreMeasures
{
    private const int Writers = 2;
    private const int LiteDbLimit = 100_000;

    public static void Run(int[] sizes, Rows rows)
    {
        var chunks = Prepare(sizes.Max() / Badges.PerRequest);
        foreach (var size in sizes)
        {
            var used = chunks.Take(size / Badges.PerRequest).ToArray();
            var folder = Directory.CreateTempSubdirectory("registry-bench-").FullName;
            try
            {
                using (var database = new RegistryDatabase(folder))
                using (var store = new CredentialStore(database))
                {
                    var seconds = Timed(used, chunk => store.Add("bench-issuer", chunk));
                    rows.Add(new Row("bulk issuance over HTTP, each 202 fsync'd", size, size / seconds, "credentials/s", "the credential log alone, 2 writers, 1,000 a call, each fsync'd"));
                }
                if (size > LiteDbLimit) continue;
                using var lite = new LiteDatabase(new ConnectionString { Filename = Path.Combine(folder, "rows.db"), Connection = ConnectionType.Direct });
                var table = lite.GetCollection("credentials");
                foreach (var field in new[] { "PendingFor", "BatchId", "Digest", "RevocationPending" }) table.EnsureIndex(field);
                var liteSeconds = Timed(used, chunk =>
                {
                    lock (lite)
                    {
                        lite.BeginTrans();
                        table.InsertBulk(chunk.Select(Row));
                        lite.Commit();
                    }
                });
                rows.Add(new Row("bulk issuance over HTTP, each 202 fsync'd", size, size / liteSeconds, "credentials/s", "LiteDB alone, one indexed row per credential (the previous layout), 1,000 a transaction"));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static double Timed(NewCredential[][] chunks, Action<NewCredential[]> store)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, Writers).Select(_ => new Thread(() =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < chunks.Length;) store(chunks[i]);
        })).ToList();
        writers.ForEach(w => w.Start());
        writers.ForEach(w => w.Join());
        return clock.Elapsed.TotalSeconds;
    }

    private static BsonDocument Row(NewCredential credential) => new()
    {
        ["_id"] = credential.Id.ToString(),
        ["IssuerId"] = "bench-issuer",
        ["Digest"] = credential.Digest.ToString(),
        ["Salt"] = credential.Salt.ToString(),
        ["Document"] = System.Text.Encoding.UTF8.GetString(credential.Document),
        ["CreatedAt"] = credential.CreatedAt,
        ["PendingFor"] = "bench-issuer",
        ["BatchId"] = BsonValue.Null,
        ["RevocationPending"] = false,
    };

    /// <summary>The documents as issuance stores them: with the registry's fields, canonical, salted and digested.</summary>
    private static NewCredential[][] Prepare(int requests)
    {
        var badges = new Badges();
        var did = IssuerDid.For(31337, "0x" + new string('a', 40));
        var profile = new IssuerProfileFields("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "Benchmark Institute", "https://bench.example");
        var status = CredentialStatusEntry.For(did, "0x" + new string('b', 40));
        var statusUrl = new Uri("https://bench.example");
        var now = DateTime.UtcNow;
        var chunks = new NewCredential[requests][];
        Parallel.For(0, requests, r =>
        {
            var documents = badges.Documents(r);
            chunks[r] = documents.Select((d, i) =>
            {
                var id = Guid.NewGuid();
                var statusIndex = (long)r * documents.Count + i;
                RegistryFields.Apply((JsonObject)d!, $"urn:uuid:{id}", profile, StatusListEntry.For(statusUrl, "bench-issuer", statusIndex), status);
                var canonical = Jcs.Canonicalize(d);
                var salt = CredentialDigest.NewSalt();
                return new NewCredential(id, now, salt, CredentialDigest.Compute(salt, canonical), canonical, statusIndex);
            }).ToArray();
        });
        return chunks;
    }
}
