using Registry.Api.Security;
using Registry.Tests.Infrastructure;
using Xunit;

namespace Registry.Tests.Operations;

/// <summary>
/// What a key the directory does not hold costs the store: one lookup of its hash, shared by the requests that carry
/// it at once, at most <see cref="ApiKeyDirectory.MaxConcurrentLookups"/> at a time, none for a key of another form;
/// and a holder found is kept. The store's lookup is given as a function, so each test counts its calls and can hold
/// them open (a database that answers slowly, which a test cannot make happen on cue).
/// </summary>
public sealed class ApiKeyDirectoryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>A store lookup that waits for <see cref="Open"/>, counts its calls and how many ran at once.</summary>
    private sealed class HeldLookup(Func<string, KeyHolder?> answer)
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running;
        private int _calls;
        private int _mostAtOnce;

        public int Calls => Volatile.Read(ref _calls);
        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);
        public int Running => Volatile.Read(ref _running);

        public void Open() => _open.TrySetResult();

        public KeyHolder? Find(string hash)
        {
            Interlocked.Increment(ref _calls);
            var now = Interlocked.Increment(ref _running);
            for (var most = MostAtOnce; now > most; most = MostAtOnce)
                if (Interlocked.CompareExchange(ref _mostAtOnce, now, most) == most) break;
            try
            {
                if (!_open.Task.Wait(Deadline)) throw new TimeoutException("The test never let the lookup finish.");
                return answer(hash);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    private static ApiKeyDirectory DirectoryWith(HeldLookup lookup, params (string Key, KeyHolder Holder)[] held)
    {
        var directory = new ApiKeyDirectory();
        directory.LoadFrom(held.Select(h => (ApiKeyDirectory.Hash(h.Key), h.Holder)), lookup.Find);
        return directory;
    }

    [Fact]
    public async Task Unknown_keys_are_looked_up_at_most_two_at_a_time_and_every_one_is_answered()
    {
        var lookup = new HeldLookup(_ => null);
        var directory = DirectoryWith(lookup);
        var keys = Enumerable.Range(0, 12).Select(_ => ApiKeyDirectory.NewKey()).ToList();

        var finds = keys.Select(key => Task.Run(() => directory.FindAsync(key, CancellationToken.None))).ToList();
        await Eventually.TrueAsync(() => lookup.Running >= ApiKeyDirectory.MaxConcurrentLookups, "the first lookups to start", Deadline);
        await Task.Delay(200); // time enough for any lookup beyond the bound to start, were it allowed to
        Assert.Equal(ApiKeyDirectory.MaxConcurrentLookups, lookup.Running);
        lookup.Open();

        var found = await Task.WhenAll(finds).WaitAsync(Deadline);
        Assert.All(found, Assert.Null);
        Assert.Equal(keys.Count, lookup.Calls);
        Assert.Equal(ApiKeyDirectory.MaxConcurrentLookups, lookup.MostAtOnce);
    }

    [Fact]
    public async Task Requests_with_the_same_key_at_once_share_one_lookup_and_a_holder_found_is_kept()
    {
        var key = ApiKeyDirectory.NewKey();
        var holder = new KeyHolder(Roles.Issuer, "created-elsewhere");
        var lookup = new HeldLookup(hash => hash == ApiKeyDirectory.Hash(key) ? holder : null);
        var directory = DirectoryWith(lookup);

        var finds = Enumerable.Range(0, 8).Select(_ => Task.Run(() => directory.FindAsync(key, CancellationToken.None))).ToList();
        await Eventually.TrueAsync(() => lookup.Running >= 1, "the lookup to start", Deadline);
        await Task.Delay(200);
        lookup.Open();

        Assert.All(await Task.WhenAll(finds).WaitAsync(Deadline), found => Assert.Equal(holder, found));
        Assert.Equal(1, lookup.Calls);
        // Kept: the next request with the key reads no store.
        Assert.Equal(holder, await directory.FindAsync(key, CancellationToken.None));
        Assert.Equal(1, lookup.Calls);
    }

    [Fact]
    public async Task A_key_not_found_is_looked_up_again_next_time_so_a_holder_stored_since_is_accepted()
    {
        var key = ApiKeyDirectory.NewKey();
        var stored = false;
        var lookup = new HeldLookup(hash => stored && hash == ApiKeyDirectory.Hash(key) ? new KeyHolder(Roles.Auditor, "later") : null);
        lookup.Open();
        var directory = DirectoryWith(lookup);

        Assert.Null(await directory.FindAsync(key, CancellationToken.None));
        stored = true;
        Assert.Equal(new KeyHolder(Roles.Auditor, "later"), await directory.FindAsync(key, CancellationToken.None));
        Assert.Equal(2, lookup.Calls);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-registry-key")]
    [InlineData("rk_tooShort")]
    [InlineData("rk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")] // the registry's length, a character outside base64url
    [InlineData("xx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // the registry's length, another prefix
    public async Task A_key_of_another_form_is_refused_without_a_lookup(string key)
    {
        var lookup = new HeldLookup(_ => new KeyHolder(Roles.Admin, "should-never-be-read"));
        lookup.Open();
        var directory = DirectoryWith(lookup);

        Assert.Null(await directory.FindAsync(key, CancellationToken.None));
        Assert.Equal(0, lookup.Calls);
    }

    [Fact]
    public async Task A_held_key_of_any_form_is_found_without_a_lookup()
    {
        var lookup = new HeldLookup(_ => null);
        lookup.Open();
        var directory = DirectoryWith(lookup, ("an admin key of the operator's own choosing", new KeyHolder(Roles.Admin, "admin")));

        Assert.Equal(new KeyHolder(Roles.Admin, "admin"), await directory.FindAsync("an admin key of the operator's own choosing", CancellationToken.None));
        Assert.Equal(0, lookup.Calls);
    }
}
