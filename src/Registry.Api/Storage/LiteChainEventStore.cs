using System.Globalization;
using Registry.Audit;
using Registry.Verification;

namespace Registry.Api.Storage;

/// <summary>The chain index's events in LiteDB's <c>chainEvents</c>, its cursor in the settings, moved together in one transaction.</summary>
internal sealed class LiteChainEventStore(RegistryDatabase database) : IChainEventStore
{
    private const string CursorSetting = "indexCursor";

    public FollowedChain? Resume(string contract)
    {
        var cursor = database.GetSetting(CursorSetting)?.Split('|') is [var address, var number, var hash, var time] && address == contract
            ? new ChainPoint(long.Parse(number, CultureInfo.InvariantCulture), hash, DateTimeOffset.FromUnixTimeSeconds(long.Parse(time, CultureInfo.InvariantCulture)))
            : null;
        if (cursor is null)
        {
            // The cursor goes with the events: one of another contract must not outlive them.
            database.InTransaction(() => database.ChainEvents.DeleteAll() + (database.Settings.Delete(CursorSetting) ? 1 : 0));
            return null;
        }
        return new FollowedChain(cursor, database.ChainEvents.FindAll().OrderBy(e => e.Id).Select(ToEvent).ToList());
    }

    public void Append(string contract, IReadOnlyList<RegistryEvent> events, ChainPoint end) =>
        database.InTransaction(() =>
        {
            if (events.Count > 0) database.ChainEvents.Upsert(events.Select(e => ToEntity(contract, e)));
            SaveCursor(contract, end);
            return true;
        });

    public void RollBack(string contract, ChainPoint? ancestor)
    {
        var after = ancestor?.Number ?? -1;
        database.InTransaction(() =>
        {
            database.ChainEvents.DeleteMany(e => e.BlockNumber > after);
            SaveCursor(contract, ancestor);
            return true;
        });
    }

    private void SaveCursor(string contract, ChainPoint? point)
    {
        if (point is null) database.Settings.Delete(CursorSetting);
        else database.SetSetting(CursorSetting, $"{contract}|{point.Number}|{point.Hash}|{point.Time.ToUnixTimeSeconds()}");
    }

    private static ChainEventEntity ToEntity(string contract, RegistryEvent e) => new()
    {
        Id = ChainEventEntity.IdOf(e.BlockNumber, e.LogIndex), Contract = contract, Type = e.Type, BlockNumber = e.BlockNumber, BlockHash = e.BlockHash ?? "",
        LogIndex = e.LogIndex, TransactionHash = e.TransactionHash, Timestamp = e.Timestamp.UtcDateTime, Issuer = e.Issuer, Name = e.Name, Root = e.Root,
        Count = e.Count, Digest = e.Digest, Reason = e.Reason, TrustedUntil = e.TrustedUntil?.UtcDateTime, SigningKey = e.SigningKey,
    };

    private static RegistryEvent ToEvent(ChainEventEntity e) => new(
        e.Type, e.BlockNumber, e.LogIndex, e.TransactionHash, new DateTimeOffset(e.Timestamp.ToUniversalTime()), e.Issuer, e.Name, e.Root,
        e.Count is { } count ? (uint)count : null, e.Digest, e.Reason,
        e.TrustedUntil is { } until ? new DateTimeOffset(until.ToUniversalTime()) : null, e.BlockHash, e.SigningKey);
}
