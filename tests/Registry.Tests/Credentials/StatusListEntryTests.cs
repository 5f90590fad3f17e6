using System.Text.Json.Nodes;
using Registry.Credentials;

namespace Registry.Tests.Credentials;

/// <summary>Where a status index lands (list and position), and the one shape of status list entry a verifier accepts.</summary>
public sealed class StatusListEntryTests
{
    private static readonly Uri PublicUrl = new("https://registry.example.org/wallets/");

    [Theory]
    [InlineData(0L, 0L, 0)]
    [InlineData(131_071L, 0L, 131_071)]
    [InlineData(131_072L, 1L, 0)]
    [InlineData(131_073L, 1L, 1)]
    [InlineData(262_143L, 1L, 131_071)]
    [InlineData(262_144L, 2L, 0)]
    [InlineData(10_000_000_000L, 76_293L, RemainderOfTenBillion)]
    public void A_status_index_lands_in_its_list_at_its_position(long index, long list, int position)
    {
        Assert.Equal((list, position), StatusListEntry.Locate(index));
        var entry = StatusListEntry.For(PublicUrl, "issuer-7", index);
        Assert.Equal($"https://registry.example.org/wallets/status/issuer-7/{list}", entry.ListCredential);
        Assert.Equal(position, entry.Position);
    }

    private const int RemainderOfTenBillion = (int)(10_000_000_000L % 131_072);

    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(1L, 1L)]
    [InlineData(131_072L, 1L)]
    [InlineData(131_073L, 2L)]
    [InlineData(262_144L, 2L)]
    [InlineData(262_145L, 3L)]
    public void The_lists_cover_every_index_given_and_a_new_one_starts_when_one_is_full(long given, long lists) =>
        Assert.Equal(lists, StatusListEntry.ListsFor(given));

    [Fact]
    public void The_entry_the_registry_writes_reads_back()
    {
        var entry = StatusListEntry.For(new Uri("http://127.0.0.1:5080"), "3f2c9a4e-8d1b-4c6f-9e2a-5b7d0c1e4f6a", 131_072 + 42);
        var json = entry.ToJson();
        Assert.Equal("http://127.0.0.1:5080/status/3f2c9a4e-8d1b-4c6f-9e2a-5b7d0c1e4f6a/1#42", json["id"]!.GetValue<string>());
        Assert.Equal("42", json["statusListIndex"]!.GetValue<string>());
        var errors = new ValidationErrors();
        Assert.Equal(entry, StatusListEntry.TryParse(json, "/credentialStatus/0", errors));
        Assert.True(errors.IsEmpty, errors.ToString());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(131_071L)]
    [InlineData(131_072L + 42)]
    [InlineData(10_000_000_000L)]
    public void The_issuer_and_status_index_read_back_from_the_entry_the_registry_writes(long index)
    {
        // An issuer id that the URL escapes, under a base URL with a path of its own.
        var entry = StatusListEntry.For(PublicUrl, "issuer 7/ä", index);
        Assert.True(entry.TryReadIndex(out var issuerId, out var statusIndex));
        Assert.Equal(("issuer 7/ä", index), (issuerId, statusIndex));
    }

    [Theory]
    [InlineData("https://registry.example.org/lists/a/0", 1)]
    [InlineData("https://registry.example.org/status//0", 1)]
    [InlineData("https://registry.example.org/status/a/01", 1)]
    [InlineData("https://registry.example.org/status/a/999999999999999999", 1)]
    [InlineData("urn:uuid:6f9619ff-8b86-4d11-b42d-00c04fc964ff", 1)]
    [InlineData("https://registry.example.org/status/a/0", -1)]
    [InlineData("https://registry.example.org/status/a/0", 131_072)]
    public void An_entry_that_names_no_status_index_reads_back_none(string list, int position) =>
        Assert.False(new StatusListEntry(list, position).TryReadIndex(out _, out _));

    public static TheoryData<string, string, string> Broken => new()
    {
        { "type", "\"StatusList2021Entry\"", "/credentialStatus/0/type" },
        { "statusPurpose", "\"suspension\"", "/credentialStatus/0/statusPurpose" },
        { "statusListIndex", "42", "/credentialStatus/0/statusListIndex" },
        { "statusListIndex", "\"042\"", "/credentialStatus/0/statusListIndex" },
        { "statusListIndex", "\"-1\"", "/credentialStatus/0/statusListIndex" },
        { "statusListIndex", "\"131072\"", "/credentialStatus/0/statusListIndex" },
        { "statusListCredential", "\"ftp://registry.example.org/status/a/0\"", "/credentialStatus/0/statusListCredential" },
        { "statusListCredential", "\"https://registry.example.org/status/a/0?x=1\"", "/credentialStatus/0/statusListCredential" },
        { "statusListCredential", "\"https://registry.example.org/lists/a/0\"", "/credentialStatus/0/statusListCredential" },
        { "statusListCredential", "\"https://registry.example.org/status/a/01\"", "/credentialStatus/0/statusListCredential" },
        { "id", "\"https://registry.example.org/status/a/0#43\"", "/credentialStatus/0/id" },
        { "statusSize", "1", "/credentialStatus/0/statusSize" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Any_other_shape_is_refused_naming_the_field(string field, string value, string pointer)
    {
        var json = StatusListEntry.For(new Uri("https://registry.example.org"), "a", 42).ToJson();
        json[field] = JsonNode.Parse(value);
        var errors = new ValidationErrors();
        Assert.Null(StatusListEntry.TryParse(json, "/credentialStatus/0", errors));
        Assert.Contains(pointer, errors.ToDictionary().Keys);
    }
}
