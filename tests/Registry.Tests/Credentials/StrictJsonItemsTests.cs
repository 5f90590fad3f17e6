using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;

namespace Registry.Tests.Credentials;

/// <summary>
/// A bulk request's array parsed item by item (<see cref="StrictJson.ParseItems"/>) accepts and refuses exactly what the
/// whole document's parse does, with the same errors, and gives the same items.
/// </summary>
public sealed class StrictJsonItemsTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static TheoryData<string> Arrays => new()
    {
        """[]""",
        """[{"a": 1}]""",
        """ [ {"b": [1, 2.5, {"c": null}], "a": "x"}, null, 7, "text", [[]], {"\u00e9": "\ud83d\ude00"}, true ] """,
        """[{"nested": [[[[{"deep": {"deeper": [1]}}]]]]}, {}]""",
    };

    [Theory]
    [MemberData(nameof(Arrays))]
    public void An_array_gives_the_items_the_whole_parse_gives_each_a_tree_of_its_own(string text)
    {
        var whole = StrictJson.Parse(Utf8(text))!.AsArray();
        var items = StrictJson.ParseItems(Utf8(text));

        Assert.NotNull(items);
        Assert.Equal(whole.Select(i => i?.ToJsonString()), items.Select(i => i?.ToJsonString()));
        Assert.All(items, item => Assert.Null(item?.Parent));
    }

    [Theory]
    [InlineData("""{"a": [1]}""")]
    [InlineData("\"text\"")]
    [InlineData("12")]
    [InlineData("null")]
    public void A_document_that_is_no_array_gives_no_items(string text) => Assert.Null(StrictJson.ParseItems(Utf8(text)));

    public static TheoryData<string> Refused => new()
    {
        """[{"a": 1, "a": 2}]""",
        """[{"ok": 1}, {"inner": {"b": 1, "b": 1}}]""",
        """[{"a": 1}] x""",
        """[{"a": 1},]""",
        """[{"a": 1}""",
        """{"a": 1, "a": 2}""",
        "[" + string.Concat(Enumerable.Repeat("[", 64)) + string.Concat(Enumerable.Repeat("]", 64)) + "]",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void What_the_whole_parse_refuses_is_refused_with_the_same_words(string text)
    {
        var whole = Assert.ThrowsAny<JsonException>(() => StrictJson.Parse(Utf8(text)));
        var items = Assert.ThrowsAny<JsonException>(() => StrictJson.ParseItems(Utf8(text)));

        Assert.Equal(whole.GetType(), items.GetType());
        Assert.Equal(whole.Message, items.Message);
    }

    [Fact]
    public void Inexact_values_are_named_by_their_path_in_the_array()
    {
        const string text = """[{"n": 1}, {"n": 1e400}, {"s": "\ud800"}]""";
        var whole = Assert.Throws<InexactJsonException>(() => StrictJson.Parse(Utf8(text)));
        var items = Assert.Throws<InexactJsonException>(() => StrictJson.ParseItems(Utf8(text)));

        Assert.Equal(["/1/n", "/2/s"], items.Errors.ToDictionary().Keys.Order());
        Assert.Equal(whole.Errors.ToDictionary().Keys, items.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused()
    {
        byte[] text = [(byte)'[', (byte)'"', 0xC3, (byte)'"', (byte)']'];
        Assert.Equal(
            Assert.ThrowsAny<JsonException>(() => StrictJson.Parse(text)).Message,
            Assert.ThrowsAny<JsonException>(() => StrictJson.ParseItems(text)).Message);
    }

    [Fact]
    public void An_item_changed_in_place_leaves_the_others_as_they_were()
    {
        var items = StrictJson.ParseItems(Utf8("""[{"a": 1}, {"a": 2}]"""))!;
        items[0]!["a"] = 3;
        items[0]!["id"] = "urn:uuid:1";

        Assert.Equal("""{"a":3,"id":"urn:uuid:1"}""", items[0]!.ToJsonString());
        Assert.Equal("""{"a":2}""", items[1]!.ToJsonString());
        Assert.IsType<JsonObject>(items[1]);
    }
}
