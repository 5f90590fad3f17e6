using Npgsql;

namespace Registry.Api.Storage.Postgres;

/// <summary>
/// The anchoring lease as one row of <c>anchoring_lease</c>, timed by the database's clock, so that the
/// instances' clocks need not agree. Taking the lease raises its token; a fenced write reads the row
/// <c>for share</c> in its own transaction, so it waits for a takeover in progress and then sees the new token.
/// </summary>
internal sealed class PostgresAnchoringLeases(PostgresDatabase database) : IAnchoringLeases
{
    public AnchoringLease? TakeOrRenew(string holder, AnchoringLease? held, TimeSpan term)
    {
        using var connection = database.Open();
        if (held is not null && held.Holder == holder)
        {
            using var renew = PostgresDatabase.Command(connection, null,
                "update anchoring_lease set expires_at = clock_timestamp() + $3 where id = 1 and holder = $1 and token = $2 and expires_at > clock_timestamp()",
                holder, held.Token, term);
            if (renew.ExecuteNonQuery() == 1) return held;
        }
        using var take = PostgresDatabase.Command(connection, null,
            "update anchoring_lease set holder = $1, token = token + 1, expires_at = clock_timestamp() + $2 " +
            "where id = 1 and expires_at <= clock_timestamp() returning token", holder, term);
        return take.ExecuteScalar() is long token ? new AnchoringLease(holder, token) : null;
    }

    public void Release(AnchoringLease lease) =>
        database.Execute("update anchoring_lease set expires_at = '-infinity' where id = 1 and holder = $1 and token = $2", lease.Holder, lease.Token);

    public AnchoringLease? Live()
    {
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, null,
            "select holder, token from anchoring_lease where id = 1 and expires_at > clock_timestamp()");
        using var reader = command.ExecuteReader();
        return reader.Read() ? new AnchoringLease(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    /// <summary>Throws unless <paramref name="lease"/> is live, holding the lease's row until <paramref name="transaction"/> ends.</summary>
    public static void RequireLive(NpgsqlConnection connection, NpgsqlTransaction transaction, AnchoringLease lease)
    {
        using var check = PostgresDatabase.Command(connection, transaction,
            "select 1 from anchoring_lease where id = 1 and holder = $1 and token = $2 and expires_at > clock_timestamp() for share",
            lease.Holder, lease.Token);
        if (check.ExecuteScalar() is null) throw new LeaseLostException(lease);
    }
}

/// <summary>
/// Account locks as PostgreSQL session advisory locks, each held on a connection of its own for as long
/// as the account sends: the server releases it when the connection ends, so an instance that dies
/// holds nothing. Accounts are hashed into the two-key form's second key, under a first key of the
/// registry's own (a collision of two accounts only makes them wait for each other).
/// </summary>
internal sealed class PostgresAccountLocks(PostgresDatabase database) : IAccountLocks
{
    /// <summary>The first key of every account lock ("ACCT" in ASCII); the migration lock uses the one-key form, a space of its own.</summary>
    private const int AccountSpace = 0x4143_4354;

    public async Task<IAsyncDisposable> HoldAsync(string account, CancellationToken cancellationToken)
    {
        var key = KeyOf(account);
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await using var take = PostgresDatabase.Command(connection, null, "select pg_advisory_lock($1, $2)", AccountSpace, key);
            await take.ExecuteNonQueryAsync(cancellationToken);
            return new Held(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static int KeyOf(string account) =>
        BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(account.ToLowerInvariant())));

    private sealed class Held(NpgsqlConnection connection, int key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = PostgresDatabase.Command(connection, null, "select pg_advisory_unlock($1, $2)", AccountSpace, key);
                await release.ExecuteNonQueryAsync();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // A connection that broke took its locks with it; closing it below is all there is to do.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
