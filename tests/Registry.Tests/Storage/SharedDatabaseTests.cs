using Microsoft.Extensions.Logging.Abstractions;
using Registry.Api.Anchoring;
using Registry.Api.Storage;
using Registry.Api.Storage.Postgres;
using Registry.Tests.Infrastructure;
using Registry.Verification;

namespace Registry.Tests.Storage;

/// <summary>
/// What instances sharing one PostgreSQL database rely on, each instance a storage of its own on the same
/// database: one anchoring lease at a time, whose stale token the store refuses; status indexes no two
/// instances give alike; account locks that one instance holds at a time; and a chain cursor that an
/// instance behind the others does not move back.
/// </summary>
public sealed class SharedDatabaseTests
{
    private static readonly TimeSpan ShortTerm = TimeSpan.FromSeconds(1);

    [Fact]
    public void One_instance_holds_the_lease_until_its_term_ends_and_its_writes_are_refused_once_another_took_it()
    {
        var url = PostgresServer.NewDatabaseUrl();
        using var a = new PostgresStorage(url);
        using var b = new PostgresStorage(url);
        var batch = new BatchEntity { Id = new string('c', 32), IssuerId = "issuer", State = BatchStates.Sealed, SealedAt = DateTime.UtcNow, Count = 1 };
        a.Batches.Seal(batch, new PendingSelection("issuer", [], [], []));

        var first = a.Leases.TakeOrRenew("a", null, ShortTerm)!;
        Assert.Null(b.Leases.TakeOrRenew("b", null, ShortTerm));
        Assert.Equal(first, a.Leases.TakeOrRenew("a", first, ShortTerm));
        Assert.Equal(first, b.Leases.Live());
        batch.LastError = "written by a";
        a.Batches.Update(batch, first);

        Thread.Sleep(ShortTerm + TimeSpan.FromMilliseconds(300));
        Assert.Null(a.Leases.Live());
        var second = b.Leases.TakeOrRenew("b", null, ShortTerm)!;
        Assert.True(second.Token > first.Token);
        // The deposed instance can neither renew nor write; the new one writes.
        Assert.Null(a.Leases.TakeOrRenew("a", first, ShortTerm));
        batch.LastError = "written by a after losing the lease";
        Assert.Throws<LeaseLostException>(() => a.Batches.Update(batch, first));
        Assert.Equal("written by a", b.Batches.Find(batch.Id)!.LastError);
        batch.LastError = "written by b";
        b.Batches.Update(batch, second);
        Assert.Equal("written by b", a.Batches.Find(batch.Id)!.LastError);

        // A released lease is taken at once, with a greater token again.
        b.Leases.Release(second);
        var third = a.Leases.TakeOrRenew("a", null, ShortTerm)!;
        Assert.True(third.Token > second.Token);
        Assert.Throws<LeaseLostException>(() => b.Batches.Update(batch, second));
    }

    [Fact]
    public async Task A_stopping_instance_hands_the_lease_to_the_next_at_once()
    {
        var url = PostgresServer.NewDatabaseUrl();
        using var a = new PostgresStorage(url);
        using var b = new PostgresStorage(url);
        var first = new AnchoringLeadership(a.Leases, NullLogger<AnchoringLeadership>.Instance);
        var second = new AnchoringLeadership(b.Leases, NullLogger<AnchoringLeadership>.Instance);
        await first.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => first.Current is not null, "the first instance leads", TimeSpan.FromSeconds(5));
        Assert.Null(second.TryLead());
        Assert.Contains($"pid {Environment.ProcessId}", a.Leases.Live()!.Holder);

        await first.StopAsync(CancellationToken.None);
        Assert.Null(first.Current);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the second tries at most once a second
        var taken = second.TryLead();
        Assert.NotNull(taken);
        Assert.Equal(second.Holder, b.Leases.Live()!.Holder);
    }

    [Fact]
    public async Task Instances_reserving_status_indexes_at_once_never_give_the_same_index()
    {
        var url = PostgresServer.NewDatabaseUrl();
        using var a = new PostgresStorage(url);
        using var b = new PostgresStorage(url);
        const string issuerId = "6f9619ff-8b86-4d11-b42d-00c04fc964ff";
        var reserve = (IRegistryStorage s) => Task.Run(() => Enumerable.Range(0, 50).Select(_ => s.Credentials.ReserveStatusIndexes(issuerId, 10)).ToList());
        var both = await Task.WhenAll(reserve(a), reserve(b));
        var firsts = both.SelectMany(x => x).ToList();
        Assert.Equal(100, firsts.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 10L), firsts.Order());
        Assert.Equal(1000, b.Credentials.StatusIndexesOf(issuerId));
        // Giving back the last reservation lowers the counter; one made before another's is left unused.
        a.Credentials.ReleaseStatusIndexes(issuerId, 990, 10);
        a.Credentials.ReleaseStatusIndexes(issuerId, 0, 10);
        Assert.Equal(990, b.Credentials.StatusIndexesOf(issuerId));
        Assert.Equal(990, b.Credentials.ReserveStatusIndexes(issuerId, 1));
    }

    [Fact]
    public async Task An_account_lock_is_held_by_one_instance_at_a_time()
    {
        var url = PostgresServer.NewDatabaseUrl();
        using var a = new PostgresStorage(url);
        using var b = new PostgresStorage(url);
        const string account = "0x00000000000000000000000000000000000000aa";
        var held = await a.AccountLocks.HoldAsync(account, CancellationToken.None);
        var waiting = b.AccountLocks.HoldAsync(account.ToUpperInvariant().Replace("0X", "0x"), CancellationToken.None);
        // Another account is not held up.
        await using (await b.AccountLocks.HoldAsync("0x00000000000000000000000000000000000000bb", CancellationToken.None)) { }
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await using var then = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void An_instance_behind_the_others_does_not_move_the_stored_cursor_back()
    {
        var url = PostgresServer.NewDatabaseUrl();
        using var ahead = new PostgresStorage(url);
        using var behind = new PostgresStorage(url);
        const string contract = "0x00000000000000000000000000000000000000cc";
        var time = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        ahead.ChainEvents.Append(contract, [], new ChainPoint(20, "0x20", time));
        behind.ChainEvents.Append(contract, [], new ChainPoint(12, "0x12", time));
        Assert.Equal(20, behind.ChainEvents.Resume(contract)!.Cursor.Number);
        // A rollback (a reorganisation one of them saw) still moves it back.
        behind.ChainEvents.RollBack(contract, new ChainPoint(10, "0x10", time));
        Assert.Equal(10, ahead.ChainEvents.Resume(contract)!.Cursor.Number);
    }
}
